import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../src/errors.ts';
import { LocalFileStore, MEDIA_TYPES } from '../src/files/file-store.ts';

let root: string;
let store: LocalFileStore;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wh-files-'));
  store = new LocalFileStore(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const png = () => { const image = new PNG({ width: 8, height: 8 }); image.data.fill(200); return PNG.sync.write(image); };
const pdf = () => new Promise<Buffer>((resolve) => {
  const doc = new PDFDocument();
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  doc.on('end', () => resolve(Buffer.concat(parts)));
  doc.text('出院小结');
  doc.end();
});
const rules = { field: 'body.file', accept: [...MEDIA_TYPES.image, ...MEDIA_TYPES.pdf], maxBytes: 1024 * 1024 };
const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail('accepted'), (error: unknown) => error as AppError);
const leftovers = async () => readdir(path.join(root, '.incoming'));

describe('the local file store', () => {
  it('keeps an image and a PDF by their content, and gives them back byte for byte', async () => {
    for (const [content, type] of [[png(), 'image/png'], [await pdf(), 'application/pdf']] as const) {
      const saved = await store.save(content, rules);
      expect(saved).toMatchObject({ mediaType: type, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') });
      expect(await buffer(await store.open(saved.key))).toEqual(content);
      await store.remove(saved.key);
      await expect(store.open(saved.key)).rejects.toMatchObject({ status: 404 });
    }
  });

  it('refuses a program renamed to .jpg, a text file and an unknown blob with 415 naming the field, keeping nothing', async () => {
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(400)]);
    for (const content of [program, Buffer.from('hello, 这不是图片'), Buffer.alloc(100)]) {
      const error = await refusal(store.save(content, rules));
      expect(error.status).toBe(415);
      expect(error.errors?.[0]?.field).toBe('body.file');
    }
    expect(await leftovers()).toEqual([]);
  });

  it('stops reading a 30 MB photo at the limit with 413, keeping nothing', async () => {
    function* thirtyMegabytes() {
      yield png();
      for (let i = 0; i < 30; i++) yield Buffer.alloc(1024 * 1024, 7);
    }
    const error = await refusal(store.save(thirtyMegabytes(), { ...rules, maxBytes: 10 * 1024 * 1024 }));
    expect(error.status).toBe(413);
    expect(error.message).toContain('10 MB');
    expect(await leftovers()).toEqual([]);
  });

  it('answers a key that is not one of its own (a path, a guess) as not found', async () => {
    for (const key of ['../../etc/passwd', 'a'.repeat(32), '']) await expect(store.open(key)).rejects.toMatchObject({ status: 404 });
  });
});
