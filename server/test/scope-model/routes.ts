/**
 * The served OpenAPI document turned into probes: every operation, its id positions (path
 * parameters, body fields, query parameters) mapped to entity kinds, and a body built from
 * its own schema. A position whose kind cannot be told fails the test with its name.
 */
import { unique, validIdNumber } from '../helpers.ts';
import type { Kind } from './kinds.ts';

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  nullable?: boolean;
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface Position {
  where: 'path' | 'query' | 'body';
  /** Parameter name, or a body field's dotted path (membership.orgId). */
  name: string;
  kind: Kind;
  required: boolean;
  /** Body arrays of ids (audienceOrgIds). */
  array?: boolean;
}

export interface Route {
  key: string; // "POST /api/persons/{id}/transfer"
  method: string;
  path: string;
  positions: Position[];
  bodySchema: JsonSchema | null;
  multipart: boolean;
  /** The 200 answer is a page ({items}) or an array. */
  isList: boolean;
}

/** Path parameters named `id`, by the URL they follow. */
const PATH_KINDS: Array<[RegExp, Kind]> = [
  [/^\/api\/orgs\/\{id\}/, 'org'],
  [/^\/api\/persons\/\{id\}/, 'person'],
  [/^\/api\/cadre-positions\/\{id\}/, 'position'],
  [/^\/api\/member-imports\/\{id\}/, 'importJob'],
  [/^\/api\/grants\/\{id\}/, 'grant'],
  [/^\/api\/accounts\/\{id\}/, 'account'],
  [/^\/api\/transfer-requests\/\{id\}/, 'transferRequest'],
  [/^\/api\/training\/plans\/\{id\}/, 'plan'],
  [/^\/api\/training\/classes\/\{id\}/, 'class'],
  [/^\/api\/training\/sessions\/\{id\}/, 'session'],
  [/^\/api\/training\/enrolments\/\{id\}/, 'enrolment'],
  [/^\/api\/training\/courses\/\{id\}/, 'course'],
  [/^\/api\/training\/materials\/\{id\}/, 'material'],
  [/^\/api\/training\/certificates\/\{id\}/, 'certificate'],
  [/^\/api\/training\/certificate-jobs\/\{id\}/, 'certJob'],
  [/^\/api\/my\/training\/classes\/\{id\}/, 'myClass'],
  [/^\/api\/my\/training\/sessions\/\{id\}/, 'mySession'],
  [/^\/api\/my\/training\/courses\/\{id\}/, 'myCourse'],
  [/^\/api\/my\/training\/materials\/\{id\}/, 'myMaterial'],
  [/^\/api\/my\/training\/certificates\/\{id\}/, 'myCertificate'],
  [/^\/api\/news\/articles\/\{id\}/, 'article'],
  [/^\/api\/news\/reports\/\{id\}/, 'report'],
  [/^\/api\/news\/newsrooms\/\{id\}/, 'org'],
  [/^\/api\/services\/plans\/\{id\}/, 'aidPlan'],
  [/^\/api\/services\/statements\/\{id\}/, 'statement'],
  [/^\/api\/services\/claims\/\{id\}/, 'claim'],
  [/^\/api\/services\/documents\/\{id\}/, 'document'],
  [/^\/api\/services\/batches\/\{id\}/, 'batch'],
  [/^\/api\/my\/services\/claims\/\{id\}/, 'myClaim'],
];

/** Parameters that are not scoped ids, each with the reason. */
export const UNSCOPED_PARAMS: Record<string, string> = {
  'GET /api/verify/{number} number': 'a certificate number, public by design (anyone may check one)',
  'GET /api/training/feeds/{token}.ics token': 'an unguessable feed token, public by design',
};

/** Body and query fields by name. */
const FIELD_KINDS: Record<string, Kind> = {
  orgId: 'org', toOrgId: 'org', parentId: 'org', within: 'org', fromOrgId: 'org', audienceOrgIds: 'org',
  personId: 'person', accountId: 'account', actorId: 'account', classId: 'class', sessionId: 'session', planId: 'plan',
  personIds: 'person', enrolmentId: 'enrolment', enrolmentIds: 'enrolment', courseId: 'course', materialId: 'material', certificateId: 'certificate', idNumber: 'idNumber',
  coverImageId: 'image',
};
const MY_FIELD_KINDS: Record<string, Kind> = { classId: 'myClass', sessionId: 'mySession', courseId: 'myCourse', materialId: 'myMaterial' };
/** Fields that look like ids but are not scoped ones. */
// membershipIds: a selection within the member export, which is limited to the caller's subtrees like
// the list (member-bulk.test.ts: a sibling's membership chosen by id is not exported).
const NOT_IDS = new Set(['entityId', 'membershipIds']);
const looksLikeId = (name: string) => /(Id|Ids)$/.test(name) || name === 'within' || name === 'idNumber';

function fieldKind(path: string, name: string): Kind | undefined {
  const leaf = name.split('.').pop()!;
  if (path === '/api/accounts' && leaf === 'personId') return 'currentPerson';
  if (path.startsWith('/api/my/services/') && leaf === 'planId') return 'myAidPlan';
  if (path.startsWith('/api/services/') && leaf === 'planId') return 'aidPlan';
  if (path.startsWith('/api/my/') && MY_FIELD_KINDS[leaf]) return MY_FIELD_KINDS[leaf];
  return FIELD_KINDS[leaf];
}

/** The body branch to use: a plain object, or for anyOf the branch that requires an id (check-in by session and code). */
export function bodyBranch(schema: JsonSchema | null): JsonSchema | null {
  if (!schema) return null;
  if (schema.anyOf) return schema.anyOf.find((s) => (s.required ?? []).some((r) => looksLikeId(r))) ?? schema.anyOf[0]!;
  return schema;
}

export function routesOf(spec: { paths: Record<string, Record<string, OpenApiOperation>> }): { routes: Route[]; unclassified: string[] } {
  const routes: Route[] = [];
  const unclassified: string[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const key = `${method.toUpperCase()} ${path}`;
      const positions: Position[] = [];
      for (const p of op.parameters ?? []) {
        if (p.in === 'path') {
          if (UNSCOPED_PARAMS[`${key} ${p.name}`]) continue;
          const kind = p.name === 'id' ? PATH_KINDS.find(([re]) => re.test(path))?.[1] : p.name === 'enrolmentId' ? 'enrolment' : undefined;
          if (!kind) unclassified.push(`${key}: path parameter ${p.name}`);
          else positions.push({ where: 'path', name: p.name, kind, required: true });
        } else if (p.in === 'query' && looksLikeId(p.name) && !NOT_IDS.has(p.name)) {
          const kind = fieldKind(path, p.name);
          if (!kind) unclassified.push(`${key}: query parameter ${p.name}`);
          else positions.push({ where: 'query', name: p.name, kind, required: !!p.required });
        }
      }
      const content = op.requestBody?.content ?? {};
      const bodySchema = bodyBranch(content['application/json']?.schema ?? null);
      const multipart = !!op.requestBody && !content['application/json'];
      const walk = (schema: JsonSchema, prefix: string, required: boolean) => {
        for (const [name, s] of Object.entries(schema.properties ?? {})) {
          const full = prefix + name;
          const req = required && (schema.required ?? []).includes(name);
          if (s.type === 'object' && s.properties) walk(s, `${full}.`, req);
          else if (looksLikeId(name) && !NOT_IDS.has(name)) {
            const kind = fieldKind(path, full);
            if (!kind) unclassified.push(`${key}: body field ${full}`);
            else positions.push({ where: 'body', name: full, kind, required: req, ...(s.type === 'array' ? { array: true } : {}) });
          }
        }
      };
      if (bodySchema) walk(bodySchema, '', true);
      const ok = op.responses?.['200']?.content?.['application/json']?.schema;
      const isList = !!ok && (ok.type === 'array' || !!ok.properties?.items);
      routes.push({ key, method: method.toUpperCase(), path, positions, bodySchema, multipart, isList });
    }
  }
  return { routes, unclassified };
}

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

/** A value for a non-id field from its schema and name: valid enough to get past validation to the id checks. */
function sampleValue(name: string, s: JsonSchema): unknown {
  const byName: Record<string, () => unknown> = {
    username: () => unique('probe.').toLowerCase(), password: () => 'a-long-password-1', newPassword: () => 'a-long-password-1',
    code: () => '000000', phone: () => '13800000000', startsAt: () => inHours(1), endsAt: () => inHours(2), gender: () => 'male',
    date: () => '2025-01-01', joinedOn: () => '2025-01-01', since: () => '2025-01-01', until: () => '2025-01-01', startsOn: () => '2025-01-01',
    endsOn: () => '2025-01-02', closedOn: () => '2025-01-01', year: () => 2026, name: () => unique('探针'), title: () => unique('探针'),
    reason: () => '探针', role: () => 'reviewer', kind: () => s.enum?.includes('enterprise_union') ? 'enterprise_union' : s.enum?.includes('page') ? 'page' : s.enum?.[0],
    body: () => '正文', level: () => 'grassroots', status: () => s.enum?.[0], score: () => 80, seconds: () => 30,
  };
  if (byName[name]) return byName[name]();
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sampleValue(name, s.anyOf[0]!);
  switch (s.type) {
    case 'integer': case 'number': return Math.max(s.minimum ?? 1, 1);
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return sampleObject(s, '', new Set());
    default:
      if (s.format === 'date') return '2025-01-01';
      if (s.format === 'date-time') return inHours(1);
      if (s.format === 'uri') return 'https://example.org/x';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  }
}

/** The required non-id fields of an object schema (ids are filled in by the caller of this). */
export function sampleObject(schema: JsonSchema, prefix: string, idFields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const full = prefix + name;
    if (idFields.has(full)) continue;
    if (!(schema.required ?? []).includes(name)) continue;
    out[name] = s.type === 'object' && s.properties ? sampleObject(s, `${full}.`, idFields) : sampleValue(name, s);
  }
  return out;
}

/** Optional fields sent besides the required ones, so a write has something to do (or a lookup to make). */
export const EXTRA_FIELDS: Record<string, Record<string, unknown> | ((ids: Record<string, unknown>) => Record<string, unknown>)> = {
  'PATCH /api/orgs/{id}': { shortName: '甲' },
  'PATCH /api/persons/{id}': { employer: '探针单位' },
  'PATCH /api/training/plans/{id}': { note: '探针' },
  'PATCH /api/training/classes/{id}': { venue: '探针' },
  'PATCH /api/training/sessions/{id}': { topic: '探针' },
  'PATCH /api/training/courses/{id}': { description: '探针' },
  'PATCH /api/training/materials/{id}': { title: '探针' },
  'PATCH /api/training/enrolments/{id}': { mode: 'onsite' },
  'POST /api/training/courses/{id}/materials': { kind: 'page', body: '正文' },
  // Huigong Bao: bodies valid enough to reach the id checks (dates in order, a review level, rules).
  'POST /api/services/plans': {
    name: '探针方案', planYear: 2026, coverageStart: '2026-01-01', coverageEnd: '2026-12-31', enrolStart: '2026-01-01', enrolEnd: '2026-12-31', reviewLevels: ['grassroots'],
    rules: { dailyAllowanceFen: 5000, deductibleDays: 0, perStayCapFen: 100000, perYearCapFen: 200000, maxStaysPerYear: 3, minStayDays: 0, requiredDocuments: [] },
  },
  'PATCH /api/services/plans/{id}': { name: '探针方案' },
  'POST /api/services/plans/{id}/enrolments': { all: true },
  'POST /api/services/claims': { admittedOn: '2026-01-02', dischargedOn: '2026-01-05', bankAccount: '6222021001012345678', requestKey: 'probe-request-key' },
  'POST /api/my/services/claims': { admittedOn: '2026-01-02', dischargedOn: '2026-01-05', bankAccount: '6222021001012345678', requestKey: 'probe-request-key' },
  'POST /api/services/statements/{id}/payment': { paidOn: '2026-01-01', amountFen: 1 },
};

/** Optional id fields that are alternatives of one another: only one is sent (the probed one, or the first). */
export const ALTERNATIVES: Record<string, string[]> = {
  'POST /api/training/classes/{id}/enrolments': ['personId', 'idNumber'],
  'POST /api/training/courses': ['classId', 'orgId'],
};

/** Multipart bodies: a file that passes the checks that come before the scope checks. */
export function multipartFile(key: string, idNumber: string): { name: string; content: string } {
  if (key.includes('enrolments/import')) return { name: 'trainees.csv', content: `姓名,身份证号,方式\n探针,${idNumber},线下\n` };
  return { name: 'roster.csv', content: `姓名,身份证号,入会时间\n探针,${validIdNumber()},2020-01-01\n` };
}
