import { COMPETENCY_ASPECTS } from '@workers-home/contract';
import type { Client } from '../db/pool.ts';

/**
 * The demo's training (shared/seed-facts.md, seeds 000–002): the Inner Mongolia class at the
 * China Institute of Labor Relations, the Shanghai class with 200+ participants, and the
 * ACFTU special class of the "2024 ACFTU cadre training plan" with on-site trainees, several
 * hundred live trainees and supporting online courses; plus a Zhongmou class running on the
 * day the demo is seeded, so the member app has a session to check in to. Speakers' names are
 * invented; their roles follow the seeds. Attendance, presence, study and self-assessments are
 * written with set-based SQL (deterministic hashes, no per-row round trips) so the report and
 * the certificates have something true to show. Certificates are left for the organizer to
 * issue (one click on the class's certificates tab): the job takes the server's own address
 * for the QR codes, which the seed does not know.
 */
export interface TrainingOrgs {
  get(key: string): { id: number; path: string } | undefined;
}

interface Speaker { name: string; title: string; org: string }
interface SessionSpec {
  kind: 'opening' | 'lecture' | 'onsite_teaching' | 'discussion' | 'policy' | 'live' | 'closing';
  topic: string;
  starts: string;
  ends: string;
  place: string | null;
  stream: boolean;
  speakers?: Speaker[];
}

const INSTITUTE = '中国劳动关系学院';
const ACFTU = '中华全国总工会';

async function insertClass(db: Client, fields: {
  planId?: number; orgId: number; title: string; theme: string; host: string; venue: string; startsOn: string; endsOn: string;
  onsite: number; live: number; status: string; hours: number; share: number; onlineMinutes: number; competency: boolean; audience: number[]; audienceNote: string;
}): Promise<number> {
  const row = await db.query<{ id: number }>(
    `INSERT INTO training_classes (plan_id, org_id, title, theme, host_institution, venue, starts_on, ends_on, capacity_onsite, capacity_live,
       audience_org_ids, audience_note, status, class_hours, min_attendance_share, min_online_minutes, competency_model)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
    [fields.planId ?? null, fields.orgId, fields.title, fields.theme, fields.host, fields.venue, fields.startsOn, fields.endsOn, fields.onsite, fields.live,
      fields.audience, fields.audienceNote, fields.status, fields.hours, fields.share, fields.onlineMinutes, fields.competency],
  );
  return row.rows[0]!.id;
}

async function insertSessions(db: Client, classId: number, sessions: SessionSpec[], streamBase: string) {
  await db.query(
    `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place, stream_url, speakers)
     SELECT $1, s.kind, s.topic, s.starts, s.ends, s.place, CASE WHEN s.stream THEN $2 || s.n END, s.speakers
     FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::boolean[], $9::jsonb[]) WITH ORDINALITY
       AS s(kind, topic, starts, ends, place, stream, speakers, n)`,
    [classId, streamBase, sessions.map((s) => s.kind), sessions.map((s) => s.topic), sessions.map((s) => s.starts), sessions.map((s) => s.ends),
      sessions.map((s) => s.place), sessions.map((s) => s.stream), sessions.map((s) => JSON.stringify(s.speakers ?? []))],
  );
}

/**
 * Enrols `count` people of the subtree under `rootPath` who are not in the class yet, in a
 * stable pseudo-random order; the enrolment's organization is the nearest ancestor of the
 * person's union at one of `orgLevels` (the union itself with 'grassroots'). The enrolment's
 * province is its person's, which their membership carries.
 */
async function enrolFrom(db: Client, classId: number, rootPath: string, count: number, mode: 'onsite' | 'live', orgLevels: string[], salt: number): Promise<number> {
  const result = await db.query(
    `INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode, enrolled_at)
     SELECT $1, m.person_id, m.province_id,
            coalesce((SELECT a.id FROM orgs a WHERE a.path @> o.path AND a.level = ANY($5::text[]) ORDER BY nlevel(a.path) DESC LIMIT 1), o.id),
            $4, (SELECT starts_on FROM training_classes WHERE id = $1) - 14
     FROM memberships m JOIN orgs o ON o.id = m.org_id
     WHERE m.status = 'active' AND o.path <@ $2::ltree
       AND NOT EXISTS (SELECT 1 FROM training_enrolments e WHERE e.class_id = $1 AND e.province_id = m.province_id AND e.person_id = m.person_id)
     ORDER BY hashint4((m.person_id * 7919 + $6)::int), m.person_id
     LIMIT $3`,
    [classId, rootPath, count, mode, orgLevels, salt],
  );
  return result.rowCount ?? 0;
}

/** Attendance for the sessions expected of each trainee's mode, at `share` percent, with live presence for streamed ones. */
async function fillAttendance(db: Client, classId: number, onsitePercent: number, livePercent: number) {
  await db.query(
    `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, checked_in_at)
     SELECT s.id, e.id, e.province_id, CASE WHEN e.mode = 'live' THEN 'live' WHEN abs(hashint4((e.id + s.id)::int)) % 10 = 0 THEN 'code' ELSE 'qr' END,
            s.starts_at - make_interval(mins => abs(hashint4((e.id * 3 + s.id)::int)) % 20) + CASE WHEN e.mode = 'live' THEN interval '40 minutes' ELSE interval '0' END
     FROM training_enrolments e JOIN training_sessions s ON s.class_id = e.class_id
     WHERE e.class_id = $1 AND s.ends_at < now()
       AND CASE WHEN e.mode = 'onsite' THEN s.place IS NOT NULL ELSE s.stream_url IS NOT NULL END
       AND abs(hashint4((e.id * 131 + s.id)::int)) % 100 < CASE WHEN e.mode = 'onsite' THEN $2::int ELSE $3::int END`,
    [classId, onsitePercent, livePercent],
  );
  await db.query(
    `INSERT INTO training_live_presence (session_id, enrolment_id, province_id, seconds, last_beat_at)
     SELECT a.session_id, a.enrolment_id, a.province_id, (extract(epoch FROM s.ends_at - s.starts_at) * (0.7 + abs(hashint4(a.enrolment_id::int)) % 30 / 100.0))::int, s.ends_at
     FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
     JOIN training_enrolments e ON e.province_id = a.province_id AND e.id = a.enrolment_id
     WHERE s.class_id = $1 AND e.mode = 'live'`,
    [classId],
  );
}

async function insertCourse(db: Client, orgId: number, classId: number | null, title: string, description: string, materials: Array<[kind: string, title: string, minutes: number]>) {
  const course = await db.query<{ id: number }>(`INSERT INTO training_courses (org_id, class_id, title, description) VALUES ($1, $2, $3, $4) RETURNING id`, [orgId, classId, title, description]);
  await db.query(
    `INSERT INTO training_materials (course_id, position, kind, title, url, body, required_minutes)
     SELECT $1::bigint, m.n - 1, m.kind, m.title, CASE WHEN m.kind <> 'page' THEN 'https://edu.example.org/courses/' || $1::bigint || '/' || m.n END,
            CASE WHEN m.kind = 'page' THEN m.title || '：学习要点与思考题。' END, m.minutes
     FROM unnest($2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS m(kind, title, minutes, n)`,
    [course.rows[0]!.id, materials.map((m) => m[0]), materials.map((m) => m[1]), materials.map((m) => m[2])],
  );
  return course.rows[0]!.id;
}

/** Study time on a class's courses: most trainees finish every material, some are part way. */
async function fillStudy(db: Client, classId: number, finishedPercent: number) {
  await db.query(
    `INSERT INTO training_study (material_id, person_id, province_id, seconds, first_at, last_beat_at)
     SELECT m.id, e.person_id, e.province_id,
            CASE WHEN abs(hashint4(e.id::int)) % 100 < $2 THEN m.required_minutes * 60 + abs(hashint4((e.id + m.id)::int)) % 300
                 ELSE (m.required_minutes * 60 * (abs(hashint4((e.id * 5 + m.id)::int)) % 90) / 100) END,
            c.starts_on + interval '20 hours', c.ends_on + interval '21 hours'
     FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id
     JOIN training_courses tc ON tc.class_id = c.id JOIN training_materials m ON m.course_id = tc.id
     WHERE e.class_id = $1 AND abs(hashint4((e.id * 17)::int)) % 100 < 96`,
    [classId, finishedPercent],
  );
}

/**
 * Cadre positions for the class's trainees who hold none yet, in the numbers given (seed 001's
 * "including …"): held at the class's organizer, at the trainee's own organization, or at the
 * nearest city-level union above it (the industrial union of a district or bureau).
 */
async function givePositions(db: Client, classId: number, organizerId: number, titles: Array<[title: string, count: number, heldAt: 'organizer' | 'own' | 'city']>, since: string) {
  for (const [title, count, heldAt] of titles) {
    await db.query(
      `INSERT INTO cadre_positions (person_id, province_id, org_id, title, since)
       SELECT e.person_id, e.province_id,
              CASE $5 WHEN 'organizer' THEN $2 WHEN 'own' THEN e.org_id
                ELSE coalesce((SELECT a.id FROM orgs a JOIN orgs u ON u.id = e.org_id WHERE a.path @> u.path AND a.level = 'city' ORDER BY nlevel(a.path) DESC LIMIT 1), e.org_id) END,
              $3, $4
       FROM training_enrolments e WHERE e.class_id = $1
         AND NOT EXISTS (SELECT 1 FROM cadre_positions cp WHERE cp.province_id = e.province_id AND cp.person_id = e.person_id AND cp.until IS NULL)
       ORDER BY e.id LIMIT $6`,
      [classId, organizerId, title, since, heldAt, count],
    );
  }
}

const at = (day: string, time: string) => `${day} ${time}+08`;
const speaker = (name: string, title: string, org: string): Speaker => ({ name, title, org });

export async function seedTraining(db: Client, orgs: TrainingOrgs, memberPersonId: number): Promise<{ classes: number; enrolments: number }> {
  const org = (key: string) => orgs.get(key)!;
  const acftu = org('acftu');
  const innerMongolia = org('inner-mongolia');
  const shanghai = org('shanghai');
  const zhongmou = org('zhongmou');
  let enrolments = 0;

  // Seed 000: Inner Mongolia's department-level cadres at the China Institute of Labor Relations, 2023-11-05 and three more days.
  const imTitle = '内蒙古自治区总工会学习贯彻中国工会十八大精神处级干部培训班（第一期）';
  const im = await insertClass(db, {
    orgId: innerMongolia.id, title: imTitle, theme: '学习贯彻中国工会第十八次全国代表大会精神', host: INSTITUTE, venue: `${INSTITUTE}（北京）`,
    startsOn: '2023-11-05', endsOn: '2023-11-08', onsite: 70, live: 0, status: 'closed', hours: 28, share: 0.8, onlineMinutes: 0, competency: false,
    audience: [innerMongolia.id], audienceNote: '全区各级工会处级干部',
  });
  const imOrg = '内蒙古自治区总工会';
  await insertSessions(db, im, [
    { kind: 'opening', topic: '开班仪式暨开班动员', starts: at('2023-11-05', '09:00'), ends: at('2023-11-05', '10:00'), place: '中国劳动关系学院第一报告厅', stream: false, speakers: [speaker('乌力吉', '党组书记、常务副主席', imOrg)] },
    { kind: 'lecture', topic: '专题教学：中国工会十八大报告的精神实质', starts: at('2023-11-05', '10:30'), ends: at('2023-11-05', '12:00'), place: '中国劳动关系学院第一报告厅', stream: false, speakers: [speaker('何志强', '教授', INSTITUTE)] },
    { kind: 'lecture', topic: '专题教学：新时代工会工作的使命任务', starts: at('2023-11-06', '09:00'), ends: at('2023-11-06', '11:30'), place: '中国劳动关系学院第一报告厅', stream: false, speakers: [speaker('林晓', '副教授', INSTITUTE)] },
    { kind: 'onsite_teaching', topic: '现场教学：职工服务阵地建设', starts: at('2023-11-06', '14:00'), ends: at('2023-11-06', '17:00'), place: '北京市某区职工服务中心', stream: false },
    { kind: 'lecture', topic: '专题教学：构建和谐劳动关系', starts: at('2023-11-07', '09:00'), ends: at('2023-11-07', '11:30'), place: '中国劳动关系学院第一报告厅', stream: false, speakers: [speaker('程立伟', '教授', INSTITUTE)] },
    { kind: 'discussion', topic: '交流研讨：结合岗位谈学习体会', starts: at('2023-11-07', '14:30'), ends: at('2023-11-07', '17:00'), place: '中国劳动关系学院研讨室', stream: false },
    { kind: 'discussion', topic: '分组研讨与学习成果汇报', starts: at('2023-11-08', '09:00'), ends: at('2023-11-08', '11:30'), place: '中国劳动关系学院研讨室', stream: false },
    { kind: 'closing', topic: '结业仪式', starts: at('2023-11-08', '14:30'), ends: at('2023-11-08', '15:30'), place: '中国劳动关系学院第一报告厅', stream: false, speakers: [speaker('乌力吉', '党组书记、常务副主席', imOrg)] },
  ], '');
  enrolments += await enrolFrom(db, im, innerMongolia.path, 58, 'onsite', ['city', 'county'], 11);
  await givePositions(db, im, innerMongolia.id, [['处级干部（部门负责人）', 58, 'city']], '2021-06-01');
  await fillAttendance(db, im, 93, 0);

  // Seed 001: Shanghai, 2023-10-19, two days, more than 200 participants.
  const sh = await insertClass(db, {
    orgId: shanghai.id, title: '上海工会学习贯彻中国工会十八大精神培训班', theme: '学习贯彻中国工会十八大精神，学习《工会法》和《上海市工会条例》', host: '上海市总工会',
    venue: '上海市工人文化宫', startsOn: '2023-10-19', endsOn: '2023-10-20', onsite: 260, live: 0, status: 'closed', hours: 12, share: 0.6, onlineMinutes: 0, competency: false,
    audience: [shanghai.id], audienceNote: '市总工会第十五届委员会委员，区局产业工会主席，党组织书记，机关各部门和直属单位负责人',
  });
  const shOrg = '上海市总工会';
  await insertSessions(db, sh, [
    { kind: 'opening', topic: '开班仪式暨开班动员', starts: at('2023-10-19', '09:00'), ends: at('2023-10-19', '09:40'), place: '上海市工人文化宫大礼堂', stream: false, speakers: [speaker('沈建国', '党组书记、主席', shOrg)] },
    { kind: 'lecture', topic: '第一讲：深刻领会中国工会十八大精神', starts: at('2023-10-19', '09:50'), ends: at('2023-10-19', '11:40'), place: '上海市工人文化宫大礼堂', stream: false, speakers: [speaker('沈建国', '党组书记、主席', shOrg)] },
    { kind: 'policy', topic: '《中华人民共和国工会法》解读', starts: at('2023-10-19', '13:30'), ends: at('2023-10-19', '16:30'), place: '上海市工人文化宫大礼堂', stream: false, speakers: [speaker('顾文彬', '法学教授', '华东政法大学')] },
    { kind: 'policy', topic: '《上海市工会条例》解读', starts: at('2023-10-20', '09:00'), ends: at('2023-10-20', '11:30'), place: '上海市工人文化宫大礼堂', stream: false, speakers: [speaker('陆晓岚', '法律工作部部长', shOrg)] },
    { kind: 'discussion', topic: '交流研讨', starts: at('2023-10-20', '13:30'), ends: at('2023-10-20', '16:00'), place: '上海市工人文化宫分会场', stream: false },
  ], '');
  enrolments += await enrolFrom(db, sh, shanghai.path, 236, 'onsite', ['grassroots'], 23);
  await givePositions(db, sh, shanghai.id, [
    ['市总工会第十五届委员会委员', 46, 'organizer'], ['区局产业工会主席', 34, 'city'], ['党组织书记', 52, 'own'], ['机关部门负责人', 58, 'organizer'], ['直属单位负责人', 46, 'own'],
  ], '2023-01-01');
  await fillAttendance(db, sh, 92, 0);

  // Seed 002: the ACFTU special class of the 2024 plan, 2024-05-20 to 05-24, on site and live, with supporting online courses.
  const plan = await db.query<{ id: number }>(
    `INSERT INTO training_plans (org_id, year, title, note) VALUES ($1, 2024, '2024年全总干部教育培训计划', '2024 ACFTU cadre training plan') RETURNING id`, [acftu.id]);
  const provincial = await db.query<{ id: number; path: string }>(
    `SELECT id, path::text FROM orgs WHERE parent_id = $1 AND level IN ('provincial', 'industrial') ORDER BY id`, [acftu.id]);
  const acftuClass = await insertClass(db, {
    planId: plan.rows[0]!.id, orgId: acftu.id, title: '全国总工会新任省级工会领导班子成员专题培训班', theme: '学习贯彻中国工会十八大精神，提升履职能力',
    host: '中华全国总工会组织部', venue: '北京', startsOn: '2024-05-20', endsOn: '2024-05-24', onsite: 60, live: 800, status: 'closed', hours: 36, share: 0.8,
    onlineMinutes: 120, competency: true, audience: provincial.rows.map((r) => r.id),
    audienceNote: '线下：各省（区、市）总工会、新疆生产建设兵团总工会、全国产业工会、中央和国家机关工会联合会新任领导班子成员；线上：省、市、县级工会其他领导班子成员',
  });
  const dept = '中华全国总工会组织部';
  const hall = '中国劳动关系学院学术报告厅';
  await insertSessions(db, acftuClass, [
    { kind: 'opening', topic: '开班仪式', starts: at('2024-05-20', '09:00'), ends: at('2024-05-20', '09:40'), place: hall, stream: true, speakers: [speaker('周立新', '部长（主持）', dept)] },
    { kind: 'lecture', topic: '辅导报告：深入学习贯彻中国工会十八大精神', starts: at('2024-05-20', '10:00'), ends: at('2024-05-20', '12:00'), place: hall, stream: true, speakers: [speaker('陈卫东', '党组书记、副主席、书记处第一书记', ACFTU)] },
    { kind: 'discussion', topic: '围绕辅导报告交流研讨', starts: at('2024-05-20', '14:30'), ends: at('2024-05-20', '17:00'), place: '中国劳动关系学院研讨室', stream: false },
    { kind: 'lecture', topic: '专题讲座：推动中国工会十八大各项部署落地见效', starts: at('2024-05-21', '09:00'), ends: at('2024-05-21', '11:30'), place: hall, stream: true, speakers: [speaker('王海燕', '副主席、书记处书记', ACFTU)] },
    { kind: 'lecture', topic: '专题讲座：严明党的纪律，加强工会党风廉政建设', starts: at('2024-05-21', '14:30'), ends: at('2024-05-21', '17:00'), place: hall, stream: true, speakers: [speaker('李振华', '书记处书记', ACFTU)] },
    { kind: 'lecture', topic: '专题讲座：维护新就业形态劳动者合法权益', starts: at('2024-05-22', '09:00'), ends: at('2024-05-22', '11:30'), place: hall, stream: true, speakers: [speaker('赵春梅', '书记处书记', ACFTU)] },
    { kind: 'lecture', topic: '专题讲座：持续加强基层工会建设', starts: at('2024-05-22', '14:30'), ends: at('2024-05-22', '17:00'), place: hall, stream: true, speakers: [speaker('孙建军', '书记处书记', ACFTU)] },
    { kind: 'lecture', topic: '专题讲座：推进工会数字化智能化建设', starts: at('2024-05-23', '09:00'), ends: at('2024-05-23', '11:30'), place: hall, stream: true, speakers: [speaker('刘明远', '书记处书记', ACFTU)] },
    { kind: 'policy', topic: '专家政策解读：劳动法律法规与政策新进展', starts: at('2024-05-23', '14:30'), ends: at('2024-05-23', '17:00'), place: hall, stream: true, speakers: [speaker('郑晓东', '教授', INSTITUTE)] },
    { kind: 'onsite_teaching', topic: '现场教学：“职工之家”建设与智慧工会服务', starts: at('2024-05-24', '09:00'), ends: at('2024-05-24', '11:30'), place: '北京市职工服务中心', stream: false },
    { kind: 'closing', topic: '结业仪式', starts: at('2024-05-24', '14:30'), ends: at('2024-05-24', '15:30'), place: hall, stream: true, speakers: [speaker('周立新', '部长（主持）', dept)] },
  ], 'https://live.example.org/acftu-2024-05/');
  // On site: new leading-group members, five from each provincial federation and national industrial union.
  for (const [i, p] of provincial.rows.entries()) enrolments += await enrolFrom(db, acftuClass, p.path, 5, 'onsite', ['provincial', 'industrial'], 100 + i);
  await givePositions(db, acftuClass, acftu.id, [['党组成员、副主席（新任）', 40, 'own']], '2024-01-15');
  // Live: leading-group members of city and county federations, through the training network.
  await db.query(`INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode, enrolled_at)
    SELECT $1, person_id, province_id, org_id, 'live', '2024-05-10' FROM memberships WHERE person_id = $2 AND status = 'active'`, [acftuClass, memberPersonId]);
  enrolments += 1;
  for (const [i, p] of provincial.rows.entries()) enrolments += await enrolFrom(db, acftuClass, p.path, 60, 'live', ['city', 'county'], 200 + i);
  await fillAttendance(db, acftuClass, 98, 91);
  await insertCourse(db, acftu.id, acftuClass, '学习贯彻中国工会十八大精神（配套在线课程）', '全国工会干部教育培训网配套课程', [
    ['video', '中国工会十八大报告导读', 30], ['video', '新时代工会工作的主要任务', 30], ['document', '《中国工会章程（修正案）》学习辅导', 20], ['page', '学习思考题', 10],
  ]);
  await insertCourse(db, acftu.id, acftuClass, '新就业形态劳动者权益维护（配套在线课程）', '平台企业工会建设与新就业形态劳动者入会服务', [
    ['video', '新就业形态劳动者权益保障政策', 25], ['video', '推动平台企业建会入会', 25],
  ]);
  await fillStudy(db, acftuClass, 88);
  // The demo member watched every streamed session and finished the online courses, so their certificate can be issued.
  await db.query(
    `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, checked_in_at)
     SELECT s.id, e.id, e.province_id, 'live', s.starts_at + interval '30 minutes' FROM training_sessions s JOIN training_enrolments e ON e.class_id = s.class_id
     WHERE s.class_id = $1 AND e.person_id = $2 AND s.stream_url IS NOT NULL ON CONFLICT DO NOTHING`, [acftuClass, memberPersonId]);
  await db.query(
    `INSERT INTO training_study (material_id, person_id, province_id, seconds, first_at, last_beat_at)
     SELECT m.id, p.id, p.province_id, m.required_minutes * 60, timestamptz '2024-05-21 20:00+08', timestamptz '2024-05-23 21:00+08'
     FROM training_materials m JOIN training_courses c ON c.id = m.course_id CROSS JOIN persons p WHERE c.class_id = $1 AND p.id = $2
     ON CONFLICT (material_id, person_id, province_id) DO UPDATE SET seconds = excluded.seconds`, [acftuClass, memberPersonId]);
  await db.query(
    `INSERT INTO training_competency_assessments (enrolment_id, province_id, scores, submitted_at)
     SELECT e.id, e.province_id, jsonb_object_agg(a.aspect, 3 + abs(hashint4((e.id * 13 + a.n)::int)) % 3), timestamptz '2024-05-24 16:00+08'
     FROM training_enrolments e CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS a(aspect, n)
     WHERE e.class_id = $1 AND (e.mode = 'onsite' OR abs(hashint4(e.id::int)) % 100 < 35)
     GROUP BY e.id, e.province_id`,
    [acftuClass, COMPETENCY_ASPECTS.map(([aspect]) => aspect)],
  );
  await insertCourse(db, acftu.id, null, '工会数字化智能化建设（全员选学）', '全总面向各级工会干部开放的网络课程', [
    ['video', '智慧工会建设的实践与思考', 20], ['page', '工会数字化工作常用术语', 10],
  ]);

  // A class running now (relative to the seed date) in Zhongmou, so the member app has a session to check in to.
  // Days are Beijing time; the session running now lasts from 20 minutes ago to 100 minutes on.
  const today = (await db.query<{ yesterday: string; tomorrow: string }>(
    `SELECT ((now() AT TIME ZONE 'Asia/Shanghai')::date - 1)::text AS yesterday, ((now() AT TIME ZONE 'Asia/Shanghai')::date + 1)::text AS tomorrow`)).rows[0]!;
  const now = await insertClass(db, {
    orgId: zhongmou.id, title: '中牟县基层工会主席履职能力提升培训班', theme: '基层工会规范化建设与服务职工', host: '中牟县总工会', venue: '中牟县职工服务中心',
    startsOn: today.yesterday, endsOn: today.tomorrow,
    onsite: 60, live: 100, status: 'running', hours: 16, share: 0.75, onlineMinutes: 0, competency: true, audience: [zhongmou.id], audienceNote: '全县基层工会主席、副主席',
  });
  const { yesterday, tomorrow } = today;
  await insertSessions(db, now, [
    { kind: 'opening', topic: '开班仪式', starts: at(yesterday, '09:00'), ends: at(yesterday, '09:30'), place: '中牟县职工服务中心报告厅', stream: false, speakers: [speaker('张红军', '党组书记、主席', '中牟县总工会')] },
    { kind: 'lecture', topic: '基层工会规范化建设', starts: at(yesterday, '10:00'), ends: at(yesterday, '12:00'), place: '中牟县职工服务中心报告厅', stream: true, speakers: [speaker('李淑芬', '组织部部长', '郑州市总工会')] },
    { kind: 'discussion', topic: '交流研讨：如何把职工之家建到职工身边', starts: at(tomorrow, '09:00'), ends: at(tomorrow, '11:00'), place: '中牟县职工服务中心研讨室', stream: false },
    { kind: 'closing', topic: '结业仪式', starts: at(tomorrow, '15:00'), ends: at(tomorrow, '16:00'), place: '中牟县职工服务中心报告厅', stream: false },
  ], 'https://live.example.org/zhongmou/');
  await db.query(
    `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place, stream_url, speakers)
     VALUES ($1, 'policy', '“惠工保”职工住院医疗互助保障政策解读', date_trunc('minute', now()) - interval '20 minutes', date_trunc('minute', now()) + interval '100 minutes',
             '中牟县职工服务中心报告厅', 'https://live.example.org/zhongmou/now', $2)`,
    [now, JSON.stringify([speaker('王晓光', '保障部部长', '中牟县总工会')])],
  );
  await db.query(`INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode, enrolled_at)
    SELECT $1, person_id, province_id, org_id, 'onsite', now() - interval '7 days' FROM memberships WHERE person_id = $2 AND status = 'active'`, [now, memberPersonId]);
  enrolments += 1;
  enrolments += await enrolFrom(db, now, zhongmou.path, 32, 'onsite', ['grassroots'], 31);
  enrolments += await enrolFrom(db, now, zhongmou.path, 20, 'live', ['grassroots'], 37);
  await fillAttendance(db, now, 90, 80);
  await insertCourse(db, zhongmou.id, now, '基层工会工作实务（配套在线课程）', '经费管理、会员实名制与服务阵地建设', [['video', '工会经费管理实务', 20], ['page', '会员实名制工作指引', 10]]);
  return { classes: 4, enrolments };
}
