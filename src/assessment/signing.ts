// Signed assessment results that another city can verify offline (issue 4 §4; seed 003: mutual
// recognition of assessment results in the Yangtze River Delta). Ed25519 through node:crypto.
//
// Document format `yiyang.assessment-result/1` (README.md "Signed results"):
//   {
//     "format": "yiyang.assessment-result/1",
//     "payload": {
//       "instrument": { "id": "gbt42195-2022", "version": "1.0.0" },
//       "issuer":     { "regionCode": "310115", "name"?: "…" },
//       "issuedAt":   "2026-11-29T10:00:00+08:00",
//       "subject"?:   "<opaque reference of the person, never the ID number>",
//       "request":    { "answers": {…}, "coma"?: …, "diagnoses"?: […], "riskEvents30d"?: … },
//       "result":     { "dimensions", "total", "preliminaryLevel", "level", "levelName", "adjustments" }
//     },
//     "signature": {
//       "alg": "Ed25519", "keyId": "…",
//       "digests": { "<payload key>": "<base64url SHA-256 of its canonical JSON>", … },
//       "value": "<base64url Ed25519 signature of canonicalJson({ format, keyId, digests })>"
//     }
//   }
// Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, undefined members
// dropped (the same rules as platform/audit's canonicalJson). Signing a digest per payload member
// lets the verifier say WHICH member was changed after signing; re-scoring the request with the
// named instrument version says which result field disagrees.

import { canonicalJson } from '../core/canonical.ts';
import { ed25519Sign, ed25519Verify, generateEd25519, sha256 } from '../platform/crypto.ts';
import { isRegionCode, isWithin } from '../core/index.ts';
import { instrumentLabel, score, type Instrument, type InstrumentRef, type ScoreRequest, type ScoreResult } from './model.ts';

export const RESULT_FORMAT = 'yiyang.assessment-result/1';
const ALG = 'Ed25519';

export interface ResultPayload {
  instrument: InstrumentRef;
  issuer: { regionCode: string; name?: string };
  issuedAt: string;
  subject?: string;
  request: ScoreRequest;
  result: Omit<ScoreResult, 'instrument'>;
}

export interface SignedResult {
  format: typeof RESULT_FORMAT;
  payload: ResultPayload;
  signature: { alg: typeof ALG; keyId: string; digests: Record<string, string>; value: string };
}

/** A public key the verifier trusts, and the region it may sign for (a district key signs for its district and below). */
export interface TrustedKey {
  keyId: string;
  regionCode: string;
  /** Base64 of the DER SubjectPublicKeyInfo. */
  publicKey: string;
}

export interface SigningKey {
  keyId: string;
  /** Base64 of the DER PKCS#8 private key. */
  privateKey: string;
}

export type VerifyProblemCode =
  | 'malformed'
  | 'unknown_format'
  | 'unknown_key'
  | 'wrong_key'
  | 'bad_signature'
  | 'region_not_allowed'
  | 'tampered'
  | 'unknown_instrument_version'
  | 'result_mismatch';

export interface VerifyProblem {
  code: VerifyProblemCode;
  message: string;
  /** The member or field concerned, e.g. `payload.result`, `result.level`. */
  path?: string;
}

export interface Verdict {
  valid: boolean;
  summary: string;
  problems: VerifyProblem[];
  instrument?: InstrumentRef;
  keyId?: string;
}

/** A fresh Ed25519 key pair in the encodings above. */
export function generateSigningKey(keyId: string, regionCode: string): { signing: SigningKey; trusted: TrustedKey } {
  const { publicKey, privateKey } = generateEd25519();
  return { signing: { keyId, privateKey }, trusted: { keyId, regionCode, publicKey } };
}

export { canonicalJson };

const digest = (v: unknown): string => sha256(canonicalJson(v));
const signedBytes = (keyId: string, digests: Record<string, string>): Buffer => Buffer.from(canonicalJson({ format: RESULT_FORMAT, keyId, digests }), 'utf8');
const digestsOf = (payload: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.keys(payload).filter((k) => payload[k] !== undefined).sort().map((k) => [k, digest(payload[k])]));

/** Sign a scored result. The caller gives the issue time (no clock here). */
export function signResult(
  input: { instrument: Instrument; issuer: ResultPayload['issuer']; issuedAt: string; subject?: string; request: ScoreRequest; result: ScoreResult },
  key: SigningKey,
): SignedResult {
  const { instrument: _ref, ...result } = input.result;
  const payload: ResultPayload = {
    instrument: { id: input.instrument.ref.id, version: input.instrument.ref.version },
    issuer: input.issuer,
    issuedAt: input.issuedAt,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    request: input.request,
    result,
  };
  // Round-trip through JSON so what is signed is exactly what a reader of the file will see.
  const plain = JSON.parse(JSON.stringify(payload)) as ResultPayload;
  const digests = digestsOf(plain as unknown as Record<string, unknown>);
  const value = ed25519Sign(key.privateKey, signedBytes(key.keyId, digests));
  return { format: RESULT_FORMAT, payload: plain, signature: { alg: ALG, keyId: key.keyId, digests, value } };
}

;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELD_NAMES: Record<string, string> = {
  instrument: '评估量表及版本',
  issuer: '签发地区',
  issuedAt: '签发时间',
  subject: '评估对象',
  request: '评估答案',
  result: '评估结果',
};

/**
 * Verify a signed result offline: the key is trusted and may sign for the issuing region, the
 * signature holds, no payload member changed after signing, the instrument version is known,
 * and re-scoring the answers with that version gives the stated result. Every problem found is
 * reported, in that order.
 */
export async function verifyResultDocument(
  text: string,
  opts: { keys: readonly TrustedKey[]; loadInstrument: (ref: InstrumentRef) => Promise<Instrument> },
): Promise<Verdict> {
  const problems: VerifyProblem[] = [];
  const invalid = (summary: string): Verdict => ({ valid: false, summary, problems });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    problems.push({ code: 'malformed', message: '文件不是有效的 JSON' });
    return invalid('文件无法读取');
  }
  if (!isObject(doc) || !isObject(doc.payload) || !isObject(doc.signature)) {
    problems.push({ code: 'malformed', message: '文件缺少 payload 或 signature' });
    return invalid('文件格式不正确');
  }
  if (doc.format !== RESULT_FORMAT) {
    problems.push({ code: 'unknown_format', message: `未知的文件格式 ${JSON.stringify(doc.format)}，应为 ${RESULT_FORMAT}` });
    return invalid('文件格式不正确');
  }
  const sig = doc.signature;
  const payload = doc.payload;
  const digests = sig.digests;
  const inst = payload.instrument;
  const issuer = payload.issuer;
  if (
    sig.alg !== ALG || typeof sig.keyId !== 'string' || typeof sig.value !== 'string' || !isObject(digests) ||
    !Object.values(digests).every((d) => typeof d === 'string') ||
    !isObject(inst) || typeof inst.id !== 'string' || typeof inst.version !== 'string' ||
    !isObject(issuer) || typeof issuer.regionCode !== 'string' || !isObject(payload.request) || !isObject(payload.result)
  ) {
    problems.push({ code: 'malformed', message: '签名或内容的字段不完整（需要 alg=Ed25519、keyId、digests、value，以及 instrument、issuer、request、result）' });
    return invalid('文件格式不正确');
  }
  const keyId = sig.keyId;
  const ref: InstrumentRef = { id: inst.id, version: inst.version };
  const base = { instrument: ref, keyId };

  // 1. the key and the signature over the digests
  const named = opts.keys.find((k) => k.keyId === keyId);
  const message = signedBytes(keyId, digests as Record<string, string>);
  const verifiesWith = (k: TrustedKey): boolean => ed25519Verify(k.publicKey, message, String(sig.value));
  let signatureOk = false;
  if (!named) {
    problems.push({ code: 'unknown_key', message: `签名密钥 ${keyId} 不在受信任的密钥列表中`, path: 'signature.keyId' });
  } else if (verifiesWith(named)) {
    signatureOk = true;
    if (!isRegionCode(issuer.regionCode) || !isWithin(issuer.regionCode, named.regionCode)) {
      problems.push({ code: 'region_not_allowed', message: `密钥 ${keyId} 只能为 ${named.regionCode} 签发，文件的签发地区为 ${issuer.regionCode}`, path: 'payload.issuer.regionCode' });
    }
  } else {
    const actual = opts.keys.find((k) => k !== named && verifiesWith(k));
    problems.push(
      actual
        ? { code: 'wrong_key', message: `签名是用密钥 ${actual.keyId} 做出的，而文件声明的密钥是 ${keyId}`, path: 'signature.keyId' }
        : { code: 'bad_signature', message: `签名与密钥 ${keyId} 不符：签名值或摘要在签名后被修改，或不是用该密钥签名的`, path: 'signature' },
    );
  }

  // 2. which payload members changed after signing (meaningful only under a good signature, but
  //    reported in any case: it is the likeliest explanation of a bad one)
  const now = digestsOf(payload);
  for (const k of new Set([...Object.keys(digests), ...Object.keys(now)])) {
    const signed = (digests as Record<string, string>)[k];
    const label = FIELD_NAMES[k] ? `${k}（${FIELD_NAMES[k]}）` : `${k} `;
    if (signed === undefined) problems.push({ code: 'tampered', message: `字段 ${label}是签名后添加的`, path: `payload.${k}` });
    else if (now[k] === undefined) problems.push({ code: 'tampered', message: `字段 ${label}在签名后被删除`, path: `payload.${k}` });
    else if (signed !== now[k]) problems.push({ code: 'tampered', message: `字段 ${label}在签名后被修改`, path: `payload.${k}` });
  }

  // 3. the instrument version, and re-scoring
  let instrument: Instrument | null = null;
  try {
    instrument = await opts.loadInstrument(ref);
  } catch (e) {
    problems.push({ code: 'unknown_instrument_version', message: `无法使用评估量表 ${instrumentLabel(ref)}：${(e as Error).message}`, path: 'payload.instrument' });
  }
  if (instrument) {
    const r = score(instrument, payload.request as ScoreRequest);
    if (!r.ok) {
      problems.push({ code: 'result_mismatch', message: `评估答案无法用 ${instrumentLabel(ref)} 评分：${r.error.message}`, path: `payload.request.${r.error.path}` });
    } else {
      const { instrument: _i, ...expected } = r.value;
      const stated = payload.result;
      for (const field of Object.keys(expected) as (keyof typeof expected)[]) {
        if (canonicalJson(expected[field]) !== canonicalJson(stated[field])) {
          problems.push({
            code: 'result_mismatch',
            message: `结果字段 ${field} 与重新评分不符：文件中为 ${canonicalJson(stated[field])}，按 ${instrumentLabel(ref)} 重新评分为 ${canonicalJson(expected[field])}`,
            path: `payload.result.${field}`,
          });
        }
      }
      for (const field of Object.keys(stated)) {
        if (!(field in expected)) problems.push({ code: 'result_mismatch', message: `结果中有多余的字段 ${field}`, path: `payload.result.${field}` });
      }
    }
  }

  if (problems.length === 0 && signatureOk) {
    const result = payload.result;
    return {
      valid: true,
      summary: `${instrumentLabel(ref)} 评估结果，${issuer.regionCode} 签发（密钥 ${keyId}），能力等级 ${String(result.level)} ${String(result.levelName)}`,
      problems,
      ...base,
    };
  }
  return { valid: false, summary: problems.map((p) => p.message).join('；'), problems, ...base };
}
