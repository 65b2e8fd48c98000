import { z } from 'zod';
import { CursorPagination, Id, IsoDate, Pagination } from './common.ts';
import { OrgLevel } from './orgs.ts';
import { coded } from './messages/errors.ts';

/**
 * Services (server/src/modules/services), part 1: Huigong Bao (惠工保), the union's in-patient
 * mutual medical aid. An organization issues a plan for its subtree; grassroots unions enrol
 * their members and pay the contribution; members file claims from the phone; the benefit is
 * computed from the plan's versioned rules and explained line by line; review passes up the
 * tree from the member's union; approved claims are paid in batches. Money is integer fen.
 */

/** The largest document (photo or PDF) a claim takes. */
export const CLAIM_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
/** The largest number of documents on one claim. */
export const CLAIM_DOCUMENTS_MAX = 12;

/** The kinds of document a plan may require of a claim. */
export const CLAIM_DOCUMENT_KINDS = ['discharge_summary', 'invoice', 'id_card', 'bank_card', 'expense_list', 'other'] as const;
export const ClaimDocumentKind = z.enum(CLAIM_DOCUMENT_KINDS);
export type ClaimDocumentKind = z.infer<typeof ClaimDocumentKind>;

const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const Fen = z.number().int().min(0).max(100_000_000_00);
const Days = z.number().int().min(0).max(366);

/**
 * The benefit rules of a plan version (data, not code): a daily in-patient allowance for the
 * days of a stay (discharge date minus admission date) after the first `deductibleDays`,
 * capped per stay and per person per plan year; stays shorter than `minStayDays` and stays
 * beyond `maxStaysPerYear` are not paid. `requiredDocuments`: what a claim must carry.
 */
export const BenefitRules = z.object({
  dailyAllowanceFen: z.number().int().min(1).max(100_000_000_00),
  deductibleDays: Days,
  perStayCapFen: Fen,
  perYearCapFen: Fen,
  maxStaysPerYear: z.number().int().min(1).max(100),
  minStayDays: z.number().int().min(0).max(60),
  requiredDocuments: z.array(ClaimDocumentKind).max(CLAIM_DOCUMENT_KINDS.length),
}).strict();
export type BenefitRules = z.infer<typeof BenefitRules>;

/**
 * Optional sampling, as openIMIS does: claims whose benefit is above `reviewAboveFen`, and a
 * random `sampleShare` of the rest, pass every review level; the others end at the first.
 */
export const ReviewSampling = z.object({
  reviewAboveFen: Fen,
  sampleShare: z.number().min(0).max(1),
}).strict();

const PlanFields = z.object({
  name: Text(80),
  planYear: z.number().int().min(2000).max(2100),
  coverageStart: IsoDate,
  coverageEnd: IsoDate,
  enrolStart: IsoDate,
  enrolEnd: IsoDate,
  /** Age limits on the first day of coverage (years), if any. */
  minAge: z.number().int().min(0).max(120).nullable(),
  maxAge: z.number().int().min(0).max(120).nullable(),
  /** Per person per coverage period. */
  contributionFen: Fen,
  /** Days after payment before coverage starts. */
  waitingDays: z.number().int().min(0).max(365),
  /**
   * The levels that review a claim, bottom up (e.g. grassroots then county): each step is the
   * member's union's organization of that level; the issuing organization's own level ends the chain.
   */
  reviewLevels: z.array(OrgLevel).min(1).max(6),
  sampling: ReviewSampling.nullable(),
});

export const AidPlanCreate = PlanFields.extend({ orgId: Id, rules: BenefitRules }).strict();
export type AidPlanCreate = z.infer<typeof AidPlanCreate>;
/**
 * A change to a plan. `rules` with `rulesFrom` adds a rule version in force from that date
 * (claims admitted before it keep the earlier rules).
 */
export const AidPlanUpdate = PlanFields.partial().extend({
  rules: BenefitRules.optional(),
  rulesFrom: IsoDate.optional(),
}).strict();
export type AidPlanUpdate = z.infer<typeof AidPlanUpdate>;

export const AidPlanRuleVersion = z.object({
  version: z.number().int(),
  effectiveFrom: z.string(),
  rules: BenefitRules,
  createdAt: z.string(),
});

export const AidPlanStatus = z.enum(['upcoming', 'enrolling', 'active', 'ended']);
export type AidPlanStatus = z.infer<typeof AidPlanStatus>;

export const AidPlan = PlanFields.extend({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  /** From the dates, in China time. */
  status: AidPlanStatus,
  /** The rules in force today (or, before coverage, at its start). */
  rules: BenefitRules,
  versions: z.array(AidPlanRuleVersion),
  enrolled: z.number().int(),
  covered: z.number().int(),
  copiedFrom: z.number().int().nullable(),
});
export type AidPlan = z.infer<typeof AidPlan>;

export const AidPlanSummary = AidPlan.pick({
  id: true, orgId: true, orgName: true, name: true, planYear: true, coverageStart: true, coverageEnd: true,
  enrolStart: true, enrolEnd: true, contributionFen: true, status: true, enrolled: true, covered: true,
});
export type AidPlanSummary = z.infer<typeof AidPlanSummary>;

export const AidPlanListQuery = Pagination.extend({
  orgId: Id.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
}).strict();

// AidEnrolment ------------------------------------------------------------------------------------

/** A grassroots union enrols its members: every active member, or those chosen. */
export const AidEnrolInput = z.object({
  orgId: Id,
  personIds: z.array(Id).min(1).max(10_000).optional(),
  /** `all`: every active member of the union (personIds left out). */
  all: z.boolean().optional(),
}).strict();

export const AidIneligibleReason = z.enum(['not_member', 'age', 'already_enrolled']);
export const AidEnrolResult = z.object({
  enrolled: z.number().int(),
  alreadyEnrolled: z.number().int(),
  ineligible: z.array(z.object({ personId: z.number().int(), name: z.string().nullable(), reason: AidIneligibleReason })),
  /** The statement of the contribution due for those just enrolled (none when nobody was). */
  statementId: z.number().int().nullable(),
});
export type AidEnrolResult = z.infer<typeof AidEnrolResult>;

/**
 * Enrolment from a spreadsheet (.xlsx or .csv with 姓名 and 身份证号 columns) of one union's
 * members: every row checked first; a bad row rejects the whole file (422, every row's reason),
 * unless `acceptValid` enrols the good rows and reports the others. `dryRun` checks only.
 * Importing the same file again enrols nobody twice.
 */
export const AidEnrolImportQuery = z.object({
  orgId: Id,
  dryRun: z.stringbool().default(false),
  acceptValid: z.stringbool().default(false),
}).strict();

export const AidEnrolImportReport = z.object({
  dryRun: z.boolean(),
  rowsRead: z.number().int(),
  /** Enrolled now (or, in a dry run, that would be). */
  enrolled: z.number().int(),
  alreadyEnrolled: z.number().int(),
  statementId: z.number().int().nullable(),
  /** Rows left out (with acceptValid), each with its column and reason. */
  rejected: z.array(z.object({
    row: z.number().int(), field: z.string(), code: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(), reason: z.string(),
  })),
});
export type AidEnrolImportReport = z.infer<typeof AidEnrolImportReport>;

export const AidEnrolmentListQuery = Pagination.extend({
  orgId: Id.optional(),
  q: z.string().trim().max(40).optional(),
}).strict();

export const AidEnrolment = z.object({
  personId: z.number().int(),
  name: z.string(),
  /** The union that enrolled them. */
  orgId: z.number().int(),
  orgName: z.string(),
  statementId: z.number().int(),
  enrolledAt: z.string(),
  /** Null until the contribution is paid. */
  coveredFrom: z.string().nullable(),
  coveredTo: z.string(),
  /** Still a member of the union; one who left or transferred keeps coverage to the end of the period. */
  memberNow: z.boolean(),
});
export type AidEnrolment = z.infer<typeof AidEnrolment>;

export const StatementStatus = z.enum(['due', 'paid']);
/** A contribution statement: persons × contribution = amount due, recorded as paid. */
export const ContributionStatement = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  planName: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  persons: z.number().int(),
  contributionFen: z.number().int(),
  amountFen: z.number().int(),
  status: StatementStatus,
  paidOn: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string(),
});
export type ContributionStatement = z.infer<typeof ContributionStatement>;

export const StatementListQuery = Pagination.extend({
  orgId: Id.optional(),
  status: StatementStatus.optional(),
}).strict();

/** Recording a statement as paid: the amount must be the amount due. */
export const StatementPayment = z.object({
  paidOn: IsoDate,
  amountFen: Fen,
  reference: Text(60),
}).strict();

/** A member's coverage, as the app shows it. */
export const MyCoverage = z.object({
  planId: z.number().int(),
  planName: z.string(),
  orgName: z.string(),
  coverageEnd: z.string(),
  coveredFrom: z.string().nullable(),
  coveredTo: z.string(),
  /** covered: today within coverage; waiting: paid, coverage starts later; unpaid: the union has not paid yet; ended. */
  state: z.enum(['covered', 'waiting', 'unpaid', 'ended']),
  rules: BenefitRules,
  /** What remains this plan year. */
  staysLeft: z.number().int(),
  benefitLeftFen: z.number().int(),
});
export type MyCoverage = z.infer<typeof MyCoverage>;

// Claims ---------------------------------------------------------------------------------------

/**
 * in_review: waiting at `waitingOrg` (one of the review chain's levels, or an appeal's level);
 * returned: sent back to the member for missing documents; approved: every level approved,
 * waiting for payout; rejected; in_batch: in a payout batch; paid.
 */
export const ClaimStatus = z.enum(['in_review', 'returned', 'approved', 'rejected', 'in_batch', 'paid']);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

/** One line of a benefit's explanation: a code with its numbers (fen, days), worded by the client. */
export const BenefitLine = z.object({
  code: z.enum(['days', 'allowance', 'deductible', 'stay_cap', 'year_cap', 'short_stay', 'no_stays_left', 'adjusted', 'total', 'year_left']),
  days: z.number().int().optional(),
  dailyFen: z.number().int().optional(),
  amountFen: z.number().int().optional(),
  capFen: z.number().int().optional(),
  /** The amount after this line. */
  runningFen: z.number().int().optional(),
  reason: z.string().optional(),
});
export type BenefitLine = z.infer<typeof BenefitLine>;

export const BenefitExplanation = z.object({
  ruleVersion: z.number().int(),
  days: z.number().int(),
  benefitFen: z.number().int(),
  lines: z.array(BenefitLine),
});
export type BenefitExplanation = z.infer<typeof BenefitExplanation>;

export const ClaimDocumentRef = z.object({ id: Id, kind: ClaimDocumentKind }).strict();

export const ClaimDocument = z.object({
  id: z.number().int(),
  kind: ClaimDocumentKind,
  mediaType: z.string(),
  bytes: z.number().int(),
  /** Where the document is shown (signed-in; the claim's member and its reviewers). */
  url: z.string(),
});
export type ClaimDocument = z.infer<typeof ClaimDocument>;

const ClaimFields = z.object({
  hospital: Text(80),
  admittedOn: IsoDate,
  dischargedOn: IsoDate,
  diagnosis: Text(200),
  bankName: Text(40),
  /** Digits (12 to 30), spaces allowed. */
  bankAccount: z.string().trim().regex(/^[0-9 ]{12,40}$/, coded('services.claim.bank_account')).transform((v) => v.replace(/ /g, '')),
  documents: z.array(ClaimDocumentRef).max(CLAIM_DOCUMENTS_MAX),
});

/**
 * A claim, filed by the member (personId left out) or by their union's staff for them.
 * `requestKey`: a key the client makes once per claim form; sending the same key again
 * (a double-click, a retry) answers the claim already filed.
 */
export const ClaimCreate = ClaimFields.extend({
  planId: Id,
  personId: Id.optional(),
  requestKey: z.string().trim().min(8).max(64),
}).strict();
export type ClaimCreate = z.infer<typeof ClaimCreate>;

export const ReviewAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), version: z.number().int().min(1) }).strict(),
  z.object({ action: z.literal('adjust'), version: z.number().int().min(1), amountFen: Fen, reason: Text(300) }).strict(),
  z.object({ action: z.literal('return'), version: z.number().int().min(1), missingDocuments: z.array(ClaimDocumentKind).min(1), reason: Text(300).optional() }).strict(),
  z.object({ action: z.literal('reject'), version: z.number().int().min(1), reason: Text(300) }).strict(),
]);
export type ReviewAction = z.infer<typeof ReviewAction>;

export const ResubmitInput = z.object({ version: z.number().int().min(1), documents: z.array(ClaimDocumentRef).min(1).max(CLAIM_DOCUMENTS_MAX) }).strict();
export const AppealInput = z.object({ version: z.number().int().min(1), reason: Text(500) }).strict();

export const ClaimEvent = z.object({
  at: z.string(),
  action: z.enum(['submit', 'approve', 'adjust', 'return', 'reject', 'resubmit', 'appeal', 'batch', 'pay']),
  actor: z.string().nullable(),
  orgName: z.string().nullable(),
  fromStatus: ClaimStatus.nullable(),
  toStatus: ClaimStatus,
  reason: z.string().nullable(),
  amountFen: z.number().int().nullable(),
  missingDocuments: z.array(ClaimDocumentKind).nullable(),
});

export const ClaimSummary = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  hospital: z.string(),
  admittedOn: z.string(),
  dischargedOn: z.string(),
  days: z.number().int(),
  status: ClaimStatus,
  benefitFen: z.number().int(),
  /** What will be paid: the benefit, or a reviewer's adjusted amount. */
  approvedFen: z.number().int(),
  /** The organization whose review it waits for (in_review). */
  waitingOrgId: z.number().int().nullable(),
  waitingOrgName: z.string().nullable(),
  appealed: z.boolean(),
  submittedAt: z.string(),
  version: z.number().int(),
});
export type ClaimSummary = z.infer<typeof ClaimSummary>;

export const Claim = ClaimSummary.extend({
  planName: z.string(),
  diagnosis: z.string(),
  bankName: z.string(),
  /** Masked but for its last four digits, except to payers. */
  bankAccount: z.string(),
  explanation: BenefitExplanation,
  documents: z.array(ClaimDocument),
  /** The kinds a reviewer asked for (returned). */
  missingDocuments: z.array(ClaimDocumentKind),
  /** The review chain: each level's organization and what it decided. */
  chain: z.array(z.object({ orgId: z.number().int(), orgName: z.string(), level: OrgLevel, decision: z.enum(['approve', 'adjust', 'reject', 'pending', 'skipped']) })),
  history: z.array(ClaimEvent),
  /** What the caller may do now. */
  can: z.object({ review: z.boolean(), resubmit: z.boolean(), appeal: z.boolean() }),
  batchId: z.number().int().nullable(),
});
export type Claim = z.infer<typeof Claim>;

export const ClaimListQuery = CursorPagination.extend({
  status: ClaimStatus.optional(),
  planId: Id.optional(),
  /** Claims of this organization's subtree (members' unions). */
  orgId: Id.optional(),
  /** true: only claims waiting for the caller's own organizations' decision (the review queue). */
  waitingForMe: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  q: z.string().trim().max(40).optional(),
}).strict();

// Payout ---------------------------------------------------------------------------------------

export const BatchStatus = z.enum(['building', 'ready', 'paid', 'failed']);
export type BatchStatus = z.infer<typeof BatchStatus>;

/** Gathers the approved claims of a plan in the payer's organization's subtree into one batch (a job). */
export const BatchCreate = z.object({ planId: Id, orgId: Id }).strict();
export const BatchPaid = z.object({ paidOn: IsoDate, reference: Text(60) }).strict();

export const Batch = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  planName: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  status: BatchStatus,
  claims: z.number().int(),
  totalFen: z.number().int(),
  /** 0..1 while building. */
  progress: z.number(),
  paidOn: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type Batch = z.infer<typeof Batch>;

export const BatchListQuery = Pagination.extend({ planId: Id.optional(), status: BatchStatus.optional() }).strict();

// Figures --------------------------------------------------------------------------------------

/** Huigong Bao in a subtree (members' unions within it): coverage, contributions and claims. */
export const ServicesFigures = z.object({
  covered: z.number().int(),
  enrolled: z.number().int(),
  contributionsDueFen: z.number().int(),
  contributionsPaidFen: z.number().int(),
  claimsByStatus: z.record(ClaimStatus, z.number().int()),
  approvedFen: z.number().int(),
  paidFen: z.number().int(),
  /** From filing to payment, over paid claims (null when none). */
  averageDaysToPay: z.number().nullable(),
});
export type ServicesFigures = z.infer<typeof ServicesFigures>;
