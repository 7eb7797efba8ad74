// A small PDF writer over pdfkit for printable documents in Chinese. Callers describe the
// document as data (`PdfDocument`: a title and blocks); this file lays it out on A4 with a CJK
// font found on the machine and embedded (subset) in the file. Without a CJK font every Chinese
// glyph would print as a box, so a missing font is an error, never a silent fallback.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppError } from '../core/errors.ts';

/** A CJK font file; `family` names the face inside a TrueType/OpenType collection (.ttc). */
export interface CjkFont {
  path: string;
  family?: string;
}

/** Known places of CJK fonts on Debian/Ubuntu, in order of preference (STACK.md, gotcha 9). */
export const KNOWN_CJK_FONTS: readonly CjkFont[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf' },
  { path: '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
];

export const PDF_FONT_ENV = 'YIYANG_PDF_FONT';

/**
 * The CJK font to embed: `YIYANG_PDF_FONT` (`/path/font.ttf`, or `/path/fonts.ttc#PostScriptName`
 * for a collection) when set, else the first known path that exists. Throws an AppError naming
 * the package to install when there is none.
 */
export function findCjkFont(env: Record<string, string | undefined> = process.env, exists: (p: string) => boolean = existsSync): CjkFont {
  const override = env[PDF_FONT_ENV]?.trim();
  if (override) {
    const hash = override.lastIndexOf('#');
    const font: CjkFont = hash > 0 ? { path: override.slice(0, hash), family: override.slice(hash + 1) } : { path: override };
    if (!exists(font.path)) throw new AppError('INTERNAL', `${PDF_FONT_ENV} 指定的字体文件不存在：${font.path}`);
    return font;
  }
  const found = KNOWN_CJK_FONTS.find((f) => exists(f.path));
  if (!found) {
    throw new AppError('INTERNAL', '无法生成 PDF：服务器上没有中文字体。请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），或用环境变量 YIYANG_PDF_FONT 指定字体文件');
  }
  return found;
}

/** One block of a document, laid out top to bottom. */
export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; size?: 'normal' | 'small' | 'large'; bold?: boolean }
  /** Label → value pairs in two columns. */
  | { kind: 'fields'; rows: readonly (readonly [string, string])[] }
  /** A table with a header row; `widths` are fractions of the text width (default: equal). */
  | { kind: 'table'; columns: readonly string[]; rows: readonly (readonly string[])[]; widths?: readonly number[]; align?: readonly ('left' | 'right')[] }
  /** A framed line in large type (the conclusion of a report). */
  | { kind: 'highlight'; label: string; value: string }
  | { kind: 'list'; items: readonly string[] }
  | { kind: 'space' };

export interface PdfDocument {
  title: string;
  subtitle?: string;
  /** Document properties. */
  author?: string;
  subject?: string;
  /** Printed at the foot of every page, with “第 n 页 / 共 m 页”. */
  footer?: string;
  blocks: readonly PdfBlock[];
}

const SIZE = { small: 10.5, normal: 12, large: 14, heading: 15, title: 20, subtitle: 12, highlight: 18 } as const;
const MARGIN = 56; // ≈ 2 cm
const FOOTER_GAP = 28;
const LINE_GAP = 3;
const GREY = '#444444';
const RULE = '#999999';

/** Render a document to PDF bytes (A4, the CJK font embedded as a subset). */
export async function renderPdf(model: PdfDocument, font: CjkFont = findCjkFont()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_GAP, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: model.title, ...(model.author ? { Author: model.author } : {}), ...(model.subject ? { Subject: model.subject } : {}) },
    lang: 'zh-CN',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    if (font.family) doc.registerFont('cjk', font.path, font.family);
    else doc.registerFont('cjk', font.path);
    doc.font('cjk');
  } catch (e) {
    throw new AppError('INTERNAL', `无法读取中文字体 ${font.path}：${(e as Error).message}`);
  }
  layout(doc, model);
  footers(doc, model.footer);
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function width(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Start a new page when fewer than `needed` points are left. */
function ensure(doc: Doc, needed: number): void {
  if (doc.y + needed > bottom(doc)) doc.addPage();
}

function layout(doc: Doc, model: PdfDocument): void {
  const left = doc.page.margins.left;
  doc.fillColor('black').fontSize(SIZE.title).text(model.title, left, doc.y, { width: width(doc), align: 'center', lineGap: LINE_GAP });
  if (model.subtitle) doc.moveDown(0.2).fillColor(GREY).fontSize(SIZE.subtitle).text(model.subtitle, { width: width(doc), align: 'center' }).fillColor('black');
  doc.moveDown(0.8);
  for (const b of model.blocks) block(doc, b);
}

function block(doc: Doc, b: PdfBlock): void {
  const left = doc.page.margins.left;
  const w = width(doc);
  switch (b.kind) {
    case 'heading': {
      ensure(doc, 60);
      doc.moveDown(0.6).fontSize(SIZE.heading).fillColor('black').text(b.text, left, doc.y, { width: w, lineGap: LINE_GAP });
      const y = doc.y + 2;
      doc.moveTo(left, y).lineTo(left + w, y).lineWidth(0.8).strokeColor(RULE).stroke();
      doc.y = y + 6;
      return;
    }
    case 'paragraph': {
      const size = SIZE[b.size ?? 'normal'];
      doc.fontSize(size);
      ensure(doc, doc.heightOfString(b.text, { width: w, lineGap: LINE_GAP }));
      doc.fillColor(b.size === 'small' ? GREY : 'black').text(b.text, left, doc.y, { width: w, lineGap: LINE_GAP }).fillColor('black');
      doc.moveDown(0.3);
      return;
    }
    case 'list': {
      doc.fontSize(SIZE.normal);
      for (const item of b.items) {
        ensure(doc, doc.heightOfString(item, { width: w - 18, lineGap: LINE_GAP }));
        const y = doc.y;
        doc.text('·', left + 4, y, { width: 12, lineBreak: false });
        doc.text(item, left + 18, y, { width: w - 18, lineGap: LINE_GAP });
        doc.moveDown(0.2);
      }
      return;
    }
    case 'fields': {
      doc.fontSize(SIZE.normal);
      const labelW = Math.round(w * 0.3);
      for (const [label, value] of b.rows) {
        const h = Math.max(doc.heightOfString(label, { width: labelW - 8 }), doc.heightOfString(value || '—', { width: w - labelW, lineGap: LINE_GAP }));
        ensure(doc, h + 4);
        const y = doc.y;
        doc.fillColor(GREY).text(label, left, y, { width: labelW - 8 });
        doc.fillColor('black').text(value || '—', left + labelW, y, { width: w - labelW, lineGap: LINE_GAP });
        doc.y = y + h + 4;
      }
      doc.x = left;
      return;
    }
    case 'table': {
      table(doc, b.columns, b.rows, b.widths, b.align);
      return;
    }
    case 'highlight': {
      doc.fontSize(SIZE.highlight);
      const text = `${b.label}：${b.value}`;
      const h = doc.heightOfString(text, { width: w - 24 }) + 16;
      ensure(doc, h + 40); // keep a line of what follows with the box
      const y = doc.y + 4;
      doc.rect(left, y, w, h).lineWidth(1.2).strokeColor('black').stroke();
      doc.fillColor('black').text(text, left + 12, y + 8, { width: w - 24 });
      doc.x = left;
      doc.y = y + h + 8;
      doc.fontSize(SIZE.normal);
      return;
    }
    case 'space':
      doc.moveDown(0.6);
      return;
  }
}

function table(doc: Doc, columns: readonly string[], rows: readonly (readonly string[])[], fractions?: readonly number[], align?: readonly ('left' | 'right')[]): void {
  const left = doc.page.margins.left;
  const w = width(doc);
  const fr = fractions && fractions.length === columns.length ? fractions : columns.map(() => 1 / columns.length);
  const total = fr.reduce((a, b) => a + b, 0);
  const widths = fr.map((f) => (w * f) / total);
  const pad = 6;
  doc.fontSize(SIZE.normal);
  const row = (cells: readonly string[], header: boolean) => {
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
    ensure(doc, h);
    const y = doc.y;
    if (header) doc.rect(left, y, w, h).fillColor('#eeeeee').fill();
    let x = left;
    cells.forEach((c, i) => {
      doc.fillColor(header ? GREY : 'black').text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: align?.[i] ?? 'left' });
      x += widths[i]!;
    });
    doc.moveTo(left, y + h).lineTo(left + w, y + h).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.fillColor('black');
    doc.x = left;
    doc.y = y + h;
  };
  row(columns, true);
  for (const r of rows) row(r, false);
  doc.moveDown(0.5);
}

/** The footer on every page: the caller's text and the page number, inside the bottom margin. */
function footers(doc: Doc, text: string | undefined): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const left = doc.page.margins.left;
    const w = width(doc);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
    const y = doc.page.height - MARGIN - 4;
    doc.moveTo(left, y - 6).lineTo(left + w, y - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.fontSize(SIZE.small).fillColor(GREY);
    const pageNo = `第 ${i - range.start + 1} 页 / 共 ${range.count} 页`;
    if (text) doc.text(text, left, y, { width: w * 0.75, lineBreak: true, height: 30, ellipsis: true });
    doc.text(pageNo, left + w * 0.75, y, { width: w * 0.25, align: 'right', lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
  doc.fillColor('black');
}
