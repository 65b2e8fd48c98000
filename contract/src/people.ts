import { z } from 'zod';
import { Id, IsoDate, Pagination, ProblemSchema } from './common.ts';
import { isMobilePhone, nationalIdProblem, NATIONAL_ID_CODES, normalizeNationalId } from './national-id.ts';
import { coded, errorsEn } from './messages/errors.ts';
import { codeListValue, type CodedField } from './code-lists.ts';

export const Gender = z.enum(['male', 'female']);
export const MembershipStatus = z.enum(['active', 'transferred_out', 'left']);
export type MembershipStatus = z.infer<typeof MembershipStatus>;

export const NationalIdNumber = z
  .string()
  .max(40, errorsEn['people.id_number.length'])
  .transform(normalizeNationalId)
  .superRefine((value, ctx) => {
    const problem = nationalIdProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', ...coded(NATIONAL_ID_CODES[problem]) });
  });

export const MobilePhone = z
  .string()
  .trim()
  .refine(isMobilePhone, coded('people.mobile.format'));

const Text = (max: number) => z.string().trim().min(1).max(max, `must be at most ${max} characters`);

/** A value from a national code list (code-lists.ts): its Chinese name, or any name or code of an entry, stored as the Chinese name. */
const Coded = (field: CodedField) =>
  z.string().trim().min(1).max(30, 'must be at most 30 characters')
    .refine((value) => codeListValue(field, value) !== null, coded('people.code_list.unknown'))
    .transform((value) => codeListValue(field, value) ?? value);

/** The roster fields a union keeps for a person (GLOSSARY.md, 会员实名制). */
export const PersonFields = z.object({
  name: z.string().trim().min(1, 'is required').max(50, 'must be at most 50 characters'),
  gender: Gender,
  ethnicity: Coded('ethnicity').optional(),
  birthDate: IsoDate.optional(),
  idNumber: NationalIdNumber,
  phone: MobilePhone.optional(),
  politicalStatus: Coded('politicalStatus').optional(),
  education: Coded('education').optional(),
  employer: Text(100).optional(),
  employmentForm: Coded('employmentForm').optional(),
});

export const MembershipInput = z
  .object({ orgId: Id, joinedOn: IsoDate, cardNumber: Text(30).optional() })
  .strict();

export const PersonCreate = PersonFields.extend({ membership: MembershipInput }).strict();
export const PersonUpdate = PersonFields.partial().strict();

/** A membership; one in a union outside the reader's subtrees shows as "another union" (orgId and orgName null), with its dates only. */
export const Membership = z.object({
  id: z.number().int(),
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  joinedOn: z.string(),
  endedOn: z.string().nullable(),
  status: MembershipStatus,
  cardNumber: z.string().nullable(),
  note: z.string().nullable(),
});

export const CadrePosition = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  title: z.string(),
  since: z.string(),
  until: z.string().nullable(),
});

export const Person = z.object({
  id: z.number().int(),
  name: z.string(),
  gender: Gender,
  ethnicity: z.string().nullable(),
  birthDate: z.string().nullable(),
  idNumberMasked: z.string(),
  phone: z.string().nullable(),
  politicalStatus: z.string().nullable(),
  education: z.string().nullable(),
  employer: z.string().nullable(),
  employmentForm: z.string().nullable(),
  updatedAt: z.string(),
});
export const PersonDetail = Person.extend({
  memberships: z.array(Membership),
  cadrePositions: z.array(CadrePosition),
});

/** One row of the member list: a membership with its person. */
export const MemberRow = z.object({
  membershipId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  gender: Gender,
  birthDate: z.string().nullable(),
  idNumberMasked: z.string(),
  phone: z.string().nullable(),
  employer: z.string().nullable(),
  orgId: z.number().int(),
  orgName: z.string(),
  status: MembershipStatus,
  joinedOn: z.string(),
});

/** `union`: the roster's order, by union (a subtree's unions depth first) and by name within each. */
export const MemberSortField = z.enum(['union', 'name', 'joinedOn', 'birthDate']);
export const MemberListQuery = Pagination.extend({
  orgId: Id.optional(),
  q: z.string().trim().max(50, 'must be at most 50 characters').optional(),
  /** Defaults to the current members; `all` includes those transferred out and those who left. */
  status: z.enum(['active', 'transferred_out', 'left', 'all']).default('active'),
  gender: Gender.optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  sort: MemberSortField.default('union'),
  order: z.enum(['asc', 'desc']).default('asc'),
}).strict();

export const TransferInput = z
  .object({ toOrgId: Id, date: IsoDate, note: Text(200).optional(), cardNumber: Text(30).optional() })
  .strict();
export const LeaveInput = z.object({ date: IsoDate, note: Text(200).optional() }).strict();
export const JoinInput = MembershipInput;

/** The most members one bulk action takes (a page of the member list at its largest). */
export const MAX_BULK_MEMBERS = 100;
const PersonIds = z.array(Id).min(1).max(MAX_BULK_MEMBERS, `must be at most ${MAX_BULK_MEMBERS}`).refine((ids) => new Set(ids).size === ids.length, 'must not repeat a person');
/** Several members transferred at once: all of them or none (each audited as a single transfer). */
export const BulkTransferInput = TransferInput.extend({ personIds: PersonIds }).strict();
/** Several members recorded as having left at once: all of them or none. */
export const BulkLeaveInput = LeaveInput.extend({ personIds: PersonIds }).strict();
export const BulkResult = z.object({ count: z.number().int() });
/** A bulk action's refusal: the problem of the member it stopped at, with that member (one the caller may see). */
export const BulkProblem = ProblemSchema.extend({ person: z.object({ id: z.number().int(), name: z.string() }).optional() });

export const CadrePositionCreate = z
  .object({ personId: Id, orgId: Id, title: Text(50), since: IsoDate })
  .strict();
export const CadrePositionEnd = z.object({ until: IsoDate }).strict();

/** 会员关系转接: a union asks for a person whose membership is active in a union outside its subtree. */
export const TransferRequestCreate = z
  .object({ idNumber: NationalIdNumber, toOrgId: Id, date: IsoDate, note: Text(200).optional(), cardNumber: Text(30).optional() })
  .strict();
export const TransferRequestStatus = z.enum(['pending', 'approved', 'declined', 'cancelled']);
/**
 * A transfer request as its reader may see it: the holding side (who decides) sees the person
 * and the union they leave; the asking side sees the name masked and no union until approved.
 */
export const TransferRequest = z.object({
  id: z.number().int(),
  status: TransferRequestStatus,
  personId: z.number().int().nullable(),
  personName: z.string(),
  idNumberMasked: z.string(),
  fromOrgId: z.number().int().nullable(),
  fromOrgName: z.string().nullable(),
  toOrgId: z.number().int(),
  toOrgName: z.string(),
  date: z.string(),
  note: z.string().nullable(),
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  /** Whether the reader may approve or decline (they reach the union that holds the person). */
  canDecide: z.boolean(),
  /** Whether the reader may cancel (they reach the union that asked). */
  canCancel: z.boolean(),
});
export const TransferRequestListQuery = Pagination.extend({
  direction: z.enum(['incoming', 'outgoing', 'all']).default('all'),
  status: z.enum(['pending', 'approved', 'declined', 'cancelled', 'all']).default('pending'),
}).strict();
export const TransferDecision = z.object({ reason: Text(200).optional() }).strict();
export const TransferDecline = z.object({ reason: Text(200) }).strict();
export type TransferRequest = z.infer<typeof TransferRequest>;

export type Person = z.infer<typeof Person>;
export type PersonDetail = z.infer<typeof PersonDetail>;
export type Membership = z.infer<typeof Membership>;
export type CadrePosition = z.infer<typeof CadrePosition>;
export type MemberRow = z.infer<typeof MemberRow>;

/** The member list's filter, for the .xlsx export of every matching row (column headings in `lang`). */
export const MemberExportQuery = MemberListQuery.omit({ page: true, pageSize: true })
  .extend({
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
    /** Only these memberships (the rows selected in the list), comma-separated; still within the filter and the caller's subtrees. */
    membershipIds: z.string().regex(/^\d{1,18}(,\d{1,18}){0,999}$/, 'must be membership ids separated by commas').optional()
      .transform((v) => (v === undefined ? undefined : v.split(',').map(Number))),
  })
  .strict();
/** An .xlsx sheet holds 1,048,576 rows, one of them the heading. */
export const MAX_EXPORT_ROWS = 1_048_575;
