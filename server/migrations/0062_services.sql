-- Services, part 1: Huigong Bao (惠工保), the union's in-patient mutual medical aid.
-- A plan issued by an organization for its subtree, its benefit rules in versions, the
-- contribution statements of the unions that enrol their members, the enrolments, claims with
-- their documents and history, payout batches, and the plan's ledger. Money is integer fen.

CREATE TABLE services_plans (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id),
  name text NOT NULL,
  plan_year integer NOT NULL,
  coverage_start date NOT NULL,
  coverage_end date NOT NULL,
  enrol_start date NOT NULL,
  enrol_end date NOT NULL,
  min_age integer,
  max_age integer,
  contribution_fen bigint NOT NULL CHECK (contribution_fen >= 0),
  waiting_days integer NOT NULL DEFAULT 0 CHECK (waiting_days >= 0),
  -- Bottom up: the levels whose organizations on the member's path review a claim.
  review_levels text[] NOT NULL,
  -- { "reviewAboveFen": …, "sampleShare": 0..1 } or null: every claim passes every level.
  sampling jsonb,
  copied_from bigint REFERENCES services_plans (id),
  created_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (coverage_end >= coverage_start),
  CHECK (enrol_end >= enrol_start),
  CHECK (min_age IS NULL OR max_age IS NULL OR max_age >= min_age)
);
CREATE INDEX services_plans_org ON services_plans (org_id, plan_year DESC);

-- The benefit rules, versioned: a claim is computed by the version in force on its admission date.
CREATE TABLE services_plan_rules (
  plan_id bigint NOT NULL REFERENCES services_plans (id),
  version integer NOT NULL,
  effective_from date NOT NULL,
  rules jsonb NOT NULL,
  created_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, version),
  UNIQUE (plan_id, effective_from)
);

-- What a union owes for the members it enrolled at once: persons × contribution.
CREATE TABLE services_statements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint NOT NULL REFERENCES services_plans (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  persons integer NOT NULL CHECK (persons > 0),
  contribution_fen bigint NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen = persons * contribution_fen),
  status text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid')),
  paid_on date,
  reference text,
  created_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  paid_by bigint REFERENCES accounts (id),
  CHECK ((status = 'paid') = (paid_on IS NOT NULL))
);
CREATE INDEX services_statements_plan_org ON services_statements (plan_id, org_id);
CREATE INDEX services_statements_org ON services_statements (org_id);

-- One enrolment per person and plan. covered_from is set when the statement is paid
-- (payment date + waiting days, not before coverage starts); coverage lasts to the period's
-- end even if the member leaves or transfers.
CREATE TABLE services_enrolments (
  plan_id bigint NOT NULL REFERENCES services_plans (id),
  person_id bigint NOT NULL REFERENCES persons (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  province_id bigint NOT NULL,
  statement_id bigint NOT NULL REFERENCES services_statements (id),
  enrolled_by bigint REFERENCES accounts (id),
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  covered_from date,
  covered_to date NOT NULL,
  PRIMARY KEY (plan_id, person_id)
);
CREATE INDEX services_enrolments_person ON services_enrolments (person_id);
CREATE INDEX services_enrolments_org ON services_enrolments (org_id, plan_id);
CREATE INDEX services_enrolments_statement ON services_enrolments (statement_id);

-- A claim's documents: uploaded first (by the member or staff), then attached to a claim.
CREATE TABLE services_documents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uploaded_by bigint NOT NULL REFERENCES accounts (id),
  claim_id bigint,
  kind text NOT NULL,
  media_type text NOT NULL,
  bytes integer NOT NULL,
  file_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX services_documents_claim ON services_documents (claim_id);
CREATE INDEX services_documents_uploader ON services_documents (uploaded_by, created_at DESC);

CREATE TABLE services_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint NOT NULL REFERENCES services_plans (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  status text NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'ready', 'paid', 'failed')),
  claims integer NOT NULL DEFAULT 0,
  total_fen bigint NOT NULL DEFAULT 0,
  progress real NOT NULL DEFAULT 0,
  paid_on date,
  reference text,
  error text,
  created_by bigint REFERENCES accounts (id),
  paid_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One batch at a time is built per plan and organization: a second request while it builds is a 409.
CREATE UNIQUE INDEX services_batches_one_building ON services_batches (plan_id, org_id) WHERE status = 'building';
CREATE INDEX services_batches_org ON services_batches (org_id, created_at DESC);

CREATE TABLE services_claims (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint NOT NULL REFERENCES services_plans (id),
  rule_version integer NOT NULL,
  person_id bigint NOT NULL REFERENCES persons (id),
  -- The member's union when the claim was filed: the review chain starts there.
  org_id bigint NOT NULL REFERENCES orgs (id),
  province_id bigint NOT NULL,
  request_key text NOT NULL,
  filed_by bigint REFERENCES accounts (id),
  hospital text NOT NULL,
  admitted_on date NOT NULL,
  discharged_on date NOT NULL,
  days integer NOT NULL,
  diagnosis text NOT NULL,
  bank_name text NOT NULL,
  bank_account text NOT NULL,
  benefit_fen bigint NOT NULL CHECK (benefit_fen >= 0),
  approved_fen bigint NOT NULL CHECK (approved_fen >= 0 AND approved_fen <= benefit_fen),
  explanation jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('in_review', 'returned', 'approved', 'rejected', 'in_batch', 'paid')),
  -- The review chain (organization ids, bottom up) and the step it waits at (1-based).
  chain bigint[] NOT NULL,
  step integer NOT NULL DEFAULT 1,
  waiting_org_id bigint REFERENCES orgs (id),
  -- Sampling let it end at the first level.
  light_review boolean NOT NULL DEFAULT false,
  missing_documents text[] NOT NULL DEFAULT '{}',
  appealed boolean NOT NULL DEFAULT false,
  -- What the member appealed: a rejection or an adjusted amount (the appeal's "reject" keeps that decision).
  appeal_of text CHECK (appeal_of IN ('reject', 'adjust')),
  batch_id bigint REFERENCES services_batches (id),
  version integer NOT NULL DEFAULT 1,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  paid_at timestamptz,
  CHECK (discharged_on >= admitted_on),
  CHECK ((status = 'in_review') = (waiting_org_id IS NOT NULL)),
  CHECK ((status IN ('in_batch', 'paid')) = (batch_id IS NOT NULL)),
  UNIQUE (person_id, request_key)
);
CREATE INDEX services_claims_person ON services_claims (person_id, plan_id);
CREATE INDEX services_claims_org ON services_claims (org_id, status);
-- The review queues: what waits at an organization, oldest first; and every waiting claim in filing order.
CREATE INDEX services_claims_waiting ON services_claims (waiting_org_id, submitted_at, id) WHERE status = 'in_review';
CREATE INDEX services_claims_queue ON services_claims (submitted_at, id) WHERE status = 'in_review';
CREATE INDEX services_claims_payable ON services_claims (plan_id, id) WHERE status = 'approved';
CREATE INDEX services_claims_batch ON services_claims (batch_id) WHERE batch_id IS NOT NULL;

-- Every step of a claim: who, when, at which organization, from which state to which, why.
CREATE TABLE services_claim_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  claim_id bigint NOT NULL REFERENCES services_claims (id),
  province_id bigint NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint REFERENCES accounts (id),
  org_id bigint REFERENCES orgs (id),
  action text NOT NULL CHECK (action IN ('submit', 'approve', 'adjust', 'return', 'reject', 'resubmit', 'appeal', 'batch', 'pay')),
  from_status text,
  to_status text NOT NULL,
  reason text,
  amount_fen bigint,
  missing_documents text[]
);
CREATE INDEX services_claim_events_claim ON services_claim_events (claim_id, id);

-- The plan's money: contributions received and benefits paid, one row per statement or batch.
CREATE TABLE services_ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint NOT NULL REFERENCES services_plans (id),
  kind text NOT NULL CHECK (kind IN ('contribution', 'benefit')),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  statement_id bigint UNIQUE REFERENCES services_statements (id),
  batch_id bigint UNIQUE REFERENCES services_batches (id),
  at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'contribution') = (statement_id IS NOT NULL) AND (kind = 'benefit') = (batch_id IS NOT NULL))
);
CREATE INDEX services_ledger_plan ON services_ledger (plan_id, kind);
