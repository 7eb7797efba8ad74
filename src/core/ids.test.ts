import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UUID } from 'uuidv7';
import { AppError } from './errors.ts';
import { DEFAULT_ID_EPOCH_MS, isUuid, isUuidV7, makeIdGenerator, mulberry32, newId } from './ids.ts';

// Milliseconds since the epoch encoded in the first 48 bits of a UUIDv7.
const timestampOf = (id: string): number => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('newId', () => {
  it('returns distinct, lowercase UUIDv7 strings in increasing order', () => {
    const ids = Array.from({ length: 1000 }, newId);
    for (const id of ids) {
      expect(isUuidV7(id)).toBe(true);
      expect(id).toBe(id.toLowerCase());
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('isUuid / isUuidV7', () => {
  it.each([
    ['0189dcd5-5311-7d40-8db0-9496a2eef37b', true, true],
    ['0189DCD5-5311-7D40-8DB0-9496A2EEF37B', true, true],
    ['123e4567-e89b-12d3-a456-426614174000', true, false], // v1
    ['f47ac10b-58cc-4372-a567-0e02b2c3d479', true, false], // v4
    ['00000000-0000-0000-0000-000000000000', false, false], // nil: no version
    ['0189dcd5-5311-7d40-cdb0-9496a2eef37b', false, false], // wrong variant
    ['0189dcd5-5311-9d40-8db0-9496a2eef37b', false, false], // version 9
    ['0189dcd553117d408db09496a2eef37b', false, false], // no hyphens
    ['{0189dcd5-5311-7d40-8db0-9496a2eef37b}', false, false],
    [' 0189dcd5-5311-7d40-8db0-9496a2eef37b', false, false],
    ['0189dcd5-5311-7d40-8db0-9496a2eef37g', false, false],
    ['', false, false],
  ])('%j → uuid %s, v7 %s', (s, uuid, v7) => {
    expect(isUuid(s)).toBe(uuid);
    expect(isUuidV7(s)).toBe(v7);
  });
});

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(xs);
    expect(Array.from({ length: 1000 }, c)).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('matches the reference mulberry32 output for seed 1', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('treats seeds modulo 2^32', () => {
    expect(mulberry32(2 ** 32 + 5)()).toBe(mulberry32(5)());
    expect(mulberry32(-1)()).toBe(mulberry32(2 ** 32 - 1)());
  });
});

describe('makeIdGenerator', () => {
  it('is deterministic: the same seed gives the same sequence', () => {
    const a = makeIdGenerator(7);
    const b = makeIdGenerator(7);
    const c = makeIdGenerator(8);
    const xs = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(xs);
    expect(Array.from({ length: 50 }, c)).not.toEqual(xs);
  });

  it('starts at the default epoch and advances one millisecond per id', () => {
    const next = makeIdGenerator(1);
    expect(timestampOf(next())).toBe(DEFAULT_ID_EPOCH_MS);
    expect(timestampOf(next())).toBe(DEFAULT_ID_EPOCH_MS + 1);
    expect(new Date(DEFAULT_ID_EPOCH_MS).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('honours a custom start time', () => {
    const start = Date.UTC(2030, 5, 1);
    expect(timestampOf(makeIdGenerator(1, start)())).toBe(start);
    expect(timestampOf(makeIdGenerator(1, 0)())).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 48])('rejects start %s', (start) => {
    expect(() => makeIdGenerator(1, start)).toThrow(AppError);
  });

  it('yields valid, unique, strictly increasing UUIDv7s (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 300 }), (seed, count) => {
        const next = makeIdGenerator(seed);
        const ids = Array.from({ length: count }, next);
        for (const id of ids) {
          expect(isUuidV7(id)).toBe(true);
          expect(UUID.parse(id).getVariant()).toBe('VAR_10');
        }
        for (let i = 1; i < ids.length; i += 1) expect((ids[i - 1] as string) < (ids[i] as string)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
