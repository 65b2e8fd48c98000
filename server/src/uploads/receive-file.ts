import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorText, PROBLEM_TYPES } from '@workers-home/contract';
import { AppError, badRequest, fieldError } from '../errors.ts';

/** The folder uploads wait in by default (each module may name its own). */
export const DEFAULT_UPLOAD_DIR = path.join(tmpdir(), 'workers-home-imports');

/**
 * Accepts multipart uploads in this (encapsulated) scope: one file a request, at most
 * `maxBytes`, and a few small fields beside it.
 */
export async function acceptUploads(app: FastifyInstance, maxBytes: number, fields = 5) {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields, parts: fields + 1 } });
}

/** Codes of the catalogue that take no parameters, and those that take the limit in MB. */
type FileMissingCode = 'people.import.file_missing' | 'training.import.file_missing' | 'services.import.file_missing';
type FileTooLargeCode = 'people.import.file_too_large' | 'training.import.file_too_large' | 'services.import.file_too_large';

export interface UploadRules {
  /** The error when no file came ("attach the trainee list (.xlsx or .csv)…"). */
  missing: FileMissingCode;
  maxBytes: number;
  /** The error when it is larger than maxBytes (its text may advise, e.g. split the roster). */
  tooLarge: FileTooLargeCode;
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

export const uploadTooLarge = (maxBytes: number, code: FileTooLargeCode) => {
  const error = fieldError('body.file', code, { mb: Math.round(maxBytes / 1024 / 1024) });
  return new AppError(413, PROBLEM_TYPES.payloadTooLarge, 'Payload too large', error.code, `${error.field}: ${error.message}`, [error], error.params);
};

/**
 * The file of a multipart request (field "file"), written to a private temporary file.
 * The caller removes it when done. Not multipart: 415; no file: 400 body.file; too large: 413,
 * with nothing left behind.
 */
export async function receiveFile(request: FastifyRequest, rules: UploadRules): Promise<ReceivedFile> {
  if (!request.isMultipart()) {
    throw new AppError(415, PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type', 'request.multipart_required', `body: ${errorText('request.multipart_required')}`);
  }
  const part = await request.file();
  if (!part || part.fieldname !== 'file') throw badRequest('body.file', rules.missing);
  const dir = rules.dir ?? DEFAULT_UPLOAD_DIR;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const saved = path.join(dir, `${rules.prefix}-${randomUUID()}`);
  try {
    await pipeline(part.file, createWriteStream(saved, { mode: 0o600 }));
  } catch (error) {
    await rm(saved, { force: true });
    if ((error as { statusCode?: number }).statusCode === 413) throw uploadTooLarge(rules.maxBytes, rules.tooLarge);
    throw error;
  }
  if (part.file.truncated) {
    await rm(saved, { force: true });
    throw uploadTooLarge(rules.maxBytes, rules.tooLarge);
  }
  return { path: saved, filename: part.filename || 'upload', bytes: part.file.bytesRead };
}
