import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { PROBLEM_TYPES, type FieldError, type ProblemType } from '@workers-home/contract';
import { AppError, fieldError, notFound } from '../errors.ts';

/** Media types by what a module accepts: photos of documents, scans, portal images. */
export const MEDIA_TYPES = {
  image: ['image/jpeg', 'image/png', 'image/webp'],
  pdf: ['application/pdf'],
} as const;

/** What a module asks of an upload: where it came from (for the error), which types, how large. */
export interface FileRules {
  field: string;
  accept: readonly string[];
  maxBytes: number;
}

export interface StoredFile {
  /** Opaque name to keep in the module's own table. */
  key: string;
  /** The type read from the content itself, never from the file's name or the client's word. */
  mediaType: string;
  bytes: number;
  sha256: string;
}

/**
 * Where uploaded files live (photos, claim documents, images): a module keeps only the key and
 * what it needs to show. The local folder is the default; another store (an object store)
 * implements the same three calls.
 */
export interface FileStore {
  save(content: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer> | Buffer, rules: FileRules): Promise<StoredFile>;
  open(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{32}$/;
// file-type reads at most this much of a file to name its type.
const SNIFF_BYTES = 4100;

const onField = (status: number, type: ProblemType, title: string, error: FieldError) =>
  new AppError(status, type, title, error.code, `${error.field}: ${error.message}`, [error], error.params);
export const tooLarge = (field: string, maxBytes: number) =>
  onField(413, PROBLEM_TYPES.payloadTooLarge, 'Payload too large', fieldError(field, 'request.file_too_large', { limit: formatBytes(maxBytes) }));
const wrongType = (field: string, found: string | undefined, accept: readonly string[]) => onField(415, PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type',
  found ? fieldError(field, 'request.file_type', { found, accepted: accept.join(', ') }) : fieldError(field, 'request.file_type_unknown', { accepted: accept.join(', ') }));
const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`);

/** Files in a folder of this machine (DATA_DIR/files by default): two levels by the key's first characters. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    if (!KEY.test(key)) throw notFound('File');
    return path.join(this.root, key.slice(0, 2), key);
  }

  async save(content: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer> | Buffer, rules: FileRules): Promise<StoredFile> {
    const incoming = path.join(this.root, '.incoming');
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    const key = randomBytes(16).toString('hex');
    const temporary = path.join(incoming, key);
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let bytes = 0;
    const out = createWriteStream(temporary, { mode: 0o600 });
    try {
      for await (const piece of Buffer.isBuffer(content) ? [content] : content) {
        const chunk = Buffer.from(piece);
        bytes += chunk.length;
        if (bytes > rules.maxBytes) throw tooLarge(rules.field, rules.maxBytes);
        if (headBytes < SNIFF_BYTES) { head.push(chunk); headBytes += chunk.length; }
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      const found = await fileTypeFromBuffer(Buffer.concat(head).subarray(0, SNIFF_BYTES));
      if (!found || !rules.accept.includes(found.mime)) throw wrongType(rules.field, found?.mime, rules.accept);
      const final = this.pathOf(key);
      await mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
      await rename(temporary, final);
      return { key, mediaType: found.mime, bytes, sha256: hash.digest('hex') };
    } catch (error) {
      out.destroy();
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    await stat(file).catch(() => { throw notFound('File'); });
    return createReadStream(file);
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
