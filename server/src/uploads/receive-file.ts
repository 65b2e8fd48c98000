import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES } from '@workers-home/contract';
import { AppError, badRequest } from '../errors.ts';

/** The folder uploads wait in by default (each module may name its own). */
export const DEFAULT_UPLOAD_DIR = path.join(tmpdir(), 'workers-home-imports');

/**
 * Accepts multipart uploads in this (encapsulated) scope: one file a request, at most
 * `maxBytes`, and a few small fields beside it.
 */
export async function acceptUploads(app: FastifyInstance, maxBytes: number, fields = 5) {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields, parts: fields + 1 } });
}

export interface UploadRules {
  /** What the file is, for the message when it is missing ("the trainee list (.xlsx or .csv)"). */
  what: string;
  maxBytes: number;
  /** Advice when it is too large ("split the roster into several files"). */
  tooLargeHint?: string;
  dir?: string;
  /** The start of the temporary file's name, for whoever looks in the folder. */
  prefix: string;
}

export interface ReceivedFile {
  path: string;
  /** The name the client gave (for display only). */
  filename: string;
  bytes: number;
}

export const uploadTooLarge = (maxBytes: number, hint?: string) => {
  const message = `is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB${hint ? `; ${hint}` : ''}`;
  return new AppError(413, PROBLEM_TYPES.payloadTooLarge, 'Payload too large', `body.file: ${message}`, [{ field: 'body.file', message }]);
};

/**
 * The file of a multipart request (field "file"), written to a private temporary file.
 * The caller removes it when done. Not multipart: 415; no file: 400 body.file; too large: 413,
 * with nothing left behind.
 */
export async function receiveFile(request: FastifyRequest, rules: UploadRules): Promise<ReceivedFile> {
  if (!request.isMultipart()) {
    throw new AppError(415, PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type', 'body: send the file as multipart/form-data in the field "file"');
  }
  const part = await request.file();
  if (!part || part.fieldname !== 'file') throw badRequest('body.file', `attach ${rules.what} in the multipart field "file"`);
  const dir = rules.dir ?? DEFAULT_UPLOAD_DIR;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const saved = path.join(dir, `${rules.prefix}-${randomUUID()}`);
  try {
    await pipeline(part.file, createWriteStream(saved, { mode: 0o600 }));
  } catch (error) {
    await rm(saved, { force: true });
    if ((error as { statusCode?: number }).statusCode === 413) throw uploadTooLarge(rules.maxBytes, rules.tooLargeHint);
    throw error;
  }
  if (part.file.truncated) {
    await rm(saved, { force: true });
    throw uploadTooLarge(rules.maxBytes, rules.tooLargeHint);
  }
  return { path: saved, filename: part.filename || 'upload', bytes: part.file.bytesRead };
}
