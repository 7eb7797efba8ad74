import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadInstrument } from './instruments.ts';
import { compileInstrument, score, type Instrument, type InstrumentRef, type ScoreRequest } from './model.ts';
import { canonicalJson, generateSigningKey, RESULT_FORMAT, signResult, verifyResultDocument, type SignedResult, type TrustedKey } from './signing.ts';

const instrument = await loadInstrument('gbt42195-2022');
const pudong = generateSigningKey('pudong-2026', '310115');
const huangpu = generateSigningKey('huangpu-2026', '310101');
const keys: TrustedKey[] = [pudong.trusted, huangpu.trusted];
const load = (ref: InstrumentRef): Promise<Instrument> => loadInstrument(`${ref.id}@${ref.version}`);

// a3 of EXAMPLES.md: a mild case with dementia F03.9 → 中度失能.
const REQUEST: ScoreRequest = {
  answers: { '1': 2, '2': 2, '3': 1, '4': 2, '5': 2, '6': 3, '7': 3, '8': 2, '9': 3, '10': 3, '11': 2, '12': 1, '13': 4, '14': 4, '15': 4, '16': 4, '17': 4, '18': 4, '19': 1, '20': 1, '21': 2, '22': 2, '23': 2, '24': 4, '25': 3, '26': 4 },
  diagnoses: ['F03.9'],
};

function signed(over: { request?: ScoreRequest; regionCode?: string; with?: Instrument; key?: typeof pudong } = {}): SignedResult {
  const inst = over.with ?? instrument;
  const request = over.request ?? REQUEST;
  const r = score(inst, request);
  if (!r.ok) throw new Error(r.error.message);
  return signResult(
    { instrument: inst, issuer: { regionCode: over.regionCode ?? '310115005', name: '浦东新区潍坊新村街道' }, issuedAt: '2026-11-29T10:00:00+08:00', subject: 'person-0001', request, result: r.value },
    (over.key ?? pudong).signing,
  );
}
const verifyDoc = (doc: unknown, trusted: TrustedKey[] = keys) => verifyResultDocument(typeof doc === 'string' ? doc : JSON.stringify(doc), { keys: trusted, loadInstrument: load });
const codes = (v: { problems: { code: string }[] }) => v.problems.map((p) => p.code);
const edited = (mutate: (d: SignedResult) => void): SignedResult => {
  const d = structuredClone(signed());
  mutate(d);
  return d;
};

describe('signResult', () => {
  it('writes the documented format: instrument version, issuing region, result, key id, digests and signature', () => {
    const d = signed();
    expect(d.format).toBe(RESULT_FORMAT);
    expect(d.payload.instrument).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
    expect(d.payload.issuer.regionCode).toBe('310115005');
    expect(d.payload.result).toEqual({
      dimensions: { selfCare: 17, mobility: 9, mental: 28, perception: 15 }, total: 69, preliminaryLevel: 1, level: 2, levelName: '中度失能',
      adjustments: [{ code: 'diagnosis', reason: '确诊 F03.9，提高一个级别' }],
    });
    expect(d.signature.alg).toBe('Ed25519');
    expect(d.signature.keyId).toBe('pudong-2026');
    expect(Object.keys(d.signature.digests)).toEqual(['instrument', 'issuedAt', 'issuer', 'request', 'result', 'subject']);
    expect(d.signature.value).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });

  it('leaves subject out when none is given', () => {
    const r = score(instrument, REQUEST);
    const d = signResult({ instrument, issuer: { regionCode: '310115' }, issuedAt: '2026-11-29T10:00:00+08:00', request: REQUEST, result: r.ok ? r.value : (null as never) }, pudong.signing);
    expect('subject' in d.payload).toBe(false);
  });
});

describe('verifyResultDocument', () => {
  it('accepts an untouched document, and says what it is', async () => {
    const v = await verifyDoc(signed());
    expect(v).toMatchObject({ valid: true, problems: [], keyId: 'pudong-2026', instrument: { id: 'gbt42195-2022', version: '1.0.0' } });
    expect(v.summary).toBe('gbt42195-2022@1.0.0 评估结果，310115005 签发（密钥 pudong-2026），能力等级 2 中度失能');
  });

  it('does not depend on the key order or whitespace of the file', async () => {
    const reorder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
    expect((await verifyDoc(JSON.stringify(reorder(signed()), null, 2))).valid).toBe(true);
  });

  it('a raised level is caught: the result changed after signing, and re-scoring disagrees', async () => {
    const v = await verifyDoc(edited((d) => Object.assign(d.payload.result, { level: 3, levelName: '重度失能' })));
    expect(v.valid).toBe(false);
    expect(v.problems).toEqual([
      { code: 'tampered', message: '字段 result（评估结果）在签名后被修改', path: 'payload.result' },
      { code: 'result_mismatch', message: '结果字段 level 与重新评分不符：文件中为 3，按 gbt42195-2022@1.0.0 重新评分为 2', path: 'payload.result.level' },
      { code: 'result_mismatch', message: '结果字段 levelName 与重新评分不符：文件中为 "重度失能"，按 gbt42195-2022@1.0.0 重新评分为 "中度失能"', path: 'payload.result.levelName' },
    ]);
  });

  it('changed answers are caught, even when the stated result is left alone', async () => {
    const v = await verifyDoc(edited((d) => ((d.payload.request.answers as Record<string, number>)['1'] = 0)));
    // Item 1 from 2 to 0: self-care 17 → 15, total 69 → 67, still 轻度 + dementia = 中度.
    expect(v.problems.map((p) => [p.code, p.path])).toEqual([
      ['tampered', 'payload.request'],
      ['result_mismatch', 'payload.result.dimensions'],
      ['result_mismatch', 'payload.result.total'],
    ]);
  });

  it.each<[string, (d: SignedResult) => void, string]>([
    ['the issuing region', (d) => (d.payload.issuer.regionCode = '310101001'), '字段 issuer（签发地区）在签名后被修改'],
    ['the issue time', (d) => (d.payload.issuedAt = '2027-01-01T00:00:00+08:00'), '字段 issuedAt（签发时间）在签名后被修改'],
    ['the instrument version', (d) => (d.payload.instrument.version = '1.0.1'), '字段 instrument（评估量表及版本）在签名后被修改'],
    ['a removed member', (d) => delete d.payload.subject, '字段 subject（评估对象）在签名后被删除'],
    ['an added member', (d) => ((d.payload as unknown as Record<string, unknown>).note = 'x'), '字段 note 是签名后添加的'],
  ])('names a tampered member: %s', async (_name, mutate, message) => {
    const v = await verifyDoc(edited(mutate));
    expect(v.valid).toBe(false);
    expect(v.problems.map((p) => p.message)).toContain(message);
  });

  it('a changed digest breaks the signature', async () => {
    const v = await verifyDoc(edited((d) => (d.signature.digests.result = d.signature.digests.request!)));
    expect(codes(v)).toEqual(['bad_signature', 'tampered']);
  });

  it('a changed signature value is bad_signature', async () => {
    const v = await verifyDoc(edited((d) => (d.signature.value = signed({ regionCode: '310115' }).signature.value)));
    expect(codes(v)).toEqual(['bad_signature']);
    expect(v.problems[0]!.message).toBe('签名与密钥 pudong-2026 不符：签名值或摘要在签名后被修改，或不是用该密钥签名的');
  });

  it('a document signed by another trusted key than the one it names is wrong_key', async () => {
    const d = signed({ key: huangpu });
    d.signature.keyId = 'pudong-2026';
    // Re-sign the same digests with Huangpu's key but under Pudong's key id.
    const forged = signResult(
      { instrument, issuer: d.payload.issuer, issuedAt: d.payload.issuedAt, subject: d.payload.subject, request: d.payload.request, result: { ...d.payload.result, instrument: instrument.ref } },
      { keyId: 'pudong-2026', privateKey: huangpu.signing.privateKey },
    );
    const v = await verifyDoc(forged);
    expect(codes(v)).toEqual(['wrong_key']);
    expect(v.problems[0]!.message).toBe('签名是用密钥 huangpu-2026 做出的，而文件声明的密钥是 pudong-2026');
  });

  it('a key that is not trusted is unknown_key; so is every key when the list is empty', async () => {
    const stranger = generateSigningKey('stranger', '310115');
    expect(codes(await verifyDoc(signed({ key: stranger })))).toEqual(['unknown_key']);
    expect(codes(await verifyDoc(signed(), []))).toEqual(['unknown_key']);
  });

  it('a trusted public key that cannot be read verifies nothing', async () => {
    const broken = [{ ...pudong.trusted, publicKey: 'bm90IGEga2V5' }];
    expect(codes(await verifyDoc(signed(), broken))).toEqual(['bad_signature']);
  });

  it('a key may sign only for its region and below', async () => {
    expect((await verifyDoc(signed({ key: huangpu, regionCode: '310101002' }))).valid).toBe(true);
    const v = await verifyDoc(signed({ key: huangpu, regionCode: '310115005' }));
    expect(v.problems).toEqual([{ code: 'region_not_allowed', message: '密钥 huangpu-2026 只能为 310101 签发，文件的签发地区为 310115005', path: 'payload.issuer.regionCode' }]);
    expect(codes(await verifyDoc(signed({ regionCode: 'pudong' })))).toEqual(['region_not_allowed']);
  });

  it('an instrument version the verifier does not have is unknown_instrument_version', async () => {
    const future = compileInstrument({ ...structuredClone(instrument.data), version: '9.9.9' });
    const v = await verifyDoc(signed({ with: future }));
    expect(codes(v)).toEqual(['unknown_instrument_version']);
    expect(v.problems[0]!.message).toBe('无法使用评估量表 gbt42195-2022@9.9.9：评估量表 gbt42195-2022 没有版本 9.9.9');
  });

  it('a correctly signed result that the answers do not give is result_mismatch (an issuer\'s error)', async () => {
    const r = score(instrument, REQUEST);
    if (!r.ok) throw new Error();
    const wrong = signResult(
      { instrument, issuer: { regionCode: '310115' }, issuedAt: '2026-11-29T10:00:00+08:00', request: REQUEST, result: { ...r.value, adjustments: [] } },
      pudong.signing,
    );
    expect(codes(await verifyDoc(wrong))).toEqual(['result_mismatch']);
    const extra = signResult(
      { instrument, issuer: { regionCode: '310115' }, issuedAt: '2026-11-29T10:00:00+08:00', request: REQUEST, result: { ...r.value, bonus: 1 } as never },
      pudong.signing,
    );
    expect((await verifyDoc(extra)).problems).toEqual([{ code: 'result_mismatch', message: '结果中有多余的字段 bonus', path: 'payload.result.bonus' }]);
    const unscorable = signResult(
      { instrument, issuer: { regionCode: '310115' }, issuedAt: '2026-11-29T10:00:00+08:00', request: { answers: { '1': 4 } }, result: r.value },
      pudong.signing,
    );
    expect((await verifyDoc(unscorable)).problems).toEqual([
      { code: 'result_mismatch', message: '评估答案无法用 gbt42195-2022@1.0.0 评分：缺少项目 2 的分值', path: 'payload.request.answers.2' },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['not JSON', '{"format":', 'malformed'],
    ['not an object', '[]', 'malformed'],
    ['no signature', { format: RESULT_FORMAT, payload: {} }, 'malformed'],
    ['another format', { ...signed(), format: 'jws' }, 'unknown_format'],
    ['another algorithm', edited((d) => ((d.signature as { alg: string }).alg = 'RS256')), 'malformed'],
    ['a digest that is not a string', edited((d) => ((d.signature.digests as Record<string, unknown>).result = 1)), 'malformed'],
    ['no result', edited((d) => delete (d.payload as Partial<SignedResult['payload']>).result), 'malformed'],
  ])('a document with %s is refused as %s', async (_name, doc, code) => {
    const v = await verifyDoc(doc);
    expect(v.valid).toBe(false);
    expect(codes(v)).toEqual([code]);
  });

  it('property: any single change to a signed payload value is detected, and names the member changed', async () => {
    const original = signed();
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else paths.push(path);
    };
    walk(original.payload, []);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.integer(), fc.string(), fc.boolean()), async (path, value) => {
        const d = structuredClone(original) as unknown as { payload: Record<string, unknown> };
        let o = d.payload as Record<string, unknown>;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
        const last = path[path.length - 1]!;
        fc.pre(canonicalJson(o[last]) !== canonicalJson(value));
        o[last] = value;
        const v = await verifyDoc(d);
        expect(v.valid).toBe(false);
        // A change that breaks the document's shape is refused as malformed; any other names the member.
        if (codes(v)[0] !== 'malformed') expect(v.problems.some((p) => p.code === 'tampered' && p.path === `payload.${path[0]}`)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
