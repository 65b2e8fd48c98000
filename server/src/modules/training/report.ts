import type { ClassReport } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import type { Caller } from '../../plugins/access.ts';
import { completionCtes } from './completion.ts';
import { authorizeClass } from './policy.ts';

/** Trainees with what the report groups by: organization, its level, current cadre position, present at all. */
const BASE = `${completionCtes()},
  present AS (
    SELECT DISTINCT a.province_id, a.enrolment_id FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id WHERE s.class_id = $1),
  positions AS (
    SELECT DISTINCT ON (cp.province_id, cp.person_id) cp.province_id, cp.person_id, cp.title
    FROM cadre_positions cp JOIN trainees t ON t.province_id = cp.province_id AND t.person_id = cp.person_id
    WHERE cp.until IS NULL ORDER BY cp.province_id, cp.person_id, cp.since DESC, cp.id DESC),
  base AS (
    SELECT c.enrolment_id, c.province_id, c.mode, c.status, c.org_id, o.name AS org_name, o.level,
           pr.enrolment_id IS NOT NULL AS present, coalesce(pos.title, '') AS position
    FROM completion c JOIN orgs o ON o.id = c.org_id
    LEFT JOIN present pr ON pr.province_id = c.province_id AND pr.enrolment_id = c.enrolment_id
    LEFT JOIN positions pos ON pos.province_id = c.province_id AND pos.person_id = c.person_id)`;
const COUNTS = `count(*)::int AS enrolled, count(*) FILTER (WHERE mode = 'onsite')::int AS onsite, count(*) FILTER (WHERE mode = 'live')::int AS live,
  count(*) FILTER (WHERE present)::int AS present, count(*) FILTER (WHERE status = 'completed')::int AS completed`;
const LEVEL_ORDER = `array_position(ARRAY['national', 'provincial', 'industrial', 'city', 'county', 'grassroots'], level)`;
export const TOP_ORGS = 50;

/**
 * The class report: enrolled against present per session (on site / live), and participants by
 * level, organization (the 50 largest, then the rest) and cadre position, with completion.
 * Limited to the trainees the caller sees (an audience organizer: their own people).
 */
export async function classReport(db: Queryable, caller: Caller, classId: number): Promise<ClassReport> {
  const cls = await authorizeClass(db, caller, classId, 'read');
  const { scope } = cls;
  const params = [classId, scope];
  const [totals, sessions, byLevel, byOrg, byPosition] = await Promise.all([
    db.query<ClassReport['totals']>(`WITH ${BASE} SELECT ${COUNTS},
      coalesce(round(count(*) FILTER (WHERE status = 'completed')::numeric / nullif(count(*), 0), 3), 0)::float8 AS "completionRate" FROM base`, params),
    db.query<ClassReport['sessions'][number]>(
      `WITH ${BASE}
       SELECT s.id AS "sessionId", s.kind, s.topic, to_json(s.starts_at)#>>'{}' AS "startsAt", s.place, s.stream_url IS NOT NULL AS streamed,
              CASE WHEN s.place IS NOT NULL THEN (SELECT count(*) FROM base WHERE mode = 'onsite') ELSE 0 END::int AS "expectedOnsite",
              CASE WHEN s.stream_url IS NOT NULL THEN (SELECT count(*) FROM base WHERE mode = 'live') ELSE 0 END::int AS "expectedLive",
              count(a.enrolment_id) FILTER (WHERE b.mode = 'onsite')::int AS "presentOnsite",
              count(a.enrolment_id) FILTER (WHERE b.mode = 'live')::int AS "presentLive"
       FROM training_sessions s LEFT JOIN (training_attendance a JOIN base b ON b.province_id = a.province_id AND b.enrolment_id = a.enrolment_id) ON a.session_id = s.id
       WHERE s.class_id = $1 GROUP BY s.id ORDER BY s.starts_at, s.id`, params),
    db.query<ClassReport['byLevel'][number]>(`WITH ${BASE} SELECT level, ${COUNTS} FROM base GROUP BY level ORDER BY ${LEVEL_ORDER}`, params),
    db.query<ClassReport['byOrg'][number]>(
      `WITH ${BASE}, per_org AS (
         SELECT org_id, org_name, level, ${COUNTS}, row_number() OVER (ORDER BY count(*) DESC, org_name) AS rank FROM base GROUP BY org_id, org_name, level)
       SELECT org_id AS "orgId", org_name AS "orgName", level, enrolled, onsite, live, present, completed FROM per_org WHERE rank <= ${TOP_ORGS}
       UNION ALL
       SELECT NULL, '其他单位 (other)', NULL, sum(enrolled)::int, sum(onsite)::int, sum(live)::int, sum(present)::int, sum(completed)::int
       FROM per_org WHERE rank > ${TOP_ORGS} HAVING count(*) > 0`, params),
    db.query<ClassReport['byPosition'][number]>(`WITH ${BASE} SELECT position AS title, ${COUNTS} FROM base GROUP BY position ORDER BY count(*) DESC, position`, params),
  ]);
  return {
    classId: cls.id, classTitle: cls.title, orgName: cls.orgName, startsOn: cls.startsOn, endsOn: cls.endsOn, status: cls.status,
    wholeClass: scope === null,
    totals: totals.rows[0]!, sessions: sessions.rows, byLevel: byLevel.rows, byOrg: byOrg.rows, byPosition: byPosition.rows,
  };
}
