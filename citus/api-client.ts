// A signed-in user of the API over real HTTP, as the web app is one: a session cookie, JSON in
// and out, and the status every step expects checked as it goes.
import { DEMO_PASSWORD } from '../server/src/demo/federation.ts';

export interface Answer {
  status: number;
  body: unknown;
  bytes: Buffer;
}

interface Request {
  body?: unknown;
  form?: FormData;
}

export class ApiUser {
  private constructor(readonly baseUrl: string, readonly username: string, private readonly cookie: string) {}

  /** Signs a demo account in through the login endpoint. */
  static async signIn(baseUrl: string, username: string): Promise<ApiUser> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (response.status !== 200) throw new Error(`sign-in of ${username}: expected 200, got ${response.status}: ${await response.text()}`);
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('wh_session='));
    if (!session) throw new Error(`sign-in of ${username}: no session cookie`);
    return new ApiUser(baseUrl, username, session.split(';')[0]!);
  }

  /** Any answer, whatever its status (for the steps that record a refusal). */
  async call(method: string, path: string, request: Request = {}): Promise<Answer> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method, headers, body: request.form ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = /json/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, body: json ? JSON.parse(bytes.toString('utf8')) : undefined, bytes };
  }

  /** The answer of a step that must have `status`; throws naming the step otherwise. */
  async expect<T>(status: number, method: string, path: string, request: Request = {}): Promise<T> {
    return (await this.answer(status, method, path, request)).body as T;
  }

  get<T>(path: string): Promise<T> {
    return this.expect<T>(200, 'GET', path);
  }

  /** A file the API sends (an export), as bytes. */
  async download(path: string): Promise<Buffer> {
    return (await this.answer(200, 'GET', path)).bytes;
  }

  private async answer(status: number, method: string, path: string, request: Request = {}): Promise<Answer> {
    const answer = await this.call(method, path, request);
    if (answer.status !== status) {
      throw new Error(`${this.username} ${method} ${path}: expected ${status}, got ${answer.status}: ${answer.bytes.toString('utf8').slice(0, 500)}`);
    }
    return answer;
  }
}
