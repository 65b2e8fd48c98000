import type { z } from 'zod';
import {
  birthDateFromNationalId, genderFromNationalId, maskNationalId, nationalIdProblem, normalizeNationalId,
  type CadrePosition, type Membership, type MemberListQuery, type MemberRow, type Person, type PersonCreate, type PersonUpdate,
} from '@workers-home/contract';
import { inTransaction, paged, statementName, type Pool, type Queryable } from '../../db/pool.ts';
import type { Services, WriteContext } from '../../context.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import { afterwardsForgetCallers, canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import type { Secrets } from '../../plugins/secrets.ts';
import { recordAudit } from '../audit/service.ts';
import { accountsFollowMemberships } from '../auth/service.ts';
import { subtreeMemberTotal } from './figures.ts';
import { escapeLike } from '../../db/sql.ts';
import { moveHome } from '../../db/home-province.ts';
import { findOrg } from '../orgs/service.ts';
import { HeldElsewhere, lookupTransaction } from './id-number-lookups.ts';
import { peoplePolicy } from './policy.ts';

type PersonFields = z.infer<typeof PersonUpdate>;

export const PERSON_COLUMNS = `p.id, p.name, p.gender, p.ethnicity, p.birth_date AS "birthDate", p.id_number_masked AS "idNumberMasked",
  p.phone, p.political_status AS "politicalStatus", p.education, p.employer, p.employment_form AS "employmentForm",
  to_json(p.updated_at)#>>'{}' AS "updatedAt"`;

/** The ltree paths of every organization the person belongs or belonged to, or holds a position in. */
async function personOrgPaths(db: Queryable, personId: number, activeOnly: boolean): Promise<string[]> {
  const rows = await db.query<{ path: string }>(
    `SELECT o.path::text AS path FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.person_id = $1 ${activeOnly ? `AND m.status = 'active'` : ''}
     UNION
     SELECT o.path::text FROM cadre_positions c JOIN orgs o ON o.id = c.org_id WHERE c.person_id = $1 ${activeOnly ? 'AND c.until IS NULL' : ''}`,
    [personId],
  );
  return rows.rows.map((r) => r.path);
}

/** A person is visible where they are or were a member, or hold a position; otherwise "not found". */
async function assertPersonVisible(db: Queryable, caller: Caller, personId: number): Promise<string[]> {
  const paths = await personOrgPaths(db, personId, false);
  if (!paths.some((p) => canReach(caller, peoplePolicy.read, p))) throw notFound(`Person ${personId}`);
  return paths;
}

/** Changing a person needs the admin role where they are a member or cadre now. */
async function assertPersonWritable(db: Queryable, caller: Caller, personId: number): Promise<string> {
  await assertPersonVisible(db, caller, personId);
  const current = await personOrgPaths(db, personId, true);
  const path = current.find((p) => canReach(caller, peoplePolicy.write, p));
  if (!path) throw forbidden('needs the admin role on the union where this person is a member now');
  return path;
}

/** A grassroots union, active and within the caller's admin scope: the only place a membership can be. */
async function assertUnionForMembership(db: Queryable, caller: Caller, orgId: number, field: string) {
  const org = await findOrg(db, orgId);
  if (!org || !canReach(caller, peoplePolicy.read, org.path)) throw badRequest(field, 'orgs.org.not_found', { id: orgId });
  if (!canReach(caller, peoplePolicy.write, org.path)) throw forbidden(`${field}: needs the admin role on organization ${orgId}`);
  if (org.level !== 'grassroots') throw badRequest(field, 'people.org.grassroots_only');
  if (org.status !== 'active') throw badRequest(field, 'orgs.org.closed', { id: orgId });
  return org;
}

/** Birth date and gender must agree with what the ID number encodes. */
function checkAgainstIdNumber(idNumber: string, birthDate: string | null | undefined, gender: string | undefined) {
  const encodedBirth = birthDateFromNationalId(idNumber);
  if (birthDate && birthDate !== encodedBirth) throw badRequest('body.birthDate', 'people.birth_date.mismatch', { date: encodedBirth ?? '' });
  if (gender && gender !== genderFromNationalId(idNumber)) throw badRequest('body.gender', 'people.gender.mismatch');
  return encodedBirth;
}

/** Who holds an ID number on the national roster, and where their active membership is (if any). */
async function holderOf(db: Queryable, secrets: Secrets, idNumber: string, exceptId: number | null) {
  const row = await db.query<{ id: number; activePath: string | null }>(
    `SELECT p.id, (SELECT o.path::text FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.province_id = p.province_id AND m.person_id = p.id AND m.status = 'active') AS "activePath"
     FROM persons p WHERE p.id_number_hash = $1 AND p.id IS DISTINCT FROM $2`,
    [secrets.lookupHash(idNumber), exceptId],
  );
  return row.rows[0];
}

async function loadPerson(db: Queryable, id: number): Promise<Person> {
  const row = await db.query<Person>(`SELECT ${PERSON_COLUMNS} FROM persons p WHERE p.id = $1`, [id]);
  if (!row.rows[0]) throw notFound(`Person ${id}`);
  return row.rows[0];
}

/**
 * A person with their memberships and cadre positions. Seen by staff (`caller`), what lies
 * outside the caller's subtrees is "another union" with dates only: memberships elsewhere
 * lose their union, card and note; positions elsewhere are left out; and the contact fields
 * (phone, employer, employment form), which belong to the person's present union (the active
 * membership, or else the latest one), are left out unless the caller reaches that union.
 * The member's own record (`caller` null) is whole.
 */
export async function personDetail(db: Queryable, id: number, caller: Caller | null = null) {
  const person = await loadPerson(db, id);
  const memberships = await db.query<Membership & { path: string }>(
    `SELECT m.id, m.org_id AS "orgId", o.name AS "orgName", m.joined_on AS "joinedOn", m.ended_on AS "endedOn",
            m.status, m.card_number AS "cardNumber", m.note, o.path::text AS path
     FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.person_id = $1 ORDER BY m.joined_on DESC, m.id DESC`,
    [id],
  );
  const positions = await listCadrePositionsWhere(db, 'c.person_id = $1', [id], true);
  const reaches = (path: string) => caller === null || canReach(caller, peoplePolicy.read, path);
  const present = memberships.rows.find((m) => m.status === 'active') ?? memberships.rows[0];
  const contactShown = present === undefined || reaches(present.path);
  return {
    ...person,
    ...(contactShown ? {} : { phone: null, employer: null, employmentForm: null }),
    memberships: memberships.rows.map(({ path, ...m }) => (reaches(path) ? m : { ...m, orgId: null, orgName: null, cardNumber: null, note: null })),
    cadrePositions: positions.filter((c) => reaches(c.path)).map(({ path: _path, ...c }) => c),
  };
}

export async function getPerson(db: Queryable, caller: Caller, id: number) {
  await assertPersonVisible(db, caller, id);
  return personDetail(db, id, caller);
}

/**
 * Adds a person to the roster with a membership of one of the caller's unions. An ID number
 * already on the national roster: someone of the caller's own subtree is a conflict that says
 * so; someone whose membership is active elsewhere is HELD_ELSEWHERE (counted, audited, and
 * the caller files a transfer request instead); someone with no active membership anywhere
 * joins the union, their roster fields updated from the form (blank fields keep the old value).
 */
export async function createPerson({ pool, secrets }: Services, ctx: WriteContext, input: z.infer<typeof PersonCreate>) {
  return afterwardsForgetCallers(lookupTransaction(pool, ctx, 'body.idNumber', async (db) => {
    const union = await assertUnionForMembership(db, ctx.caller, input.membership.orgId, 'body.membership.orgId');
    const birthDate = checkAgainstIdNumber(input.idNumber, input.birthDate, input.gender);
    if (input.membership.joinedOn < (birthDate ?? '')) throw badRequest('body.membership.joinedOn', 'people.joined_on.before_birth');
    // Two forms adding the same new person at once: the second waits and then finds the first.
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [secrets.lookupHash(input.idNumber).toString('base64')]);
    const holder = await holderOf(db, secrets, input.idNumber, null);
    if (holder?.activePath && canReach(ctx.caller, peoplePolicy.write, holder.activePath)) {
      throw conflict('body.idNumber', 'people.id_number.member_in_subtree', { personId: holder.id });
    }
    if (holder?.activePath) throw new HeldElsewhere('body.idNumber', union.path, maskNationalId(input.idNumber));
    if (holder) return rejoinPerson(db, ctx, holder.id, union, input);
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO persons (province_id, name, gender, ethnicity, birth_date, id_number_cipher, id_number_hash, id_number_masked,
                            phone, political_status, education, employer, employment_form)
       VALUES (province_of($13::ltree), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [input.name, input.gender, input.ethnicity ?? null, birthDate, secrets.encrypt(input.idNumber), secrets.lookupHash(input.idNumber),
        maskNationalId(input.idNumber), input.phone ?? null, input.politicalStatus ?? null, input.education ?? null, input.employer ?? null, input.employmentForm ?? null,
        union.path],
    );
    const id = inserted.rows[0]!.id;
    await db.query('INSERT INTO id_numbers (id_number_hash, person_id) VALUES ($1, $2)', [secrets.lookupHash(input.idNumber), id]);
    await db.query(
      `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), $4, $5)`,
      [id, union.id, union.path, input.membership.joinedOn, input.membership.cardNumber ?? null],
    );
    const detail = await personDetail(db, id, ctx.caller);
    await recordAudit(db, ctx, { action: 'create', entity: 'person', entityId: id, orgPath: union.path, personId: id, after: detail });
    return detail;
  }));
}

/**
 * A person on the roster with no active membership joins the caller's union through the
 * new-member form. When their last membership was outside the caller's subtrees, nothing of it
 * shows: its end date is not checked against (the answer would tell it), and the contact
 * fields that union kept (phone, employer, employment form) are replaced by the form's.
 */
async function rejoinPerson(db: Queryable, ctx: WriteContext, personId: number, union: { id: number; path: string }, input: z.infer<typeof PersonCreate>) {
  const last = (await db.query<{ ended: string | null; path: string }>(
    `SELECT m.ended_on::text AS ended, o.path::text AS path FROM memberships m JOIN orgs o ON o.id = m.org_id
     WHERE m.person_id = $1 ORDER BY m.ended_on DESC NULLS FIRST, m.id DESC LIMIT 1`, [personId])).rows[0];
  const ours = last !== undefined && canReach(ctx.caller, peoplePolicy.read, last.path);
  if (ours && last.ended && input.membership.joinedOn < last.ended) {
    throw badRequest('body.membership.joinedOn', 'people.joined_on.before_last_membership', { date: last.ended });
  }
  const before = ours ? await loadPerson(db, personId) : undefined;
  await db.query(
    `UPDATE persons SET name = $2, gender = $3, ethnicity = coalesce($4, ethnicity),
       political_status = coalesce($6, political_status), education = coalesce($7, education),
       phone = CASE WHEN $10 THEN coalesce($5, phone) ELSE $5 END, employer = CASE WHEN $10 THEN coalesce($8, employer) ELSE $8 END,
       employment_form = CASE WHEN $10 THEN coalesce($9, employment_form) ELSE $9 END, updated_at = now() WHERE id = $1`,
    [personId, input.name, input.gender, input.ethnicity ?? null, input.phone ?? null, input.politicalStatus ?? null, input.education ?? null,
      input.employer ?? null, input.employmentForm ?? null, ours],
  );
  await moveHome(db, [personId], union.path);
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), $4, $5) RETURNING id`,
    [personId, union.id, union.path, input.membership.joinedOn, input.membership.cardNumber ?? null],
  );
  await accountsFollowMemberships(db, [personId]);
  await recordAudit(db, ctx, { action: 'join', entity: 'membership', entityId: inserted.rows[0]!.id, orgPath: union.path, personId, after: { orgId: union.id, joinedOn: input.membership.joinedOn } });
  await recordAudit(db, ctx, { action: 'update', entity: 'person', entityId: personId, orgPath: union.path, personId, ...(before ? { before } : {}), after: await loadPerson(db, personId) });
  return personDetail(db, personId, ctx.caller);
}

export async function updatePerson({ pool, secrets }: Services, ctx: WriteContext, id: number, input: PersonFields) {
  const transaction = input.idNumber !== undefined
    ? <T>(work: (db: Queryable) => Promise<T>) => lookupTransaction(pool, ctx, 'body.idNumber', work)
    : <T>(work: (db: Queryable) => Promise<T>) => inTransaction(pool, work);
  return transaction(async (db) => {
    const orgPath = await assertPersonWritable(db, ctx.caller, id);
    const locked = await db.query<{ cipher: Buffer }>('SELECT id_number_cipher AS cipher FROM persons WHERE id = $1 FOR UPDATE', [id]);
    const before = await loadPerson(db, id);
    let birthDate = input.birthDate;
    if (input.idNumber !== undefined || input.gender !== undefined || input.birthDate !== undefined) {
      // Gender and birth date must keep agreeing with the ID number, whichever of them changes.
      const idNumber = input.idNumber ?? secrets.decrypt(locked.rows[0]!.cipher);
      const encodedBirth = birthDateFromNationalId(idNumber);
      if ((input.gender ?? before.gender) !== genderFromNationalId(idNumber)) {
        throw badRequest(input.gender !== undefined ? 'body.gender' : 'body.idNumber', 'people.gender.mismatch_id');
      }
      if (input.birthDate !== undefined && input.birthDate !== encodedBirth) throw badRequest('body.birthDate', 'people.birth_date.mismatch', { date: encodedBirth ?? '' });
      birthDate = encodedBirth ?? undefined;
      if (input.idNumber !== undefined) {
        const holder = await holderOf(db, secrets, input.idNumber, id);
        if (holder?.activePath && canReach(ctx.caller, peoplePolicy.write, holder.activePath)) {
          throw conflict('body.idNumber', 'people.id_number.taken_in_subtree', { personId: holder.id });
        }
        if (holder) throw new HeldElsewhere('body.idNumber', orgPath, maskNationalId(input.idNumber));
      }
    }
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const plain: Array<[keyof PersonFields, string]> = [
      ['name', 'name'], ['gender', 'gender'], ['ethnicity', 'ethnicity'], ['phone', 'phone'], ['politicalStatus', 'political_status'],
      ['education', 'education'], ['employer', 'employer'], ['employmentForm', 'employment_form'],
    ];
    for (const [key, column] of plain) if (input[key] !== undefined) set(column, input[key]);
    if (birthDate !== undefined) set('birth_date', birthDate);
    if (input.idNumber !== undefined) {
      set('id_number_cipher', secrets.encrypt(input.idNumber));
      set('id_number_hash', secrets.lookupHash(input.idNumber));
      set('id_number_masked', maskNationalId(input.idNumber));
    }
    if (sets.length === 0) return personDetail(db, id, ctx.caller);
    await db.query(`UPDATE persons SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
    if (input.idNumber !== undefined) {
      await db.query('DELETE FROM id_numbers WHERE person_id = $1', [id]);
      await db.query('INSERT INTO id_numbers (id_number_hash, person_id) VALUES ($1, $2)', [secrets.lookupHash(input.idNumber), id]);
    }
    const after = await loadPerson(db, id);
    await recordAudit(db, ctx, { action: 'update', entity: 'person', entityId: id, orgPath, personId: id, before, after });
    return personDetail(db, id, ctx.caller);
  });
}

/** The full ID number, for an admin where the person is or was a member; every reveal is audited. */
export async function revealIdNumber({ pool, secrets }: Services, ctx: WriteContext, id: number) {
  return inTransaction(pool, async (db) => {
    const paths = await assertPersonVisible(db, ctx.caller, id);
    const orgPath = paths.find((p) => canReach(ctx.caller, peoplePolicy.revealIdNumber, p));
    if (!orgPath) throw forbidden('seeing a full ID number needs the admin role where the person is a member');
    const row = await db.query<{ c: Buffer }>('SELECT id_number_cipher AS c FROM persons WHERE id = $1', [id]);
    await recordAudit(db, ctx, { action: 'reveal-id-number', entity: 'person', entityId: id, orgPath, personId: id });
    return { idNumber: secrets.decrypt(row.rows[0]!.c) };
  });
}

/** The member list's filter: what both the paged list and the .xlsx export select from. */
export type MemberFilter = Omit<z.infer<typeof MemberListQuery>, 'page' | 'pageSize'> & { membershipIds?: number[] | undefined };

/** The subtrees a member list reads: one organization's (404 outside the caller's scope), or all of the caller's. */
async function listRoots(pool: Pool, caller: Caller, query: MemberFilter): Promise<string[]> {
  if (query.orgId === undefined) return scopeOf(caller, peoplePolicy.read);
  const org = await pool.query<{ path: string }>({ name: 'org-path', text: 'SELECT path::text AS path FROM orgs WHERE id = $1', values: [query.orgId] });
  const path = org.rows[0]?.path;
  if (!path || !canReach(caller, peoplePolicy.read, path)) throw notFound(`Organization ${query.orgId}`);
  return [path];
}

/**
 * The FROM ... WHERE clause and ORDER BY of the member list: memberships in the caller's
 * subtrees (or in one organization's subtree), with search by name, phone or full ID number.
 */
export async function memberListSql({ pool, secrets }: Services, caller: Caller, query: MemberFilter) {
  const roots = await listRoots(pool, caller, query);
  // A subtree is one range of memberships_org_path (migration 0013): the path itself, and
  // everything from 'path.' up to 'path/' ('/' sorts right after '.').
  const params: unknown[] = [];
  const ranges = roots.map((root) => {
    params.push(root, `${root}/`);
    return `(m.org_path >= $${params.length - 1} AND m.org_path < $${params.length})`;
  });
  const provinces = query.status === 'active' ? subtreeProvinces(roots) : null;
  if (provinces) {
    params.push(provinces);
    ranges.push(`m.province_id = ANY ($${params.length}::bigint[])`);
    return { ...memberListClauses(secrets, `(${ranges.slice(0, -1).join(' OR ')}) AND ${ranges.at(-1)!}`, params, query, roots), roots };
  }
  return { ...memberListClauses(secrets, ranges.length === 1 ? ranges[0]! : `(${ranges.join(' OR ')})`, params, query, roots), roots };
}

/**
 * The provinces of the subtrees, or null when one of them is the root's (all provinces). A
 * subtree's present members all live in its province (migration 0066): named, it makes a list
 * or a search one shard's query on Citus. Past members who moved away live in their new
 * province, so a list that includes them reads every province.
 */
function subtreeProvinces(roots: string[]): number[] | null {
  const labels = roots.map((root) => root.split('.'));
  return labels.some((l) => l.length < 2) ? null : [...new Set(labels.map((l) => Number(l[1])))];
}

/** What `q` searches by: a full (valid) ID number, a phone prefix of 3 to 11 digits, or else part of a name. */
function searchKind(q: string): 'idNumber' | 'phone' | 'name' {
  if (/^\d{17}[\dXx]$/.test(q) && !nationalIdProblem(q)) return 'idNumber';
  return /^\d{3,11}$/.test(q) ? 'phone' : 'name';
}

/**
 * A search by name or phone prefix, with the list's filters, as conditions on member_search
 * (migration 0050) alone; params appended to. Each root's subtree is read through the index
 * key of its ancestor at depth 1-4 (the root itself when it is that shallow: the key then
 * says "in this subtree" exactly); a deeper root (a grassroots union) adds its own range.
 */
function searchConditions(query: MemberFilter, kind: 'phone' | 'name', q: string, roots: string[], params: unknown[]): string[] {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (query.status !== 'all') add('s.status = ?', query.status);
  // Phones are matched on current members only: a former member's phone is their present union's.
  if (kind === 'phone') where.push(`s.status = 'active'`);
  const provinces = kind === 'phone' || query.status === 'active' ? subtreeProvinces(roots) : null;
  if (provinces) add('s.province_id = ANY (?::bigint[])', provinces);
  if (query.membershipIds) add('s.membership_id = ANY(?::bigint[])', query.membershipIds);
  if (query.gender) add('s.gender = ?', query.gender);
  if (query.ageMin !== undefined) add(`s.birth_date <= current_date - make_interval(years => ?)`, query.ageMin);
  if (query.ageMax !== undefined) add(`s.birth_date > current_date - make_interval(years => ? + 1)`, query.ageMax);
  const perRoot = roots.map((root) => {
    const labels = root.split('.');
    const depth = Math.min(4, labels.length);
    const conditions: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (kind === 'phone') {
      // A prefix as a range: '1381' <= phone < '1382' (phone is in the "C" collation).
      const next = q.slice(0, -1) + String.fromCharCode(q.charCodeAt(q.length - 1) + 1);
      conditions.push(`split_part(s.org_path, '.', ${depth}) = ${param(labels[depth - 1])}`, `s.phone >= ${param(q)}`, `s.phone < ${param(next)}`);
    } else {
      conditions.push(`member_search_keys(s.org_path, s.name) @> ${param(nameGrams(q).map((gram) => `${labels[depth - 1]}:${gram}`))}::text[]`);
    }
    if (labels.length > depth) conditions.push(`s.org_path >= ${param(root)}`, `s.org_path < ${param(`${root}/`)}`);
    return `(${conditions.join(' AND ')})`;
  });
  where.push(perRoot.length === 0 ? 'false' : perRoot.length === 1 ? perRoot[0]! : `(${perRoot.join(' OR ')})`);
  // The keys of one or two characters are the answer itself; for a longer fragment they find
  // the names holding each of its pairs, and LIKE keeps those holding them in a row. (Only
  // there: the planner cannot know that LIKE removes nothing and would expect a 200th of the rows.)
  if (kind === 'name' && [...q].length > 2) add('s.name ILIKE ?', `%${escapeLike(q)}%`);
  return where;
}

/** The list's order on member_search's columns (`s`): the same as memberListClauses' on the joined tables. */
function searchOrder(query: MemberFilter) {
  const order = query.order === 'desc' ? 'DESC' : 'ASC';
  return query.sort === 'union'
    ? `s.org_path ${order}, s.name ${order}, s.membership_id ${order}`
    : `s.${{ name: 'name', joinedOn: 'joined_on', birthDate: 'birth_date' }[query.sort]} ${order} NULLS LAST, s.membership_id ${order}`;
}

/** The member list's joins, filters and order, given the subtree condition and its params (appended to). */
function memberListClauses(secrets: Secrets, subtree: string, params: unknown[], query: MemberFilter, roots: string[] = []) {
  const where = [subtree];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  let search = '';
  if (query.status !== 'all') add('m.status = ?', query.status);
  if (query.membershipIds) add('m.id = ANY(?::bigint[])', query.membershipIds);
  if (query.gender) add('p.gender = ?', query.gender);
  if (query.ageMin !== undefined) add(`p.birth_date <= current_date - make_interval(years => ?)`, query.ageMin);
  if (query.ageMax !== undefined) add(`p.birth_date > current_date - make_interval(years => ? + 1)`, query.ageMax);
  if (query.q) {
    const kind = searchKind(query.q);
    if (kind === 'idNumber') add('p.id_number_hash = ?', secrets.lookupHash(normalizeNationalId(query.q)));
    else {
      search = 'member_search s JOIN memberships m ON m.province_id = s.province_id AND m.id = s.membership_id';
      where.push(...searchConditions(query, kind, query.q, roots, params));
    }
  }
  const order = query.order === 'desc' ? 'DESC' : 'ASC';
  const from = `${search || 'memberships m'} JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE ${where.join(' AND ')}`;
  // By union: the index walks the subtree's unions in order and only one union at a time is sorted by name.
  const orderBy = query.sort === 'union'
    ? `m.org_path ${order}, p.name ${order}, m.id ${order}`
    : `${{ name: 'p.name', joinedOn: 'm.joined_on', birthDate: 'p.birth_date' }[query.sort]} ${order} NULLS LAST, m.id ${order}`;
  return { from, params, orderBy };
}

/**
 * A search lists at most this many of its matches, the first found, in the order asked, and
 * says when there are more. Counting and sorting every "王" of a province would cost what the
 * matches number (tens of thousands of rows for one page of 50); a person looking for someone
 * types more instead, as the page suggests.
 */
export const SEARCH_MATCH_CAP = 1000;

/**
 * A page of a search by name or phone prefix: its matches (up to SEARCH_MATCH_CAP) are found,
 * filtered, counted and sorted in member_search alone, and only the page's rows are joined
 * with the roster.
 */
async function searchPage({ pool }: Services, caller: Caller, query: z.infer<typeof MemberListQuery>, kind: 'phone' | 'name', q: string) {
  const roots = await listRoots(pool, caller, query);
  const { text, params, where, n } = searchStatement(query, kind, q, roots);
  const rows = await pool.query<MemberPageRow>(text, params);
  // A page past the end has no row to carry the total.
  const found = rows.rows[0] ? Number(rows.rows[0].total)
    : query.page > 1 ? (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM member_search s WHERE ${where} LIMIT $${n - 2} + 1) s`, params.slice(0, n - 2))).rows[0]!.n : 0;
  return {
    items: rows.rows.map(({ total: _total, ...row }) => row),
    total: Math.min(found, SEARCH_MATCH_CAP), ...(found > SEARCH_MATCH_CAP ? { totalAtLeast: true } : {}), page: query.page, pageSize: query.pageSize,
  };
}

/**
 * The search page's statement. The matches are planned apart from the page (a CTE of their own):
 * with the page's LIMIT in view the planner would walk the subtree in the page's order, testing
 * every row. One match past the cap is read, to know that there are more. The page's rows are
 * joined with the roster in the matches' provinces (one shard on Citus, as the matches).
 */
function searchStatement(query: z.infer<typeof MemberListQuery>, kind: 'phone' | 'name', q: string, roots: string[]) {
  const params: unknown[] = [];
  const where = searchConditions(query, kind, q, roots, params).join(' AND ');
  const orderBy = searchOrder(query);
  const n = params.push(SEARCH_MATCH_CAP, query.pageSize, (query.page - 1) * query.pageSize);
  const provinces = kind === 'phone' || query.status === 'active' ? subtreeProvinces(roots) : null;
  // Named on both tables: Citus prunes a join by a list of values only when each table has it.
  const list = provinces ? `$${params.push(provinces)}::bigint[]` : '';
  const inProvinces = provinces ? `WHERE m.province_id = ANY (${list}) AND p.province_id = ANY (${list})` : '';
  const text = `WITH matches AS MATERIALIZED (
       SELECT s.province_id, s.membership_id, s.org_path, s.name, s.joined_on, s.birth_date FROM member_search s WHERE ${where} LIMIT $${n - 2} + 1),
     shown AS (SELECT * FROM matches LIMIT $${n - 2}),
     page AS (
       SELECT s.*, (SELECT count(*) FROM matches) AS total FROM shown s ORDER BY ${orderBy} LIMIT $${n - 1} OFFSET $${n})
     SELECT ${MEMBER_ROW_COLUMNS}, s.total FROM page s JOIN memberships m ON m.province_id = s.province_id AND m.id = s.membership_id
       JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id
     ${inProvinces}
     ORDER BY ${orderBy}`;
  return { text, params, where, n };
}

/**
 * The statement of a member list page as listMembers runs it (an unfiltered page or a search by
 * name or phone), for the Citus lane to see where it runs.
 */
export async function memberPageStatement(services: Services, caller: Caller, query: z.infer<typeof MemberListQuery>): Promise<{ text: string; values: unknown[]; name?: string }> {
  const kind = query.q ? searchKind(query.q) : null;
  if (query.q && (kind === 'phone' || kind === 'name')) {
    const { text, params } = searchStatement(query, kind, query.q, await listRoots(services.pool, caller, query));
    return { text, values: params };
  }
  const { from, params, orderBy } = await memberListSql(services, caller, query);
  const text = `SELECT ${MEMBER_ROW_COLUMNS} FROM ${from} ORDER BY ${orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
  return { text, values: [...params, query.pageSize, (query.page - 1) * query.pageSize], name: statementName('member-page', text) };
}

export const MEMBER_ROW_COLUMNS = `m.id AS "membershipId", p.id AS "personId", p.name, p.gender, p.birth_date AS "birthDate",
  p.id_number_masked AS "idNumberMasked", CASE WHEN m.status = 'active' THEN p.phone END AS phone,
  CASE WHEN m.status = 'active' THEN p.employer END AS employer, o.id AS "orgId", o.name AS "orgName",
  m.status, m.joined_on AS "joinedOn"`;

type MemberPageRow = MemberRow & { total: string };

/** The member list, one page of it. */
export async function listMembers(services: Services, caller: Caller, query: z.infer<typeof MemberListQuery>) {
  // Unfiltered, the total comes from the maintained subtree figures (no count over millions of rows).
  const unfiltered = !query.q && !query.gender && query.ageMin === undefined && query.ageMax === undefined;
  const kind = query.q ? searchKind(query.q) : null;
  if (query.q && kind !== null && kind !== 'idNumber') return searchPage(services, caller, query, kind, query.q);
  const { from, params, orderBy, roots } = await memberListSql(services, caller, query);
  // A search is planned for its values (a name's characters or a phone prefix pick the plan),
  // and its matches are found once, for the page and the total together. Filters without a
  // search can match most of a subtree: their page stops early and the count runs beside it.
  if (!unfiltered) {
    return paged<MemberRow>(services.pool, { select: MEMBER_ROW_COLUMNS, from, orderBy, total: query.q ? 'window' : 'separate' }, params, query);
  }
  // One named statement for the page (one generic plan), the total apart from the figures: on
  // Citus the page is one shard's query when the subtree lies in one province, and the total a
  // read of the figures.
  const text = `SELECT ${MEMBER_ROW_COLUMNS} FROM ${from} ORDER BY ${orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
  const [rows, total] = await Promise.all([
    services.pool.query<MemberRow>({ name: statementName('member-page', text), text, values: [...params, query.pageSize, (query.page - 1) * query.pageSize] }),
    subtreeMemberTotal(services.pool, roots, query.status),
  ]);
  return { items: rows.rows, total, page: query.page, pageSize: query.pageSize };
}

/** The grams a name must contain to contain `q`: its pairs of characters, or the single character (see migration 0002). */
export function nameGrams(q: string): string[] {
  const chars = [...q.toLowerCase()];
  if (chars.length === 1) return chars;
  return [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
}

async function activeMembership(db: Queryable, personId: number) {
  // Locked in the person's province (Citus locks rows on one shard only).
  const row = await db.query<{ id: number; orgId: number; joinedOn: string; path: string }>(
    `SELECT m.id, m.org_id AS "orgId", m.joined_on AS "joinedOn", o.path::text AS path
     FROM memberships m JOIN orgs o ON o.id = m.org_id
     WHERE m.province_id = (SELECT province_id FROM persons WHERE id = $1) AND m.person_id = $1 AND m.status = 'active' FOR UPDATE OF m`,
    [personId],
  );
  return row.rows[0];
}

type TransferFields = { toOrgId: number; date: string; note?: string | undefined; cardNumber?: string | undefined };
type LeaveFields = { date: string; note?: string | undefined };

/** Transfers a member to another grassroots union; the caller needs the admin role on both. */
export async function transferMember(pool: Pool, ctx: WriteContext, personId: number, input: TransferFields) {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    await transferWithin(db, ctx, personId, input);
    return personDetail(db, personId, ctx.caller);
  }));
}

/** One transfer inside the caller's transaction (a single one, or one of a bulk transfer), audited. */
async function transferWithin(db: Queryable, ctx: WriteContext, personId: number, input: TransferFields) {
  await assertPersonVisible(db, ctx.caller, personId);
  const current = await activeMembership(db, personId);
  if (!current) throw conflict('params.id', 'people.membership.none_to_transfer');
  if (!canReach(ctx.caller, peoplePolicy.write, current.path)) throw forbidden('needs the admin role on the union the member leaves');
  const target = await assertUnionForMembership(db, ctx.caller, input.toOrgId, 'body.toOrgId');
  if (target.id === current.orgId) throw badRequest('body.toOrgId', 'people.membership.same_union');
  if (input.date < current.joinedOn) throw badRequest('body.date', 'people.membership.date_before_start', { date: current.joinedOn });
  await db.query(`UPDATE memberships SET status = 'transferred_out', ended_on = $2, note = $3 WHERE id = $1`, [current.id, input.date, input.note ?? null]);
  await moveHome(db, [personId], target.path);
  await db.query(
    `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number, note) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), $4, $5, $6)`,
    [personId, target.id, target.path, input.date, input.cardNumber ?? null, input.note ?? null],
  );
  await accountsFollowMemberships(db, [personId]);
  await recordAudit(db, ctx, { action: 'transfer', entity: 'membership', entityId: current.id, orgPath: current.path, personId, before: { orgId: current.orgId }, after: { orgId: target.id, date: input.date } });
  await recordAudit(db, ctx, { action: 'transfer-in', entity: 'membership', entityId: current.id, orgPath: target.path, personId, before: { orgId: current.orgId }, after: { orgId: target.id, date: input.date } });
}

export async function leaveUnion(pool: Pool, ctx: WriteContext, personId: number, input: LeaveFields) {
  return inTransaction(pool, async (db) => {
    await leaveWithin(db, ctx, personId, input);
    return personDetail(db, personId, ctx.caller);
  });
}

/** One member leaving inside the caller's transaction, audited. */
async function leaveWithin(db: Queryable, ctx: WriteContext, personId: number, input: LeaveFields) {
  await assertPersonVisible(db, ctx.caller, personId);
  const current = await activeMembership(db, personId);
  if (!current) throw conflict('params.id', 'people.membership.none');
  if (!canReach(ctx.caller, peoplePolicy.write, current.path)) throw forbidden('needs the admin role on the member\'s union');
  if (input.date < current.joinedOn) throw badRequest('body.date', 'people.membership.date_before_start', { date: current.joinedOn });
  await db.query(`UPDATE memberships SET status = 'left', ended_on = $2, note = $3 WHERE id = $1`, [current.id, input.date, input.note ?? null]);
  await recordAudit(db, ctx, { action: 'leave', entity: 'membership', entityId: current.id, orgPath: current.path, personId, after: { status: 'left', date: input.date } });
}

/**
 * Several members at once, all or none: each goes through the single transfer's checks and audit
 * in one transaction, so one refusal (the error names the person) leaves everyone as they were.
 */
export async function bulkTransfer(pool: Pool, ctx: WriteContext, input: TransferFields & { personIds: number[] }) {
  const { personIds, ...fields } = input;
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    for (const personId of personIds) await naming(db, personId, () => transferWithin(db, ctx, personId, fields));
    return { count: personIds.length };
  }));
}

export async function bulkLeave(pool: Pool, ctx: WriteContext, input: LeaveFields & { personIds: number[] }) {
  const { personIds, ...fields } = input;
  return inTransaction(pool, async (db) => {
    for (const personId of personIds) await naming(db, personId, () => leaveWithin(db, ctx, personId, fields));
    return { count: personIds.length };
  });
}

/** Runs one member's part of a bulk action; a refusal of it carries the member's name (one the caller may see). */
async function naming(db: Queryable, personId: number, action: () => Promise<void>) {
  try {
    await action();
  } catch (error) {
    // Not for a 404: a person the caller may not see stays unnamed.
    if (error instanceof AppError && error.status !== 404) {
      const row = await db.query<{ name: string }>('SELECT name FROM persons WHERE id = $1', [personId]);
      const person = { id: personId, name: row.rows[0]?.name ?? String(personId) };
      throw new AppError(error.status, error.type, error.title, error.code, `${person.name}: ${error.message}`, error.errors, error.params, { ...error.extensions, person });
    }
    throw error;
  }
}

export async function joinUnion(pool: Pool, ctx: WriteContext, personId: number, input: { orgId: number; joinedOn: string; cardNumber?: string | undefined }) {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    await assertPersonVisible(db, ctx.caller, personId);
    if (await activeMembership(db, personId)) throw conflict('params.id', 'people.membership.already_member');
    const union = await assertUnionForMembership(db, ctx.caller, input.orgId, 'body.orgId');
    // Checked against the memberships of the caller's own subtrees: one elsewhere must not show through its end date.
    const past = await db.query<{ ended: string | null; path: string }>(
      `SELECT m.ended_on::text AS ended, o.path::text AS path FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.person_id = $1`, [personId]);
    const ended = past.rows.filter((m) => m.ended && canReach(ctx.caller, peoplePolicy.read, m.path)).map((m) => m.ended!).sort().at(-1);
    if (ended && input.joinedOn < ended) throw badRequest('body.joinedOn', 'people.joined_on.before_last_membership', { date: ended });
    await moveHome(db, [personId], union.path);
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), $4, $5) RETURNING id`,
      [personId, union.id, union.path, input.joinedOn, input.cardNumber ?? null],
    );
    await accountsFollowMemberships(db, [personId]);
    await recordAudit(db, ctx, { action: 'join', entity: 'membership', entityId: inserted.rows[0]!.id, orgPath: union.path, personId, after: { orgId: union.id, joinedOn: input.joinedOn } });
    return personDetail(db, personId, ctx.caller);
  }));
}

const CADRE_POSITION = {
  select: `c.id, c.person_id AS "personId", p.name AS "personName", c.org_id AS "orgId", o.name AS "orgName", c.title, c.since, c.until`,
  from: 'cadre_positions c JOIN persons p ON p.province_id = c.province_id AND p.id = c.person_id JOIN orgs o ON o.id = c.org_id',
  orderBy: 'c.until IS NOT NULL, c.since DESC, c.id',
};

async function listCadrePositionsWhere(db: Queryable, where: string, params: unknown[]): Promise<CadrePosition[]>;
async function listCadrePositionsWhere(db: Queryable, where: string, params: unknown[], withPath: true): Promise<Array<CadrePosition & { path: string }>>;
async function listCadrePositionsWhere(db: Queryable, where: string, params: unknown[], withPath = false): Promise<CadrePosition[]> {
  const { select, from, orderBy } = CADRE_POSITION;
  const columns = withPath ? `${select}, o.path::text AS path` : select;
  return (await db.query<CadrePosition>(`SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY ${orderBy}`, params)).rows;
}

export async function listCadrePositions(db: Queryable, caller: Caller, query: { orgId: number; current: boolean; page: number; pageSize: number }) {
  const org = await findOrg(db, query.orgId);
  if (!org || !canReach(caller, peoplePolicy.read, org.path)) throw notFound(`Organization ${query.orgId}`);
  const where = `c.org_id = $1 ${query.current ? 'AND c.until IS NULL' : ''}`;
  return paged<CadrePosition>(db, { ...CADRE_POSITION, from: `${CADRE_POSITION.from} WHERE ${where}` }, [org.id], query);
}

export async function createCadrePosition(pool: Pool, ctx: WriteContext, input: { personId: number; orgId: number; title: string; since: string }) {
  return inTransaction(pool, async (db) => {
    const org = await findOrg(db, input.orgId);
    if (!org || !canReach(ctx.caller, peoplePolicy.read, org.path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
    if (!canReach(ctx.caller, peoplePolicy.write, org.path)) throw forbidden('body.orgId: needs the admin role on this organization');
    if (org.status !== 'active') throw badRequest('body.orgId', 'orgs.org.closed', { id: input.orgId });
    const paths = await personOrgPaths(db, input.personId, false);
    if (!paths.some((p) => canReach(ctx.caller, peoplePolicy.read, p))) throw badRequest('body.personId', 'people.person.not_found', { id: input.personId });
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, $3, $4 FROM persons WHERE id = $1 RETURNING id`,
      [input.personId, org.id, input.title, input.since],
    );
    const [position] = await listCadrePositionsWhere(db, 'c.id = $1', [inserted.rows[0]!.id]);
    await recordAudit(db, ctx, { action: 'create', entity: 'cadre_position', entityId: position!.id, orgPath: org.path, personId: input.personId, after: position });
    return position!;
  });
}

export async function endCadrePosition(pool: Pool, ctx: WriteContext, id: number, until: string) {
  return inTransaction(pool, async (db) => {
    const [position] = await listCadrePositionsWhere(db, 'c.id = $1', [id]);
    const org = position ? await findOrg(db, position.orgId) : undefined;
    if (!position || !org || !canReach(ctx.caller, peoplePolicy.read, org.path)) throw notFound(`Cadre position ${id}`);
    if (!canReach(ctx.caller, peoplePolicy.write, org.path)) throw forbidden('needs the admin role on this organization');
    if (position.until) throw conflict('params.id', 'people.cadre.already_ended', { date: position.until });
    if (until < position.since) throw badRequest('body.until', 'people.cadre.before_start', { date: position.since });
    await db.query('UPDATE cadre_positions SET until = $2 WHERE id = $1', [id, until]);
    const [after] = await listCadrePositionsWhere(db, 'c.id = $1', [id]);
    await recordAudit(db, ctx, { action: 'end', entity: 'cadre_position', entityId: id, orgPath: org.path, personId: position.personId, before: position, after });
    return after!;
  });
}
