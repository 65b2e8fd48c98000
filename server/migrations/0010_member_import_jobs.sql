-- Member import jobs: one row per uploaded file, polled for progress; its rejected rows
-- are kept for the downloadable report. Jobs run in the server process that received
-- the file (the file lives on its disk); the row lets any server answer a poll.
CREATE TABLE import_jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL DEFAULT 'members' CHECK (kind IN ('members')),
  account_id bigint REFERENCES accounts (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  -- The target organization's path when the job was made: who may see the job.
  org_path ltree NOT NULL,
  file_name text NOT NULL,
  file_format text CHECK (file_format IN ('csv', 'xlsx')),
  accept_valid boolean NOT NULL DEFAULT false,
  -- queued -> running -> succeeded (written) | rejected (invalid rows, nothing written) | failed (unreadable file, error)
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'rejected', 'failed')),
  phase text NOT NULL DEFAULT 'queued' CHECK (phase IN ('queued', 'reading', 'checking', 'writing', 'done')),
  bytes_total bigint NOT NULL DEFAULT 0,
  bytes_read bigint NOT NULL DEFAULT 0,
  rows_read integer NOT NULL DEFAULT 0,
  rows_rejected integer NOT NULL DEFAULT 0,
  persons_created integer NOT NULL DEFAULT 0,
  persons_updated integer NOT NULL DEFAULT 0,
  memberships_created integer NOT NULL DEFAULT 0,
  rows_unchanged integer NOT NULL DEFAULT 0,
  ignored_columns text[] NOT NULL DEFAULT '{}',
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX import_jobs_org_path ON import_jobs USING gist (org_path);
CREATE INDEX import_jobs_created ON import_jobs (created_at DESC);

-- Every rejected row of a job with the reason: the downloadable report.
CREATE TABLE import_rejects (
  job_id bigint NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  row_number integer NOT NULL,
  field text,
  reason text NOT NULL,
  name text,
  id_number_masked text,
  union_ref text,
  PRIMARY KEY (job_id, row_number)
);
