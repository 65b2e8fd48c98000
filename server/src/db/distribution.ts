// Where every table lives when Workers' Home runs on Citus (docs/scale-out.md says why):
// - distributed: split into shards over the workers by one column; tables sharing a
//   co-location group keep the rows of one key on the same node, so joins on it stay local;
// - reference: a full copy on every node (small, read with everything, rarely written);
// - coordinator: an ordinary table on the coordinator (bookkeeping the application alone reads).
// On one PostgreSQL this changes nothing. A table missing here fails server/test/distribution.test.ts:
// a new table is born with its place decided.

export type Placement =
  | { kind: 'distributed'; column: string; colocateWith?: string; why: string }
  | { kind: 'reference'; why: string }
  | { kind: 'coordinator'; why: string };

/**
 * The distribution key of the roster is the province: the organization at the tree's second
 * level (a provincial federation or a national industrial union). A person's rows carry the
 * person's home province, that of their active membership (migration 0066); the figures and the
 * audit log, the province of the organization they count or concern. Chosen by measurement
 * (bench/citus-keys.ts, docs/scale-out.md).
 */
export const PROVINCE_KEY = 'province_id';

export const DISTRIBUTION: Readonly<Record<string, Placement>> = {
  // The tree: joined by every scoped query, 3M rows at most, edited rarely.
  orgs: { kind: 'reference', why: 'every scoped query joins or reads the tree; small; rarely written' },
  settings: { kind: 'coordinator', why: 'a few keys the application reads alone' },
  schema_migrations: { kind: 'coordinator', why: 'the migration runner’s bookkeeping' },

  // The roster: 300 million members; a county's or province's work stays on one shard.
  persons: { kind: 'distributed', column: PROVINCE_KEY, why: 'the roster; read by subtree, which lies in one province' },
  id_numbers: { kind: 'distributed', column: 'id_number_hash', why: 'a national ID number is unique across provinces: one row per lookup hash, on the shard of its hash' },
  memberships: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'joined with persons on every list and search' },
  cadre_positions: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'read with the person and the union' },
  transfer_requests: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'the person’s home province; moves with the person (move_persons_to_province, 0066)' },
  member_search: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'the search’s copy of each membership, keyed by subtree; kept by triggers on the same shard' },
  audit_log: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'append-only and the largest table; read by subtree' },

  // Figures: each province keeps its own contribution to every ancestor (the root’s figure is the sum of one row per province).
  subtree_member_figures: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'maintained by triggers on memberships, on the same shard' },
  subtree_org_figures: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'maintained by triggers on orgs, per province' },
  subtree_training_figures: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'maintained with enrolments, per province' },
  subtree_figure_tables: { kind: 'reference', why: 'the list of figure tables, read by the triggers on every node' },
  person_rows: { kind: 'coordinator', why: 'the list of tables holding a person’s rows, read when a person moves to another province' },
  org_path_copies: { kind: 'coordinator', why: 'the list of tables that copy an organization’s path, read by the organization move' },

  // Accounts and sessions: one lookup per request, a global unique username.
  accounts: { kind: 'coordinator', why: 'a global unique username; one lookup per sign-in' },
  role_grants: { kind: 'coordinator', why: 'read with the account on every request' },
  sessions: { kind: 'coordinator', why: 'one lookup by token per request' },
  sign_in_failures: { kind: 'coordinator', why: 'throttling counts, short-lived' },

  // Imports and jobs: bookkeeping of the application’s own work.
  import_jobs: { kind: 'coordinator', why: 'a job’s state' },
  import_rejects: { kind: 'coordinator', why: 'rows refused by one import, read with its job' },
  job_workers: { kind: 'coordinator', why: 'the servers’ heartbeats (with pg-boss’s own schema, also on the coordinator)' },
  job_runs: { kind: 'coordinator', why: 'which server runs which job' },
  training_certificate_jobs: { kind: 'coordinator', why: 'a certificate batch’s state' },

  // Training: classes and their content are few and read with everything; what grows with people
  // carries the trainee's province, so a county's class (nearly all) stays on one shard with its
  // trainees' records, and a national class's rows route each to its trainee's province.
  training_plans: { kind: 'reference', why: 'a few per organization a year' },
  training_classes: { kind: 'reference', why: 'thousands a year; joined with enrolments on every node' },
  training_sessions: { kind: 'reference', why: 'a few per class' },
  training_courses: { kind: 'reference', why: 'a few per class' },
  training_materials: { kind: 'reference', why: 'a few per course' },
  training_enrolments: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'joined with the trainee; a county class’s roll and check-in burst stay on one shard' },
  training_attendance: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'one row per check-in, routed by the trainee’s province' },
  training_live_presence: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'one row per trainee in a live session' },
  training_competency_assessments: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'per enrolment' },
  training_certificates: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'per enrolment; verified by number through a lookup' },
  training_study: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'study time per trainee and material' },
  training_clock: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'one row per trainee, locked on every beat' },

  // News: content of a few thousand newsrooms, not of people; read by the portal far more than written,
  // with the tree. Versions and reports are read one article or one newsroom at a time by the application.
  news_newsrooms: { kind: 'reference', why: 'one row per publishing organization; read with every portal page' },
  news_articles: { kind: 'reference', why: 'thousands a year per province, written rarely, read by every portal page and joined with the tree' },
  news_images: { kind: 'reference', why: 'a few per article, read with the articles' },
  news_article_versions: { kind: 'coordinator', why: 'the whole history of each article, read one article at a time by the newsroom' },
  news_reports: { kind: 'coordinator', why: 'reports from the public, few; worked one newsroom at a time' },

  // Services (Huigong Bao): plans and statements are few and read with the tree; what grows with
  // people (enrolments, claims and their history) carries the member's province.
  services_plans: { kind: 'reference', why: 'a few per issuing organization a year; read with every enrolment and claim' },
  services_plan_rules: { kind: 'reference', why: 'a few versions per plan; every claim is computed by one' },
  services_statements: { kind: 'reference', why: 'one per union enrolment: thousands per plan' },
  services_enrolments: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'one per member and plan; read with the member' },
  services_claims: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'per member; a county’s review queue stays on one shard' },
  services_claim_events: { kind: 'distributed', column: PROVINCE_KEY, colocateWith: 'persons', why: 'the history of each claim, beside it' },
  services_documents: { kind: 'coordinator', why: 'uploads of an account, read one claim at a time' },
  services_batches: { kind: 'coordinator', why: 'a payer’s batches, few' },
  services_ledger: { kind: 'coordinator', why: 'one row per statement paid and batch paid' },
};
