import sharp from 'sharp';
import { fieldError, AppError } from '../errors.ts';
import { PROBLEM_TYPES } from '@workers-home/contract';
import type { FileStore, StoredFile } from './file-store.ts';

/** One size of a photo as stored. */
export interface ImageVariant {
  width: number;
  height: number;
  key: string;
  mediaType: string;
  bytes: number;
}

export interface ResizedImage {
  /** The upright picture's size (after its EXIF orientation). */
  width: number;
  height: number;
  /** Narrowest first; never wider than the picture itself. */
  variants: ImageVariant[];
}

// A decompression bomb (a small file of a huge picture) is refused before it is decoded.
const MAX_PIXELS = 80_000_000;

/**
 * A stored photo resized once into the widths a page serves (sharp), as JPEG, turned upright
 * and with every metadata block left out (EXIF, its GPS position among them): sharp writes
 * none unless asked. The original stays where the caller keeps (or removes) it.
 */
export async function resizeImage(files: FileStore, original: StoredFile, widths: readonly number[], field: string, maxBytes: number): Promise<ResizedImage> {
  const chunks: Buffer[] = [];
  for await (const chunk of await files.open(original.key)) chunks.push(chunk as Buffer);
  const input = Buffer.concat(chunks);
  let width: number;
  let height: number;
  try {
    const meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    width = (turned ? meta.height : meta.width) ?? 0;
    height = (turned ? meta.width : meta.height) ?? 0;
    if (!width || !height) throw new Error('no size');
  } catch {
    const error = fieldError(field, 'news.image.unreadable');
    throw new AppError(422, PROBLEM_TYPES.validation, 'Unreadable image', error.code, `${field}: ${error.message}`, [error]);
  }
  const targets = [...new Set(widths.map((w) => Math.min(w, width)))].sort((a, b) => a - b);
  const variants: ImageVariant[] = [];
  for (const target of targets) {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_PIXELS }).rotate().resize({ width: target, withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    const saved = await files.save(data, { field, accept: ['image/jpeg'], maxBytes });
    variants.push({ width: info.width, height: info.height, key: saved.key, mediaType: saved.mediaType, bytes: saved.bytes });
  }
  return { width, height, variants };
}
