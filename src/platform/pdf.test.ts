import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import { findCjkFont, KNOWN_CJK_FONTS, PDF_FONT_ENV, renderPdf, type PdfDocument } from './pdf.ts';
import { skipWithoutCjkFont } from '../../test/helpers/fonts.ts';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
/** The PDF's text with all white space removed (extraction drops the spaces between Chinese and digits). */
const textOf = (pdf: Buffer) => execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '');
const squeeze = (s: string) => s.replace(/\s+/g, '');

const sample: PdfDocument = {
  title: '老年人能力评估报告',
  subtitle: '依据 GB/T 42195-2022',
  footer: '签发地区：上海市浦东新区',
  blocks: [
    { kind: 'heading', text: '一、基本信息' },
    { kind: 'fields', rows: [['姓名', '王小明'], ['身份证号码', '310115********0012']] },
    { kind: 'table', columns: ['一级指标', '得分', '满分'], rows: [['自理能力', '20', '32'], ['精神状态', '28', '28']], widths: [3, 1, 1], align: ['left', 'right', 'right'] },
    { kind: 'list', items: ['确诊 F03.9，提高一个级别'] },
    { kind: 'highlight', label: '最终能力等级', value: '2 级 · 中度失能' },
    { kind: 'paragraph', text: '以电子结果为准。', size: 'small' },
    { kind: 'space' },
  ],
};

describe('findCjkFont', () => {
  it('takes the first known font that exists', () => {
    const second = KNOWN_CJK_FONTS[1]!;
    expect(findCjkFont({}, (p) => p === second.path)).toEqual(second);
  });
  it(`${PDF_FONT_ENV} overrides, with an optional #face for a collection`, () => {
    expect(findCjkFont({ [PDF_FONT_ENV]: '/x/a.ttc#SomeFace' }, () => true)).toEqual({ path: '/x/a.ttc', family: 'SomeFace' });
    expect(findCjkFont({ [PDF_FONT_ENV]: '/x/b.ttf' }, () => true)).toEqual({ path: '/x/b.ttf' });
    expect(() => findCjkFont({ [PDF_FONT_ENV]: '/nowhere/x.ttf' }, () => false)).toThrow(/字体文件不存在：\/nowhere\/x\.ttf/);
  });
  it('without a CJK font: a clear Chinese error naming the package, never boxes', () => {
    let e: unknown;
    try {
      findCjkFont({}, () => false);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toMatch(/没有中文字体.*fonts-wqy-microhei/);
  });
});

// No CJK font on this machine → skipped with the install hint (test/helpers/fonts.ts).
describe.skipIf(skipWithoutCjkFont)('renderPdf', () => {
  it('returns a PDF with the CJK font embedded', async () => {
    const font = findCjkFont();
    const pdf = await renderPdf(sample, font);
    expect(Buffer.isBuffer(pdf)).toBe(true);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile[23]? /);
    const face = font.family ?? 'CJK';
    expect(raw).toMatch(new RegExp(`/BaseFont /[A-Z]{6}\\+${face}`));
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
  });

  it('breaks long documents over pages, with a footer on each', async () => {
    const long: PdfDocument = { ...sample, blocks: Array.from({ length: 60 }, (_, i) => ({ kind: 'paragraph' as const, text: `第 ${i + 1} 段：老年人能力评估结果说明。` })) };
    const pdf = await renderPdf(long);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    if (hasPdftotext) {
      const text = textOf(pdf);
      expect(text).toContain('第1页/共');
      expect(text).toContain('签发地区：上海市浦东新区');
    }
  });

  it.runIf(hasPdftotext)('the Chinese text is real text (extractable), not boxes', async () => {
    const text = textOf(await renderPdf(sample));
    for (const s of ['老年人能力评估报告', '一、基本信息', '王小明', '自理能力', '确诊 F03.9，提高一个级别', '中度失能']) expect(text).toContain(squeeze(s));
  });
});
