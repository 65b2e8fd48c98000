-- Training: annual plans -> classes -> timetable sessions -> enrolments -> attendance
-- (QR / typed code / manual check-in on site, presence heartbeats live) -> online courses
-- and study progress -> completion -> certificates. Every row reaches the organization tree
-- through its class's organizer (training_classes.org_id) or the trainee's organization
-- (training_enrolments.org_id), so the usual subtree scoping applies.

-- An organization's training plan for a year, e.g. "2024 ACFTU cadre training plan".
CREATE TABLE training_plans (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title text NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, year, title)
);
CREATE INDEX training_plans_org ON training_plans (org_id);

-- A class. The organizer organization owns it; audience_org_ids are the organizations whose
-- subtrees it is meant for (their organizers may enrol their own people). Completion rules:
-- a minimum share of the sessions expected of the trainee's mode, minimum online minutes
-- (over the class's courses), an optional minimum assessment score.
CREATE TABLE training_classes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint REFERENCES training_plans (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  title text NOT NULL,
  theme text,
  host_institution text,
  venue text,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  capacity_onsite integer NOT NULL DEFAULT 0 CHECK (capacity_onsite >= 0),
  capacity_live integer NOT NULL DEFAULT 0 CHECK (capacity_live >= 0),
  audience_org_ids bigint[] NOT NULL DEFAULT '{}',
  audience_levels text[] NOT NULL DEFAULT '{}',
  audience_note text,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'running', 'closed')),
  class_hours numeric(6, 1) CHECK (class_hours >= 0),
  min_attendance_share numeric(4, 3) NOT NULL DEFAULT 0.8 CHECK (min_attendance_share BETWEEN 0 AND 1),
  min_online_minutes integer NOT NULL DEFAULT 0 CHECK (min_online_minutes >= 0),
  min_assessment_score numeric(5, 1) CHECK (min_assessment_score BETWEEN 0 AND 100),
  -- A live trainee is present at a streamed session after watching this share of it.
  live_presence_share numeric(4, 3) NOT NULL DEFAULT 0.6 CHECK (live_presence_share BETWEEN 0 AND 1),
  competency_model boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on)
);
CREATE INDEX training_classes_org ON training_classes (org_id);
CREATE INDEX training_classes_plan ON training_classes (plan_id);
CREATE INDEX training_classes_audience ON training_classes USING gin (audience_org_ids);
CREATE INDEX training_classes_starts ON training_classes (starts_on DESC);

-- A timetable session. On-site trainees are expected where there is a place, live trainees
-- where there is a stream link. checkin_secret keys the rotating QR and typed codes.
CREATE TABLE training_sessions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class_id bigint NOT NULL REFERENCES training_classes (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('opening', 'lecture', 'onsite_teaching', 'discussion', 'policy', 'live', 'closing')),
  topic text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  place text,
  stream_url text,
  -- [{ "name": "…", "title": "…", "org": "…" }]
  speakers jsonb NOT NULL DEFAULT '[]',
  -- 244 random bits from the built-in gen_random_uuid (no pgcrypto needed).
  checkin_secret bytea NOT NULL DEFAULT sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (place IS NOT NULL OR stream_url IS NOT NULL)
);
CREATE INDEX training_sessions_class ON training_sessions (class_id, starts_at);

-- A trainee in a class, on site or live. org_id is the organization the trainee comes
-- from (the report groups by it; an enrolling organizer must reach it).
CREATE TABLE training_enrolments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class_id bigint NOT NULL REFERENCES training_classes (id) ON DELETE CASCADE,
  person_id bigint NOT NULL REFERENCES persons (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  mode text NOT NULL CHECK (mode IN ('onsite', 'live')),
  status text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'withdrawn')),
  assessment_score numeric(5, 1) CHECK (assessment_score BETWEEN 0 AND 100),
  enrolled_by bigint REFERENCES accounts (id),
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (class_id, person_id)
);
CREATE INDEX training_enrolments_person ON training_enrolments (person_id);
CREATE INDEX training_enrolments_org ON training_enrolments (org_id);
CREATE INDEX training_enrolments_class_mode ON training_enrolments (class_id, mode) WHERE status = 'enrolled';

-- One attendance per trainee and session: a second scan changes nothing.
CREATE TABLE training_attendance (
  session_id bigint NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  enrolment_id bigint NOT NULL REFERENCES training_enrolments (id) ON DELETE CASCADE,
  method text NOT NULL CHECK (method IN ('qr', 'code', 'manual', 'live')),
  checked_in_at timestamptz NOT NULL DEFAULT now(),
  recorded_by bigint REFERENCES accounts (id),
  PRIMARY KEY (session_id, enrolment_id)
);
CREATE INDEX training_attendance_enrolment ON training_attendance (enrolment_id);

-- Seconds of a streamed session a live trainee has watched, counted by the server from
-- heartbeats (never more than the time that passed between two beats).
CREATE TABLE training_live_presence (
  session_id bigint NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  enrolment_id bigint NOT NULL REFERENCES training_enrolments (id) ON DELETE CASCADE,
  seconds integer NOT NULL DEFAULT 0 CHECK (seconds >= 0),
  last_beat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, enrolment_id)
);

-- Online courses: attached to a class (its supporting courses) or standalone for an
-- organization's subtree.
CREATE TABLE training_courses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id),
  class_id bigint REFERENCES training_classes (id) ON DELETE SET NULL,
  title text NOT NULL,
  description text,
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_courses_org ON training_courses (org_id);
CREATE INDEX training_courses_class ON training_courses (class_id);

CREATE TABLE training_materials (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course_id bigint NOT NULL REFERENCES training_courses (id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  kind text NOT NULL CHECK (kind IN ('video', 'document', 'page')),
  title text NOT NULL,
  url text,
  body text,
  required_minutes integer NOT NULL CHECK (required_minutes BETWEEN 1 AND 1440),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (url IS NOT NULL OR body IS NOT NULL)
);
CREATE INDEX training_materials_course ON training_materials (course_id, position);

-- Study time per person and material, counted by the server from heartbeats while the
-- material is open. Whether a material is done is derived (seconds against its current
-- required minutes), so changing a material re-evaluates everyone at once.
CREATE TABLE training_study (
  material_id bigint NOT NULL REFERENCES training_materials (id) ON DELETE CASCADE,
  person_id bigint NOT NULL REFERENCES persons (id),
  seconds integer NOT NULL DEFAULT 0 CHECK (seconds >= 0),
  first_at timestamptz NOT NULL DEFAULT now(),
  last_beat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (material_id, person_id)
);
CREATE INDEX training_study_person ON training_study (person_id);

-- A self-assessment against the 10-aspect competency model (seed 002): scores 1–5.
CREATE TABLE training_competency_assessments (
  enrolment_id bigint PRIMARY KEY REFERENCES training_enrolments (id) ON DELETE CASCADE,
  scores jsonb NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now()
);

-- A certificate for a completed trainee. The text printed on it is kept as issued; the PDF
-- is rendered from these fields. number is public (printed, encoded in the QR code).
CREATE TABLE training_certificates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number text NOT NULL UNIQUE,
  enrolment_id bigint NOT NULL UNIQUE REFERENCES training_enrolments (id),
  person_name text NOT NULL,
  class_title text NOT NULL,
  org_name text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  hours numeric(6, 1) NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text,
  pdf bytea
);

-- Certificate batches run as jobs with progress, like member imports.
CREATE TABLE training_certificate_jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class_id bigint NOT NULL REFERENCES training_classes (id) ON DELETE CASCADE,
  account_id bigint REFERENCES accounts (id),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  total integer NOT NULL DEFAULT 0,
  done integer NOT NULL DEFAULT 0,
  issued integer NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX training_certificate_jobs_class ON training_certificate_jobs (class_id, created_at DESC);
