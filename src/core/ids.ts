// Row ids are UUIDv7 generated in the application (STACK.md: PostgreSQL 15 has no uuidv7()).
// Tests and demo data use `makeIdGenerator`, which is deterministic (CONVENTIONS §27).

import { UUID, uuidv7 } from 'uuidv7';
import { AppError } from './errors.ts';

/** A fresh UUIDv7 (time-ordered, random tail), lowercase canonical form. */
export const newId = (): string => uuidv7();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** True for a canonical 8-4-4-4-12 UUID of versions 1–8 with the RFC 9562 variant (any case). */
export const isUuid = (s: string): boolean => UUID_RE.test(s);

/** True for a canonical UUID of version 7. */
export const isUuidV7 = (s: string): boolean => isUuid(s) && s[14] === '7';

/** The seeded PRNG mulberry32: a function returning floats in [0, 1), identical for equal seeds. */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const MAX_UNIX_TS_MS = 2 ** 48 - 1;

/** 2025-01-01T00:00:00Z, the default first timestamp of generated ids. */
export const DEFAULT_ID_EPOCH_MS = Date.UTC(2025, 0, 1);

/**
 * A deterministic UUIDv7 generator for tests and demo data: the n-th id carries timestamp
 * `startMs + n` ms (so ids are strictly increasing) and random bits from `mulberry32(seed)`.
 */
export const makeIdGenerator = (seed: number, startMs: number = DEFAULT_ID_EPOCH_MS): (() => string) => {
  if (!Number.isSafeInteger(startMs) || startMs < 0 || startMs > MAX_UNIX_TS_MS) {
    throw new AppError('VALIDATION_FAILED', `起始时间戳 ${startMs} 无效`);
  }
  const random = mulberry32(seed);
  const uint32 = (): number => Math.floor(random() * 0x1_0000_0000);
  let ms = startMs;
  return () => {
    const id = UUID.fromFieldsV7(ms, uint32() >>> 20, uint32() >>> 2, uint32()).toString();
    ms += 1;
    return id;
  };
};
