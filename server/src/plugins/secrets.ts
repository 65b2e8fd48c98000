import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Encryption of national ID numbers at rest. One master key (SECRET_KEY, or a key file
 * created at first start with mode 0600) is stretched by HKDF into an encryption key
 * and a separate lookup key, so the hash used for searching reveals nothing about the
 * cipher key.
 */
export interface Secrets {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
  /** Keyed hash for exact-match lookups (deduplication, search by ID number). */
  lookupHash(plain: string): Buffer;
  /** Identifies the key without revealing it; stored in the database to catch a wrong key. */
  fingerprint: string;
}

const FORMAT_VERSION = 1;

// Initialization vectors come from the CSPRNG in blocks of 4,096: one call per 12 bytes
// cost 7 µs here, a third of the time an import spends on a row. Every IV is used once.
const IV_BYTES = 12;
const ivPool = Buffer.alloc(IV_BYTES * 4096);
let ivOffset = ivPool.length;
function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

// The master key behind each Secrets, kept out of the object itself (nothing that logs or
// serializes a Secrets can reveal it); a worker thread gets it to derive the same keys.
const masters = new WeakMap<Secrets, Buffer>();

/** The master key of `secrets`, for a worker thread of this process (see import-jobs.ts). */
export function masterKeyOf(secrets: Secrets): Buffer {
  const master = masters.get(secrets);
  if (!master) throw new Error('these secrets were not made by secretsFromMasterKey');
  return master;
}

export function secretsFromMasterKey(master: Buffer): Secrets {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, 'workers-home', info, 32));
  const encryptionKey = derive('national-id-encryption');
  const lookupKey = derive('national-id-lookup');
  const secrets: Secrets = {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, body, cipher.getAuthTag()]);
    },
    decrypt(data) {
      if (data[0] !== FORMAT_VERSION) throw new Error(`Unknown cipher format ${data[0]}`);
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, data.subarray(1, 13));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(13, data.length - 16)), decipher.final()]).toString('utf8');
    },
    lookupHash(plain) {
      return createHmac('sha256', lookupKey).update(plain).digest();
    },
    fingerprint: createHmac('sha256', derive('fingerprint')).update('workers-home').digest('hex').slice(0, 16),
  };
  masters.set(secrets, Buffer.from(master));
  return secrets;
}

export const keyFile = (dataDir: string) => path.join(dataDir, 'secret.key');
/** Where `rotate-key` puts the new key before the data changes (see rotateKey in startup.ts). */
export const nextKeyFile = (dataDir: string) => path.join(dataDir, 'secret.key.next');

export async function readKeyFile(file: string): Promise<Secrets | null> {
  if (!existsSync(file)) return null;
  return secretsFromMasterKey(Buffer.from((await readFile(file, 'utf8')).trim(), 'utf8'));
}

/** SECRET_KEY wins; otherwise `<dataDir>/secret.key`, created with mode 0600 on first start. */
export async function loadSecrets(secretKey: string | undefined, dataDir: string): Promise<Secrets> {
  if (secretKey) {
    if (secretKey.length < 32) throw new Error('SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)');
    return secretsFromMasterKey(Buffer.from(secretKey, 'utf8'));
  }
  const file = path.join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true, mode: 0o711 });
    await writeFile(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return secretsFromMasterKey(Buffer.from((await readFile(file, 'utf8')).trim(), 'utf8'));
}
