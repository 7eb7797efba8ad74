import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../platform/pdf.ts';
import { skipWithoutCjkFont } from '../../test/helpers/fonts.ts';
import { loadInstrument } from './instruments.ts';
import type { Instrument } from './model.ts';
import { beijingTime, buildAssessmentReport, chineseDate, documentFingerprint, reportFileName, reportText, signatureOf, type ReportInput } from './report.ts';

const FULL_ID = '310115195003070012';
const signed = {
  format: 'yiyang.assessment-result/1',
  payload: { instrument: { id: 'gbt42195-2022', version: '1.0.0' }, issuer: { regionCode: '310115', name: '浦东新区第一评估机构' }, issuedAt: '2026-11-29T02:30:00.000Z', subject: 'x', request: {}, result: {} },
  signature: { alg: 'Ed25519', keyId: '310000-0123456789ab', digests: {}, value: 'AbCdEfGhIjKlMnOpQrStUvWxYz' },
};

let gbt: Instrument;
const input = (over: Partial<ReportInput> = {}): ReportInput => ({
  assessmentId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  reason: 'first',
  reviewOf: null,
  person: { name: '王小明', idNumberMasked: '310115********0012', sex: 'M', birthDate: '1950-03-07', residence: '上海市 / 浦东新区 / 潍坊新村街道' },
  agencyName: '浦东新区第一评估机构',
  assessors: ['评估员甲', '评估员乙'],
  appliedOn: '2026-11-10',
  completedOn: '2026-11-29',
  validFrom: '2026-11-29',
  validUntil: '2028-11-28',
  appealBy: '2026-12-29',
  result: {
    dimensions: { selfCare: 26, mobility: 12, mental: 18, perception: 13 }, total: 69, preliminaryLevel: 1, level: 2, levelName: '中度失能',
    adjustments: [{ code: 'diagnosis', reason: '确诊 F03.9，提高一个级别' }, { code: 'riskEvents', reason: '近30天内发生 2 次照护风险事件，提高一个级别' }],
  },
  instrument: gbt.data,
  signature: signatureOf(signed),
  issuerRegionName: '上海市浦东新区',
  printedOn: '2026-11-30',
  ...over,
});

beforeAll(async () => {
  gbt = await loadInstrument('gbt42195-2022@1.0.0');
});

describe('assessment report content (GB/T 42195-2022 Annex C)', () => {
  it('has every part of Annex C in order, in Chinese', () => {
    const doc = buildAssessmentReport(input());
    expect(doc.title).toBe('老年人能力评估报告');
    const text = reportText(doc);
    const expected = [
      '一、基本信息', '姓名：王小明', '身份证号码：310115********0012', '评估机构：浦东新区第一评估机构', '评估员：评估员甲', '复核签字评估员：评估员乙',
      '申请日期：2026年11月10日', '评估完成日期：2026年11月29日',
      '二、评估结果', 'C.1 一级指标得分', '自理能力 | 26 | 32', '基础运动能力 | 12 | 15', '精神状态 | 18 | 28', '感知觉与社会参与 | 13 | 15',
      'C.2 总分：69 分（满分 90 分）', 'C.3 初步等级（按总分）：轻度失能（总分 66–89 分）', 'C.4 能力等级变更依据',
      '确诊 F03.9，提高一个级别', '近30天内发生 2 次照护风险事件，提高一个级别', '因以上依据，能力等级由“轻度失能”调整为“中度失能”。',
      'C.5 最终能力等级：2 级 · 中度失能', '标准中的表述：能力中度受损（中度失能）',
      '三、有效期与复核', '自 2026年11月29日 起至 2028年11月28日 止有效', '请于 2026年12月29日（含当日）前申请复核', '另一家评估机构',
      '四、评估标准与电子签名', '量表编号与版本：gbt42195-2022 版本 1.0.0', '签名算法：Ed25519', '签名密钥编号：310000-0123456789ab',
      '签发地区：上海市浦东新区（310115）', '签发时间：2026-11-29 10:30（北京时间）', `文件指纹（SHA-256）：${documentFingerprint(signed)}`,
      '签名值开头：AbCdEfGhIjKlMnOp', '签发地区：上海市浦东新区 · 打印日期：2026年11月30日',
    ];
    let at = -1;
    for (const s of expected) {
      const i = text.indexOf(s, at + 1);
      expect(i, `“${s}” after position ${at}`).toBeGreaterThan(at);
      at = i;
    }
  });

  it('never prints a full ID number', () => {
    const text = reportText(buildAssessmentReport(input({ person: { name: '王小明', idNumberMasked: FULL_ID } })));
    expect(text).not.toContain(FULL_ID);
    expect(text).toContain('身份证号码：310115********0012');
  });

  it('without adjustments: says so; an adjustment at the top level: says the level stays', () => {
    const none = reportText(buildAssessmentReport(input({ result: { ...input().result, adjustments: [], level: 1, levelName: '轻度失能' } })));
    expect(none).toContain('无。最终等级即初步等级。');
    expect(none).toContain('C.5 最终能力等级：1 级 · 轻度失能');
    const capped = reportText(buildAssessmentReport(input({ result: { ...input().result, preliminaryLevel: 4, level: 4, levelName: '完全失能', total: 20 } })));
    expect(capped).toContain('等级不再变化');
  });

  it('a review names itself; a missing person record is said, not invented', () => {
    const text = reportText(buildAssessmentReport(input({ reason: 'review', reviewOf: 'x', person: null })));
    expect(text).toContain('评估原因：复评（复核）（对原评估结果的复核）');
    expect(text).toContain('姓名：（无法读取）');
  });

  it('the fingerprint is SHA-256 of the canonical JSON: key order and spacing do not matter, content does', () => {
    const fp = documentFingerprint(signed);
    expect(fp).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
    expect(documentFingerprint(JSON.parse(JSON.stringify({ signature: signed.signature, payload: signed.payload, format: signed.format })))).toBe(fp);
    expect(documentFingerprint({ ...signed, payload: { ...signed.payload, issuedAt: '2026-11-29T02:30:01.000Z' } })).not.toBe(fp);
    expect(signatureOf(null)).toBeNull();
    expect(signatureOf({ format: 'x' })).toBeNull();
  });

  it('dates and the download name', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(beijingTime('2026-11-29T16:30:00Z')).toBe('2026-11-30 00:30（北京时间）');
    expect(reportFileName(input())).toEqual({ utf8: '老年人能力评估报告-2026-11-29-0193a1b2.pdf', ascii: 'assessment-report-2026-11-29-0193a1b2.pdf' });
  });

  // No CJK font on this machine → skipped with the install hint (test/helpers/fonts.ts).
  it.skipIf(skipWithoutCjkFont)('renders to a PDF whose text has the level and the reasons', async () => {
    const pdf = await renderPdf(buildAssessmentReport(input()));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    let text: string;
    try {
      text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '');
    } catch {
      return; // poppler-utils not installed here (.ci/run installs it)
    }
    for (const s of ['中度失能', '确诊F03.9，提高一个级别', '近30天内发生2次照护风险事件', '310115********0012', '2028年11月28日']) expect(text).toContain(s);
  });
});
