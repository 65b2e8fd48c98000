import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportJob } from '@workers-home/contract';
import { call, type Session, type TestApp } from './helpers.ts';

/** A multipart/form-data body with one file field, as a browser sends it. */
export function multipart(fileName: string, content: Buffer | string, field = 'file') {
  const boundary = `----wh${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads a file and waits until its import job ends. */
export async function importFile(t: TestApp, session: Session, orgId: number, fileName: string, content: Buffer | string, acceptValid = false): Promise<ImportJob> {
  const response = await call(t, session, { method: 'POST', url: `/api/member-imports?orgId=${orgId}&acceptValid=${acceptValid}`, ...multipart(fileName, content) });
  if (response.statusCode !== 202) throw new Error(`import not accepted: ${response.statusCode} ${response.body}`);
  return waitForJob(t, session, response.json<ImportJob>().id);
}

export async function waitForJob(t: TestApp, session: Session, id: number): Promise<ImportJob> {
  for (let i = 0; i < 2000; i++) {
    const job = (await call(t, session, { method: 'GET', url: `/api/member-imports/${id}` })).json<ImportJob>();
    if (['succeeded', 'rejected', 'failed'].includes(job.status)) return job;
    await sleep(20);
  }
  throw new Error(`import ${id} did not finish`);
}

export interface RosterRow {
  name: string;
  idNumber: string;
  gender?: string;
  phone?: string;
  joinedOn?: string;
  union?: string | number;
  employer?: string;
  cardNumber?: string;
}

/** A CSV roster with Chinese headers in a shuffled order. */
export function rosterCsv(rows: RosterRow[], withUnion = true): string {
  const header = ['手机号', '姓名', '性别', '身份证号', '入会时间', '工作单位', '会员证号', ...(withUnion ? ['所属工会'] : [])];
  const lines = rows.map((r) => [r.phone ?? '', r.name, r.gender ?? '', r.idNumber, r.joinedOn ?? '2020-01-01', r.employer ?? '', r.cardNumber ?? '', ...(withUnion ? [String(r.union ?? '')] : [])].join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}
