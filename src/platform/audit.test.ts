import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH } from './audit.ts';

/** The same value with the keys of every object inserted in reverse order. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
}

/** JSON trees whose object keys are never array-index-like, so JSON.parse keeps their textual order. */
const { tree: jsonTree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(fc.string().filter((k) => !/^(0|[1-9]\d*)$/.test(k)), tie('tree'), { maxKeys: 5 }),
}));

/** True when every object in the parsed canonical text lists its keys in sorted order. */
function sortedEverywhere(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(sortedEverywhere);
  if (v === null || typeof v !== 'object') return true;
  const keys = Object.keys(v);
  return keys.every((k, i) => i === 0 || keys[i - 1]! < k) && Object.values(v).every(sortedEverywhere);
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [{ d: 1, c: 2 }, 3], x: null }, a: '张三' }, '{"a":"张三","z":{"x":null,"y":[{"c":2,"d":1},3]}}'],
    [[3, 1, 2], '[3,1,2]'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[undefined, null], '[null,null]'],
    [null, 'null'],
    [undefined, 'null'],
    ['引号"和\\反斜杠\n', '"引号\\"和\\\\反斜杠\\n"'],
    [{ '10': 1, '9': 2, b: 3, B: 4 }, '{"10":1,"9":2,"B":4,"b":3}'],
    [{}, '{}'],
    [[], '[]'],
  ])('%j → %s', (v, out) => {
    expect(canonicalJson(v)).toBe(out);
  });

  it('sorts object keys at every depth', () => {
    fc.assert(
      fc.property(jsonTree, (v) => {
        const text = canonicalJson(v);
        expect(sortedEverywhere(JSON.parse(text))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is the same whatever order the keys were inserted in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(reversedKeys(v))).toBe(canonicalJson(v));
      }),
      { numRuns: 500 },
    );
  });

  it('is stable across a JSON round trip (what the jsonb column gives back) and parses to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('entryHash', () => {
  const entry = {
    seq: 7,
    id: '0190a6f0-0000-7000-8000-000000000007',
    at: '2026-11-29T02:03:04.005Z',
    actorId: '0190a6f0-0000-7000-8000-0000000000aa',
    actorRole: 'street_officer',
    actorScope: '310101002',
    action: 'people.update',
    entityType: 'person',
    entityId: '0190a6f0-0000-7000-8000-0000000000bb',
    districtCode: '310101',
    purpose: '核对信息',
    details: { fields: ['phone', 'address'], count: 2 },
  };
  const prev = 'a'.repeat(64);

  it('is the hex SHA-256 of the previous hash, a newline and the canonical entry', () => {
    const h = entryHash(prev, entry);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const { seq, id, at, actorId, actorRole, actorScope, action, entityType, entityId, districtCode, purpose, details } = entry;
    const body = canonicalJson({ seq, id, at, actorId, actorRole, actorScope, action, entityType, entityId, districtCode, purpose, details });
    expect(h).toBe(createHash('sha256').update(`${prev}\n${body}`).digest('hex'));
  });

  // Chains already written must keep verifying: the hash of this entry after the genesis hash.
  const GOLDEN = 'f91b9dcd7f68e30410910c57b50e524654903863912525e63e43b81641d7fa67';

  it('does not change for existing chains (fixed vector)', () => {
    expect(entryHash(GENESIS_HASH, entry)).toBe(GOLDEN);
  });

  it('is deterministic and ignores the key order of details', () => {
    expect(entryHash(prev, { ...entry })).toBe(entryHash(prev, entry));
    expect(entryHash(prev, { ...entry, details: { count: 2, fields: ['phone', 'address'] } })).toBe(entryHash(prev, entry));
  });

  it('changes when the previous hash changes', () => {
    expect(entryHash(GENESIS_HASH, entry)).not.toBe(entryHash(prev, entry));
    expect(entryHash(prev.slice(0, 63) + 'b', entry)).not.toBe(entryHash(prev, entry));
  });

  const changed: [string, Partial<typeof entry> | Record<string, unknown>][] = [
    ['seq', { seq: 8 }],
    ['id', { id: '0190a6f0-0000-7000-8000-000000000008' }],
    ['at (one millisecond)', { at: '2026-11-29T02:03:04.006Z' }],
    ['actorId', { actorId: null }],
    ['actorRole', { actorRole: 'auditor' }],
    ['actorScope', { actorScope: '310101' }],
    ['action', { action: 'people.read' }],
    ['entityType', { entityType: null }],
    ['entityId', { entityId: '0190a6f0-0000-7000-8000-0000000000bc' }],
    ['districtCode', { districtCode: '310115' }],
    ['purpose', { purpose: null }],
    ['details (a value)', { details: { fields: ['phone', 'address'], count: 3 } }],
    ['details (array order)', { details: { fields: ['address', 'phone'], count: 2 } }],
    ['details (an added key)', { details: { fields: ['phone', 'address'], count: 2, extra: null } }],
    ['details (emptied)', { details: {} }],
  ];
  it.each(changed)('changes when %s changes', (_, over) => {
    expect(entryHash(prev, { ...entry, ...over })).not.toBe(entryHash(prev, entry));
  });

  it('changes when any string field changes, for any new value', () => {
    const fields = ['id', 'at', 'actorId', 'actorRole', 'actorScope', 'action', 'entityType', 'entityId', 'districtCode', 'purpose'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string(), (field, value) => {
        fc.pre(value !== entry[field]);
        expect(entryHash(prev, { ...entry, [field]: value })).not.toBe(entryHash(prev, entry));
      }),
      { numRuns: 300 },
    );
  });

  it('does not confuse a null field with the string "null"', () => {
    expect(entryHash(prev, { ...entry, purpose: null })).not.toBe(entryHash(prev, { ...entry, purpose: 'null' }));
  });
});


describe('regressions', () => {
  it('a Date in details hashes the same as after its jsonb round trip', () => {
    const details = { at: new Date('2026-11-29T00:00:00Z') };
    expect(canonicalJson(details)).toBe(canonicalJson(JSON.parse(JSON.stringify(details))));
  });
});
