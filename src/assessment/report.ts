// The printable assessment report (评估报告) of a completed assessment, after GB/T 42195-2022
// Annex C: who was assessed (masked ID number), by whom, C.1 dimension scores with their maxima,
// C.2 total, C.3 preliminary level, C.4 each adjustment and its reason, C.5 final level, the
// validity, how and by when to appeal, and the facts a reader needs to check the paper against
// the signed electronic result. Pure: it says what the report contains (a `PdfDocument`);
// `platform/pdf.ts` lays it out.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';
import { maskIdNumber } from '../core/mask.ts';
import type { PdfBlock, PdfDocument } from '../platform/pdf.ts';
import type { InstrumentData } from './model.ts';
import { REASON_NAMES, type Reason } from './workflow.ts';

export interface ReportPerson {
  name: string;
  /** Masked already (`310115********0012`); a full number is masked again here, never printed. */
  idNumberMasked: string;
  sex?: 'M' | 'F' | null;
  birthDate?: string | null;
  /** Where the person lives, e.g. `上海市 / 浦东新区 / 潍坊新村街道`. */
  residence?: string | null;
}

export interface ReportResult {
  dimensions: Record<string, number>;
  total: number;
  preliminaryLevel: number;
  level: number;
  levelName: string;
  adjustments: readonly { code: string; reason: string }[];
}

/** What the signed electronic result says about itself, for checking the paper against it. */
export interface ReportSignature {
  alg: string;
  keyId: string;
  /** First 16 hex digits of SHA-256 over the signed document's canonical JSON. */
  fingerprint: string;
  /** First 16 characters of the signature value as it appears in the JSON. */
  signaturePrefix: string;
  issuedAt: string;
  issuerRegionCode: string;
  issuerName: string | null;
}

export interface ReportInput {
  assessmentId: string;
  reason: string;
  reviewOf: string | null;
  person: ReportPerson | null;
  agencyName: string | null;
  assessors: readonly [string | null, string | null];
  appliedOn: string;
  /** The completion date (= the first day of validity). */
  completedOn: string;
  validFrom: string;
  validUntil: string;
  appealBy: string | null;
  result: ReportResult;
  instrument: Pick<InstrumentData, 'id' | 'version' | 'name' | 'standard' | 'dimensions' | 'levels' | 'maxTotal'>;
  signature: ReportSignature | null;
  /** Name of the issuing region (`上海市 / 浦东新区`), for the footer. */
  issuerRegionName: string | null;
  /** Local date the report is printed on. */
  printedOn: string;
}

const FINGERPRINT_HEX = 16;
const SIGNATURE_PREFIX = 16;
const FULL_ID = /^[0-9]{15}$|^[0-9]{17}[0-9Xx]$/;

/** `2026-11-29` → `2026年11月29日` (anything else is returned as given). */
export function chineseDate(d: string | null | undefined): string {
  const m = d ? /^(\d{4})-(\d{2})-(\d{2})/.exec(d) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : (d ?? '—');
}

/** An instant as Beijing time, `2026-11-29 18:00（北京时间）`. */
export function beijingTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}（北京时间）`;
}

/** The short fingerprint printed on the report: SHA-256 of the canonical JSON, first 16 hex digits in groups of 4. */
export function documentFingerprint(signedDocument: unknown): string {
  const hex = createHash('sha256').update(canonicalJson(signedDocument)).digest('hex').slice(0, FINGERPRINT_HEX);
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Read the signature facts from a stored `yiyang.assessment-result/1` document (null when it is not one). */
export function signatureOf(signedDocument: Record<string, unknown> | null): ReportSignature | null {
  if (!signedDocument) return null;
  const sig = signedDocument.signature as { alg?: unknown; keyId?: unknown; value?: unknown } | undefined;
  const payload = signedDocument.payload as { issuedAt?: unknown; issuer?: { regionCode?: unknown; name?: unknown } } | undefined;
  if (!sig || typeof sig.keyId !== 'string' || typeof sig.value !== 'string' || !payload) return null;
  return {
    alg: typeof sig.alg === 'string' ? sig.alg : 'Ed25519',
    keyId: sig.keyId,
    fingerprint: documentFingerprint(signedDocument),
    signaturePrefix: sig.value.slice(0, SIGNATURE_PREFIX),
    issuedAt: typeof payload.issuedAt === 'string' ? payload.issuedAt : '',
    issuerRegionCode: typeof payload.issuer?.regionCode === 'string' ? payload.issuer.regionCode : '',
    issuerName: typeof payload.issuer?.name === 'string' ? payload.issuer.name : null,
  };
}

/** Never print a full ID number: mask anything shaped like one. */
function safeId(id: string): string {
  const s = id.trim();
  return FULL_ID.test(s) ? maskIdNumber(s) : s;
}

/** The download name: `老年人能力评估报告-2026-11-29-0193abcd.pdf` (no personal data in it) and an ASCII fallback. */
export function reportFileName(input: Pick<ReportInput, 'assessmentId' | 'completedOn'>): { utf8: string; ascii: string } {
  const tail = `${input.completedOn}-${input.assessmentId.replace(/[^0-9a-f]/gi, '').slice(0, 8)}`;
  return { utf8: `老年人能力评估报告-${tail}.pdf`, ascii: `assessment-report-${tail}.pdf` };
}

const levelLabel = (instrument: ReportInput['instrument'], level: number, fallback?: string): string => {
  const l = instrument.levels.find((x) => x.level === level);
  return l ? l.name : (fallback ?? `${level} 级`);
};

/** The report's content, in order. */
export function buildAssessmentReport(input: ReportInput): PdfDocument {
  const { result, instrument } = input;
  const standard = instrument.standard ?? instrument.id;
  const blocks: PdfBlock[] = [];
  const reasonName = REASON_NAMES[input.reason as Reason] ?? input.reason;

  blocks.push({ kind: 'heading', text: '一、基本信息' });
  const p = input.person;
  blocks.push({
    kind: 'fields',
    rows: [
      ['姓名', p?.name ?? '（无法读取）'],
      ['身份证号码', p ? safeId(p.idNumberMasked) : '—'],
      ...(p?.sex ? [['性别', p.sex === 'M' ? '男' : '女'] as const] : []),
      ...(p?.birthDate ? [['出生日期', chineseDate(p.birthDate)] as const] : []),
      ...(p?.residence ? [['居住地', p.residence] as const] : []),
      ['评估原因', input.reviewOf ? `${reasonName}（对原评估结果的复核）` : reasonName],
      ['评估机构', input.agencyName ?? '—'],
      ['评估员', input.assessors[0] ?? '—'],
      ['复核签字评估员', input.assessors[1] ?? '—'],
      ['申请日期', chineseDate(input.appliedOn)],
      ['评估完成日期', chineseDate(input.completedOn)],
    ],
  });

  blocks.push({ kind: 'heading', text: '二、评估结果' });
  blocks.push({ kind: 'paragraph', text: 'C.1 一级指标得分（分数越高，能力越好）' });
  blocks.push({
    kind: 'table',
    columns: ['一级指标', '得分', '满分'],
    widths: [3, 1, 1],
    align: ['left', 'right', 'right'],
    rows: instrument.dimensions.map((d) => [d.name, String(result.dimensions[d.code] ?? '—'), String(d.max)]),
  });
  blocks.push({ kind: 'paragraph', text: `C.2 总分：${result.total} 分（满分 ${instrument.maxTotal.value} 分）` });
  const pre = instrument.levels.find((l) => l.level === result.preliminaryLevel);
  blocks.push({
    kind: 'paragraph',
    text: `C.3 初步等级（按总分）：${levelLabel(instrument, result.preliminaryLevel)}${pre ? `（总分 ${pre.minTotal === pre.maxTotal ? pre.minTotal : `${pre.minTotal}–${pre.maxTotal}`} 分）` : ''}`,
  });
  blocks.push({ kind: 'paragraph', text: 'C.4 能力等级变更依据：' });
  if (result.adjustments.length === 0) {
    blocks.push({ kind: 'list', items: ['无。最终等级即初步等级。'] });
  } else {
    blocks.push({ kind: 'list', items: result.adjustments.map((a) => a.reason) });
    if (result.level !== result.preliminaryLevel) {
      blocks.push({ kind: 'paragraph', text: `因以上依据，能力等级由“${levelLabel(instrument, result.preliminaryLevel)}”调整为“${levelLabel(instrument, result.level, result.levelName)}”。` });
    } else {
      blocks.push({ kind: 'paragraph', text: '以上依据适用，但能力等级已是最高级别，等级不再变化。' });
    }
  }
  const final = instrument.levels.find((l) => l.level === result.level);
  blocks.push({ kind: 'highlight', label: 'C.5 最终能力等级', value: `${result.level} 级 · ${result.levelName}` });
  if (final?.standardName && final.standardName !== result.levelName) {
    blocks.push({ kind: 'paragraph', text: `标准中的表述：${final.standardName}`, size: 'small' });
  }

  blocks.push({ kind: 'heading', text: '三、有效期与复核' });
  blocks.push({
    kind: 'paragraph',
    text: `本评估结果自 ${chineseDate(input.validFrom)} 起至 ${chineseDate(input.validUntil)} 止有效。有效期届满前请申请重新评估；身体状况发生明显变化时，可随时申请重新评估。`,
  });
  blocks.push({
    kind: 'paragraph',
    text: input.appealBy
      ? `如对评估结果有异议，请于 ${chineseDate(input.appealBy)}（含当日）前申请复核。本人、家属或代办人可以在线申请，也可以到所在街道（乡镇）的服务中心申请。复核由另一家评估机构重新评估，结果另行告知。`
      : '如对评估结果有异议，可以申请复核。本人、家属或代办人可以在线申请，也可以到所在街道（乡镇）的服务中心申请。复核由另一家评估机构重新评估。',
  });

  blocks.push({ kind: 'heading', text: '四、评估标准与电子签名' });
  const sig = input.signature;
  blocks.push({
    kind: 'fields',
    rows: [
      ['评估标准', `${instrument.name}（${standard}）`],
      ['量表编号与版本', `${instrument.id} 版本 ${instrument.version}`],
      ['签名算法', sig?.alg ?? '—'],
      ['签名密钥编号', sig?.keyId ?? '—'],
      ['签发地区', sig ? `${input.issuerRegionName ?? ''}${input.issuerRegionName ? '（' : ''}${sig.issuerRegionCode}${input.issuerRegionName ? '）' : ''}` : '—'],
      ['签发时间', sig?.issuedAt ? beijingTime(sig.issuedAt) : '—'],
      ['文件指纹（SHA-256）', sig?.fingerprint ?? '—'],
      ['签名值开头', sig?.signaturePrefix ?? '—'],
      ['评估编号', input.assessmentId],
    ],
  });
  blocks.push({
    kind: 'paragraph',
    size: 'small',
    text: '本报告是签名电子评估结果的打印件，以电子结果为准。核对方法：电子结果文件中 signature.keyId 应与上面的签名密钥编号一致，signature.value 的开头应与“签名值开头”一致；'
      + '把电子结果文件按键名排序、去掉空白后计算 SHA-256，前 16 位应与“文件指纹”一致。电子结果可在任何城市离线校验（yiyang assess verify 或 POST /api/v1/assessments/verify）。',
  });

  const region = input.issuerRegionName ?? sig?.issuerRegionCode ?? '';
  return {
    title: '老年人能力评估报告',
    subtitle: `依据 ${standard}《${instrument.name}》附录 C`,
    author: sig?.issuerName ?? input.agencyName ?? '颐养平台',
    subject: `${standard} 评估报告`,
    footer: `签发地区：${region || '—'} · 打印日期：${chineseDate(input.printedOn)}`,
    blocks,
  };
}

/** All text of a report model in reading order (for tests and plain-text previews). */
export function reportText(doc: PdfDocument): string {
  const out: string[] = [doc.title, doc.subtitle ?? ''];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading': case 'paragraph': out.push(b.text); break;
      case 'fields': for (const [k, v] of b.rows) out.push(`${k}：${v}`); break;
      case 'table': out.push(b.columns.join(' | '), ...b.rows.map((r) => r.join(' | '))); break;
      case 'highlight': out.push(`${b.label}：${b.value}`); break;
      case 'list': out.push(...b.items); break;
      case 'space': break;
    }
  }
  out.push(doc.footer ?? '');
  return out.join('\n');
}
