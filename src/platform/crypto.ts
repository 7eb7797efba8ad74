// Field-level encryption of personal data (AES-256-GCM) and keyed blind indexes
// (HMAC-SHA256) for exact look-up, from one master key. The key comes from YIYANG_SECRET_KEY
// (base64, 32 bytes) or, on a demo machine, from `<dataDir>/secret.key`, created on first start
// with mode 0600. Losing the key loses the encrypted fields: back it up with the database.
import {
  createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync,
  hkdfSync, randomBytes, randomFillSync, sign, timingSafeEqual, verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const IV_POOL = 4096;

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** Keyed hash for exact-match look-up; `purpose` separates index domains. */
  blindIndex(value: string, purpose?: string): string;
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, KEY_BYTES));
}

/** Build the crypto helpers from a 32-byte master key. */
export function makeFieldCrypto(master: Buffer): FieldCrypto {
  if (master.length !== KEY_BYTES) throw new Error('YIYANG_SECRET_KEY must be 32 bytes, base64-encoded');
  const encKey = createSecretKey(derive(master, 'yiyang/field-encryption/v1'));
  const macKey = derive(master, 'yiyang/blind-index/v1');
  // Fresh random IVs, drawn from the CSPRNG a few thousand at a time (bulk imports encrypt
  // tens of thousands of fields); each IV is used once.
  const pool = Buffer.alloc(IV_BYTES * IV_POOL);
  let next = pool.length;
  const freshIv = (): Buffer => {
    if (next >= pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    const iv = Buffer.from(pool.subarray(next, next + IV_BYTES));
    next += IV_BYTES;
    return iv;
  };
  return {
    encrypt(plain) {
      const iv = freshIv();
      const c = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(token) {
      const buf = Buffer.from(token, 'base64');
      if (buf.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
      const d = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      d.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(buf.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
    },
    blindIndex(value, purpose = 'id_number') {
      return createHmac('sha256', macKey).update(`${purpose}\u0000${value}`).digest('base64url');
    },
  };
}

/** Load the master key from the environment value or the data dir, creating it there if absent. */
export function loadMasterKey(envValue: string | null, dataDir: string): Buffer {
  if (envValue) return Buffer.from(envValue, 'base64');
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

/** Random URL-safe token (sessions, CSRF). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** sha256 in base64url (session tokens are stored hashed). */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An Ed25519 key pair as base64 DER (private: PKCS#8, public: SPKI). */
export function generateEd25519(): { privateKey: string; publicKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** Ed25519 signature (base64url) of `message` with a base64 PKCS#8 DER private key. */
export function ed25519Sign(privateKeyDer: string, message: Buffer): string {
  const key = createPrivateKey({ key: Buffer.from(privateKeyDer, 'base64'), format: 'der', type: 'pkcs8' });
  return sign(null, message, key).toString('base64url');
}

/** Does `signature` (base64url) verify `message` under a base64 SPKI DER public key? False for a malformed key. */
export function ed25519Verify(publicKeyDer: string, message: Buffer, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyDer, 'base64'), format: 'der', type: 'spki' });
    return verify(null, message, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** The deployment's Ed25519 result-signing key: private (PKCS#8 DER base64) and public (SPKI DER base64). */
export interface SigningKeyPair {
  privateKey: string;
  publicKey: string;
}

/**
 * Load the result-signing key from the environment value (YIYANG_SIGNING_KEY, base64 PKCS#8 DER)
 * or `<dataDir>/signing.key`, creating it there (mode 0600) on first use. Like the master key:
 * back it up; losing it means new results get a new key id, old ones still verify with the
 * published public key.
 */
export function loadSigningKey(envValue: string | null, dataDir: string): SigningKeyPair {
  const fromDer = (privateKey: string): SigningKeyPair => ({
    privateKey,
    publicKey: createPublicKey(createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' }).toString('base64'),
  });
  if (envValue) return fromDer(envValue.trim());
  const file = join(dataDir, 'signing.key');
  if (existsSync(file)) return fromDer(readFileSync(file, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const pair = generateEd25519();
  writeFileSync(file, pair.privateKey + '\n', { mode: 0o600 });
  return pair;
}
