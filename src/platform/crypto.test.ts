import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFieldCrypto, randomToken, safeEqual, sha256 } from './crypto.ts';

const KEY = Buffer.alloc(32, 0x11);
const OTHER_KEY = Buffer.alloc(32, 0x22);
const c = makeFieldCrypto(KEY);

/** Flip one bit of the byte at `at` of a token (negative: from the end). */
function flip(token: string, at: number): string {
  const buf = Buffer.from(token, 'base64');
  const i = at < 0 ? buf.length + at : at;
  buf[i] = buf[i]! ^ 0x01;
  return buf.toString('base64');
}

describe('field encryption', () => {
  it.each([
    ['a Chinese name', '张三'],
    ['an address', '上海市浦东新区潍坊新村街道 长寿路1号 2楼203室'],
    ['an identity number with its legacy form', '310115195001010012|310115500101001'],
    ['characters outside the BMP and emoji', '𠀀𪚥 🧓👵'],
    ['a long text', '颐养'.repeat(5000)],
    ['JSON of contacts', JSON.stringify([{ name: '李四', relation: '儿子', phone: '13900139000' }])],
  ])('round-trips %s', (_, plain) => {
    const token = c.encrypt(plain);
    expect(token).not.toContain(plain);
    expect(c.decrypt(token)).toBe(plain);
    expect(makeFieldCrypto(Buffer.from(KEY)).decrypt(token)).toBe(plain);
  });

  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(c.decrypt(c.encrypt(s))).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('two encryptions of the same text differ (random IV) and both decrypt', () => {
    const a = c.encrypt('张三');
    const b = c.encrypt('张三');
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').subarray(0, 12).equals(Buffer.from(b, 'base64').subarray(0, 12))).toBe(false);
    expect([c.decrypt(a), c.decrypt(b)]).toEqual(['张三', '张三']);
  });

  it.each([
    ['the IV', 0],
    ['the authentication tag', 12],
    ['the first byte of the ciphertext', 28],
    ['the last byte of the ciphertext', -1],
  ])('a token with %s tampered with does not decrypt', (_, at) => {
    const token = c.encrypt('张三 13800138000');
    expect(() => c.decrypt(flip(token, at))).toThrow();
  });

  it('a token cut short or extended does not decrypt', () => {
    const buf = Buffer.from(c.encrypt('张三 13800138000'), 'base64');
    expect(() => c.decrypt(buf.subarray(0, buf.length - 1).toString('base64'))).toThrow();
    expect(() => c.decrypt(Buffer.concat([buf, Buffer.from([0])]).toString('base64'))).toThrow();
    expect(() => c.decrypt('')).toThrow();
  });

  it('a token made with another key does not decrypt', () => {
    expect(() => makeFieldCrypto(OTHER_KEY).decrypt(c.encrypt('张三'))).toThrow();
  });

  it.each([0, 16, 31, 33, 64])('a %i-byte master key is refused', (n) => {
    expect(() => makeFieldCrypto(Buffer.alloc(n, 1))).toThrow(/32 bytes/);
  });
});

describe('blind index', () => {
  const id = '310115195001010012';

  it('is deterministic for one key', () => {
    expect(c.blindIndex(id)).toBe(makeFieldCrypto(Buffer.from(KEY)).blindIndex(id));
    expect(c.blindIndex(id)).toBe(c.blindIndex(id, 'id_number'));
  });

  it('is a 256-bit base64url value that does not reveal the input', () => {
    const h = c.blindIndex(id);
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h).not.toContain('3101');
  });

  it('differs across keys, purposes and values', () => {
    const values = new Set([
      c.blindIndex(id),
      makeFieldCrypto(OTHER_KEY).blindIndex(id),
      c.blindIndex(id, 'phone'),
      c.blindIndex('310115195001010020'),
      c.blindIndex(id.toLowerCase() + ' '),
    ]);
    expect(values.size).toBe(5);
  });

  it('does not confuse purpose and value boundaries', () => {
    expect(c.blindIndex('b', 'a')).not.toBe(c.blindIndex('', 'ab'));
    expect(c.blindIndex('ab', 'id_number')).not.toBe(c.blindIndex('b', 'id_numbera'));
  });

  it('uses a key derived from the master key, not the master key itself', () => {
    expect(c.blindIndex(id)).not.toBe(createHmac('sha256', KEY).update(`id_number\u0000${id}`).digest('base64url'));
  });
});

describe('helpers', () => {
  it('safeEqual compares exactly, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('张', '张')).toBe(true);
  });

  it('sha256 is the base64url SHA-256', () => {
    expect(sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('randomToken gives distinct URL-safe tokens of the asked size', () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(t);
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
  });
});

describe('regressions', () => {
  it('a token whose authentication tag is cut short does not decrypt', () => {
    const buf = Buffer.from(c.encrypt(''), 'base64');
    expect(() => c.decrypt(buf.subarray(0, 12 + 8).toString('base64'))).toThrow();
    expect(() => c.decrypt(buf.subarray(0, 12 + 4).toString('base64'))).toThrow();
  });
});
