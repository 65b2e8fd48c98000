-- Durable background jobs (server/src/jobs): pg-boss keeps the queues in its own schema
-- (pgboss); these two tables say which server process is alive and which job it holds,
-- so a job whose process died is retried or failed within seconds instead of hours.

-- One row per running server process, its heartbeat renewed every few seconds.
CREATE TABLE job_workers (
  id uuid PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- A job a server holds: taken (running), or waiting in that server's own queue (a kind
-- whose input lives on that server, e.g. an uploaded file). Gone when the job ends.
CREATE TABLE job_runs (
  job_id uuid PRIMARY KEY, -- pg-boss's job id
  kind text NOT NULL,
  queue text NOT NULL,
  worker_id uuid NOT NULL REFERENCES job_workers (id),
  data jsonb NOT NULL,
  started_at timestamptz
);
CREATE INDEX job_runs_worker ON job_runs (worker_id);
