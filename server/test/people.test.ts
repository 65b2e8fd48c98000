import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskNationalId } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, makeOrg, makePerson, signIn, unique, validIdNumber, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

type Page<T = Record<string, unknown>> = { items: T[]; total: number };
type Detail = { id: number; idNumberMasked: string; birthDate: string; memberships: Array<{ orgId: number; status: string; endedOn: string | null; joinedOn: string }>; cadrePositions: Array<{ title: string; until: string | null }> };

const newPerson = (orgId: number, overrides: Record<string, unknown> = {}) => ({
  name: '李秀兰', gender: 'female', idNumber: validIdNumber('1990-02-28', 'female'), phone: '13812345678', ethnicity: '汉族',
  politicalStatus: '中共党员', education: '本科', employer: '中牟县人民医院', employmentForm: '全日制',
  membership: { orgId, joinedOn: '2012-07-01', cardNumber: 'HG001' }, ...overrides,
});

describe('people', () => {
  it('adds a person with a membership; the ID number is encrypted at rest and answered masked', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const body = newPerson(f.unionA1.id);
    const response = await call(t, admin, { method: 'POST', url: '/api/persons', payload: body });
    expect(response.statusCode).toBe(201);
    const person = json<Detail>(response);
    expect(person).toMatchObject({ name: '李秀兰', birthDate: '1990-02-28', idNumberMasked: maskNationalId(body.idNumber) });
    expect(response.body).not.toContain(body.idNumber);
    expect(person.memberships).toMatchObject([{ orgId: f.unionA1.id, status: 'active', joinedOn: '2012-07-01' }]);
    const stored = await t.pool.query<{ id_number_cipher: Buffer }>('SELECT id_number_cipher FROM persons WHERE id = $1', [person.id]);
    const cipher = stored.rows[0]!.id_number_cipher;
    expect(cipher.includes(Buffer.from(body.idNumber))).toBe(false);
    expect(t.secrets.decrypt(cipher)).toBe(body.idNumber);
    const audit = await t.pool.query<{ after: unknown }>(`SELECT after FROM audit_log WHERE entity = 'person' AND entity_id = $1`, [String(person.id)]);
    expect(JSON.stringify(audit.rows)).not.toContain(body.idNumber);
  });

  it('takes 民族, 政治面貌, 学历 and 就业形态 from the national code lists (any of an entry\'s names, stored as the Chinese one); refuses others on their field', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const created = await call(t, admin, { method: 'POST', url: '/api/persons', payload: newPerson(f.unionA1.id, { ethnicity: 'Hui', politicalStatus: '中国共产党党员', education: '大学专科', employmentForm: '新就业形态' }) });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ ethnicity: '回族', politicalStatus: '中共党员', education: '大专', employmentForm: '新就业形态' });
    const id = json<Detail>(created).id;
    const refused = await call(t, admin, { method: 'PATCH', url: `/api/persons/${id}`, payload: { education: '函授' } });
    expectProblem(refused, 400, 'body.education');
    expect(refused.json<{ errors: unknown[] }>().errors[0]).toMatchObject({ field: 'body.education', code: 'people.code_list.unknown' });
    // A value stored before the lists existed stays readable, and an edit of another field keeps it.
    await t.pool.query(`UPDATE persons SET education = '函授本科' WHERE id = $1`, [id]);
    const edited = await call(t, admin, { method: 'PATCH', url: `/api/persons/${id}`, payload: { phone: '13912345678' } });
    expect(json(edited)).toMatchObject({ education: '函授本科', phone: '13912345678' });
  });

  it('rejects invalid ID numbers, phones and mismatches with a 400 on the field, and writes nothing', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const good = validIdNumber('1990-02-28', 'female');
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ idNumber: wrongCheck }, 'body.idNumber'],
      [{ idNumber: good.slice(0, 17) }, 'body.idNumber'], // 17 digits, as a spreadsheet leaves it
      [{ phone: '1381234567' }, 'body.phone'],
      [{ phone: '23812345678' }, 'body.phone'],
      [{ gender: 'male' }, 'body.gender'],
      [{ birthDate: '1990-03-01' }, 'body.birthDate'],
      [{ name: '' }, 'body.name'],
      [{ name: '张'.repeat(51) }, 'body.name'],
      [{ membership: { orgId: f.countyA1.id, joinedOn: '2012-07-01' } }, 'body.membership.orgId'], // not a grassroots union
      [{ membership: { orgId: f.unionB.id, joinedOn: '2012-07-01' } }, 'body.membership.orgId'], // outside the subtree
      [{ membership: { orgId: f.unionA1.id, joinedOn: '2012-02-30' } }, 'body.membership.joinedOn'],
      [{ salary: 5000 }, 'body.salary'],
    ];
    for (const [overrides, field] of cases) {
      const response = await call(t, admin, { method: 'POST', url: '/api/persons', payload: newPerson(f.unionA1.id, { idNumber: good, ...overrides }) });
      expectProblem(response, 400, field);
    }
    const count = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM persons WHERE id_number_hash = $1', [t.secrets.lookupHash(good)]);
    expect(count.rows[0]!.n).toBe(0);
  });

  it('refuses a second person with the same ID number (lower-case x included)', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    let idNumber = validIdNumber('1988-08-08', 'male');
    while (!idNumber.endsWith('X')) idNumber = validIdNumber('1988-08-08', 'male');
    expect((await call(t, admin, { method: 'POST', url: '/api/persons', payload: newPerson(f.unionA1.id, { idNumber, gender: 'male' }) })).statusCode).toBe(201);
    const again = await call(t, admin, { method: 'POST', url: '/api/persons', payload: newPerson(f.unionA1b.id, { idNumber: idNumber.toLowerCase(), gender: 'male' }) });
    expectProblem(again, 409, 'body.idNumber');
  });

  it('searches members by part of a Chinese name, by phone prefix and by full ID number, within the subtree', async () => {
    const f = await makeFederation(t.pool);
    const tag = unique('欧阳');
    const a = await makePerson(t, f.unionA1, { name: `${tag}春花`, phone: '13900001111' });
    await makePerson(t, f.unionB, { name: `${tag}秋月`, phone: '13900002222' });
    const organizer = await signIn(t, 'organizer', f.provinceA);
    const byName = json<Page<{ personId: number; idNumberMasked: string }>>(await call(t, organizer, { url: `/api/members?q=${encodeURIComponent(tag)}` }));
    expect(byName.items.map((m) => m.personId)).toEqual([a.id]);
    const byPhone = json<Page<{ personId: number }>>(await call(t, organizer, { url: '/api/members?q=1390000' }));
    expect(byPhone.items.map((m) => m.personId)).toEqual([a.id]);
    const byId = json<Page<{ personId: number }>>(await call(t, organizer, { url: `/api/members?q=${a.idNumber}` }));
    expect(byId.items.map((m) => m.personId)).toEqual([a.id]);
    expect(byName.items[0]!.idNumberMasked).toBe(maskNationalId(a.idNumber));
  });

  it('a phone prefix matches the numbers that start with it, at either end of its range; a search\'s total counts every page', async () => {
    const f = await makeFederation(t.pool);
    const union = await makeOrg(t.pool, f.countyA1, 'grassroots');
    const admin = await signIn(t, 'admin', union);
    for (const phone of ['13789999999', '13790000000', '13790000001', '13799999999', '13800000000']) await makePerson(t, union, { phone });
    const search = async (q: string, extra = '') => json<Page<{ phone: string }>>(await call(t, admin, { url: `/api/members?orgId=${union.id}&q=${q}${extra}` }));
    expect((await search('1379')).items.map((m) => m.phone).sort()).toEqual(['13790000000', '13790000001', '13799999999']);
    expect((await search('13799999999')).items.map((m) => m.phone)).toEqual(['13799999999']);
    expect((await search('137')).total).toBe(4);
    const first = await search('1379', '&pageSize=2&sort=name');
    const second = await search('1379', '&pageSize=2&sort=name&page=2');
    const past = await search('1379', '&pageSize=2&sort=name&page=3');
    expect([first.total, second.total, past.total]).toEqual([3, 3, 3]);
    expect([first.items.length, second.items.length, past.items.length]).toEqual([2, 1, 0]);
    expect((await search('1366')).total).toBe(0);
  });

  it('paginates, sorts and filters the member list by union, status, gender and age band', async () => {
    const f = await makeFederation(t.pool);
    for (let i = 0; i < 5; i++) await makePerson(t, f.unionA2, { gender: i % 2 ? 'female' : 'male', birthDate: `19${70 + i * 5}-01-15` });
    const admin = await signIn(t, 'admin', f.countyA2);
    const page1 = json<Page<{ birthDate: string }>>(await call(t, admin, { url: '/api/members?pageSize=2&sort=birthDate&order=desc' }));
    const page3 = json<Page<{ birthDate: string }>>(await call(t, admin, { url: '/api/members?pageSize=2&page=3&sort=birthDate&order=desc' }));
    expect(page1.total).toBe(5);
    expect(page1.items.map((m) => m.birthDate)).toEqual(['1990-01-15', '1985-01-15']);
    expect(page3.items.map((m) => m.birthDate)).toEqual(['1970-01-15']);
    expect(json<Page>(await call(t, admin, { url: '/api/members?gender=female' })).total).toBe(2);
    const age = (year: number) => new Date().getFullYear() - year - (new Date() < new Date(`${new Date().getFullYear()}-01-15`) ? 1 : 0);
    expect(json<Page>(await call(t, admin, { url: `/api/members?ageMin=${age(1985)}&ageMax=${age(1980)}` })).total).toBe(2);
    expect(json<Page>(await call(t, admin, { url: `/api/members?orgId=${f.unionA2.id}&status=left` })).total).toBe(0);
    expectProblem(await call(t, admin, { url: '/api/members?pageSize=1000' }), 400, 'query.pageSize');
    expectProblem(await call(t, admin, { url: '/api/members?sort=salary' }), 400, 'query.sort');
    expectProblem(await call(t, admin, { url: `/api/members?orgId=${f.unionB.id}` }), 404);
  });

  it('transfers a member and keeps the history; both unions see it', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1);
    const admin = await signIn(t, 'admin', f.provinceA);
    const response = await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/transfer`, payload: { toOrgId: f.unionA2.id, date: '2024-03-01', note: '工作调动' } });
    expect(response.statusCode).toBe(200);
    const detail = json<Detail>(response);
    expect(detail.memberships.map((m) => [m.orgId, m.status, m.endedOn])).toEqual([
      [f.unionA2.id, 'active', null],
      [f.unionA1.id, 'transferred_out', '2024-03-01'],
    ]);
    const countyA1 = await signIn(t, 'admin', f.countyA1);
    const old = json<Page<{ personId: number; status: string }>>(await call(t, countyA1, { url: '/api/members?status=all' }));
    expect(old.items.filter((m) => m.personId === p.id).map((m) => m.status)).toEqual(['transferred_out']);
    expect(json<Page>(await call(t, countyA1, { url: '/api/members' })).items.some((m) => m.personId === p.id)).toBe(false);
    // Into a union outside the caller's subtree: refused, nothing changes.
    expectProblem(await call(t, countyA1, { method: 'POST', url: `/api/persons/${p.id}/transfer`, payload: { toOrgId: f.unionA1.id, date: '2024-05-01' } }), 403);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/transfer`, payload: { toOrgId: f.unionA1.id, date: '2020-01-01' } }), 400, 'body.date');
  });

  it('records leaving and re-joining', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1);
    const admin = await signIn(t, 'admin', f.countyA1);
    const left = json<Detail>(await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/leave`, payload: { date: '2025-01-31', note: '退休' } }));
    expect(left.memberships[0]).toMatchObject({ status: 'left', endedOn: '2025-01-31' });
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/leave`, payload: { date: '2025-02-01' } }), 409);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/join`, payload: { orgId: f.unionA1b.id, joinedOn: '2024-12-01' } }), 400, 'body.joinedOn');
    const back = json<Detail>(await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/join`, payload: { orgId: f.unionA1b.id, joinedOn: '2025-06-01' } }));
    expect(back.memberships.map((m) => m.status)).toEqual(['active', 'left']);
  });

  it('edits a person; an invalid ID number is refused and nothing is saved', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1, { name: '王强' });
    const admin = await signIn(t, 'admin', f.countyA1);
    const bad = p.idNumber.slice(0, 17) + (p.idNumber[17] === '1' ? '2' : '1');
    expectProblem(await call(t, admin, { method: 'PATCH', url: `/api/persons/${p.id}`, payload: { name: '王小强', idNumber: bad } }), 400, 'body.idNumber');
    const unchanged = json<{ name: string }>(await call(t, admin, { url: `/api/persons/${p.id}` }));
    expect(unchanged.name).toBe('王强');
    const next = validIdNumber('1979-11-02', 'male');
    const edited = json<{ name: string; birthDate: string; idNumberMasked: string }>(await call(t, admin, { method: 'PATCH', url: `/api/persons/${p.id}`, payload: { name: '王小强', idNumber: next, phone: '15012345678' } }));
    expect(edited).toMatchObject({ name: '王小强', birthDate: '1979-11-02', idNumberMasked: maskNationalId(next) });
    expectProblem(await call(t, admin, { method: 'PATCH', url: `/api/persons/${p.id}`, payload: { gender: 'female' } }), 400, 'body.gender');
  });

  it('reveals a full ID number to an admin only, and audits every reveal', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1);
    const admin = await signIn(t, 'admin', f.countyA1);
    const revealed = await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/reveal-id-number` });
    expect(json(revealed)).toEqual({ idNumber: p.idNumber });
    const organizer = await signIn(t, 'organizer', f.countyA1);
    expectProblem(await call(t, organizer, { method: 'POST', url: `/api/persons/${p.id}/reveal-id-number` }), 403);
    const sibling = await signIn(t, 'admin', f.countyA2);
    expectProblem(await call(t, sibling, { method: 'POST', url: `/api/persons/${p.id}/reveal-id-number` }), 404);
    const audit = await t.pool.query(`SELECT actor_id FROM audit_log WHERE action = 'reveal-id-number' AND entity_id = $1`, [String(p.id)]);
    expect(audit.rows).toEqual([{ actor_id: admin.accountId }]);
  });

  it('appoints and ends cadre positions', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1);
    const admin = await signIn(t, 'admin', f.countyA1);
    const created = await call(t, admin, { method: 'POST', url: '/api/cadre-positions', payload: { personId: p.id, orgId: f.countyA1.id, title: '副主席', since: '2023-01-01' } });
    expect(created.statusCode).toBe(201);
    const position = json<{ id: number }>(created);
    const list = json<Page<{ title: string }>>(await call(t, admin, { url: `/api/cadre-positions?orgId=${f.countyA1.id}` }));
    expect(list.items.map((c) => c.title)).toEqual(['副主席']);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/cadre-positions/${position.id}/end`, payload: { until: '2022-01-01' } }), 400, 'body.until');
    const ended = json<{ until: string }>(await call(t, admin, { method: 'POST', url: `/api/cadre-positions/${position.id}/end`, payload: { until: '2026-01-01' } }));
    expect(ended.until).toBe('2026-01-01');
    expect(json<Page>(await call(t, admin, { url: `/api/cadre-positions?orgId=${f.countyA1.id}` })).total).toBe(0);
    const detail = json<Detail>(await call(t, admin, { url: `/api/persons/${p.id}` }));
    expect(detail.cadrePositions).toMatchObject([{ title: '副主席', until: '2026-01-01' }]);
    const sibling = await signIn(t, 'admin', f.countyA2);
    expectProblem(await call(t, sibling, { method: 'POST', url: '/api/cadre-positions', payload: { personId: p.id, orgId: f.countyA2.id, title: '主席', since: '2023-01-01' } }), 400, 'body.personId');
    expectProblem(await call(t, sibling, { url: `/api/cadre-positions?orgId=${f.countyA1.id}` }), 404);
  });

  it('never shows a person of a sibling subtree', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1);
    const sibling = await signIn(t, 'admin', f.countyA2);
    expectProblem(await call(t, sibling, { url: `/api/persons/${p.id}` }), 404);
    expectProblem(await call(t, sibling, { method: 'PATCH', url: `/api/persons/${p.id}`, payload: { name: 'x' } }), 404);
    for (const action of ['transfer', 'leave', 'join']) {
      const payload = action === 'transfer' ? { toOrgId: f.unionA2.id, date: '2025-01-01' } : action === 'leave' ? { date: '2025-01-01' } : { orgId: f.unionA2.id, joinedOn: '2025-01-01' };
      expectProblem(await call(t, sibling, { method: 'POST', url: `/api/persons/${p.id}/${action}`, payload }), 404);
    }
    const list = json<Page<{ personId: number }>>(await call(t, sibling, { url: '/api/members?status=all&pageSize=200' }));
    expect(list.items.some((m) => m.personId === p.id)).toBe(false);
  });

  it('lets a member see only their own record', async () => {
    const f = await makeFederation(t.pool);
    const p = await makePerson(t, f.unionA1, { name: '赵会员' });
    const other = await makePerson(t, f.unionA1);
    const member = await signIn(t, 'member', f.unionA1, p.id);
    const mine = json<{ id: number; name: string; memberships: unknown[] }>(await call(t, member, { url: '/api/me/person' }));
    expect(mine).toMatchObject({ id: p.id, name: '赵会员' });
    expect(mine.memberships).toHaveLength(1);
    expectProblem(await call(t, member, { url: `/api/persons/${other.id}` }), 403);
    expectProblem(await call(t, member, { url: '/api/members' }), 403);
    const staff = await signIn(t, 'organizer', f.unionA1);
    expectProblem(await call(t, staff, { url: '/api/me/person' }), 404);
  });
});
