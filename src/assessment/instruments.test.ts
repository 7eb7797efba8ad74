import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/index.ts';
import {
  DEFAULT_INSTRUMENTS_DIR, instrumentFromJson, listInstrumentVersions, loadInstrument, loadInstrumentOn, loadInstrumentVersions, parseInstrumentSpec,
} from './instruments.ts';
import { InstrumentDataError, score, type InstrumentData } from './model.ts';

const shippedJson = JSON.parse(readFileSync(join(DEFAULT_INSTRUMENTS_DIR, 'gbt42195-2022.json'), 'utf8')) as InstrumentData;
const tmp = mkdtempSync(join(tmpdir(), 'yiyang-instruments-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A directory holding the given files (name → JSON value or raw text). */
function dirWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmp, 'd-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
const versionOf = (id: string, version: string): InstrumentData => ({ ...structuredClone(shippedJson), id, version });

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe('the policy files (CONVENTIONS §9: every value cited, dated, checked)', () => {
  const files = readdirSync(DEFAULT_INSTRUMENTS_DIR).filter((f) => f.endsWith('.json'));

  it.each(files)('%s loads, and its id and version match its file name', async (file) => {
    const m = /^(.+?)(?:@(.+))?\.json$/.exec(file)!;
    const instrument = instrumentFromJson(JSON.parse(readFileSync(join(DEFAULT_INSTRUMENTS_DIR, file), 'utf8')), file);
    expect(instrument.ref.id).toBe(m[1]);
    if (m[2]) expect(instrument.ref.version).toBe(m[2]);
    expect(instrument.data.effectiveFrom <= instrument.data.lastCheckedOn).toBe(true);
  });

  it('GB/T 42195-2022 has the facts of shared/domain/assessment.md §1', async () => {
    const { data } = await loadInstrument('gbt42195-2022');
    expect(data.items.map((i) => i.key)).toEqual(Array.from({ length: 26 }, (_, i) => String(i + 1)));
    const count = (dim: string) => data.items.filter((i) => i.dimension === dim).length;
    expect(data.dimensions.map((d) => [d.code, d.name, count(d.code), d.max])).toEqual([
      ['selfCare', '自理能力', 8, 32],
      ['mobility', '基础运动能力', 4, 15],
      ['mental', '精神状态', 9, 28],
      ['perception', '感知觉与社会参与', 5, 15],
    ]);
    expect(data.maxTotal.value).toBe(90);
    expect(data.levels.map((l) => [l.level, l.name, l.minTotal, l.maxTotal])).toEqual([
      [0, '能力完好', 90, 90],
      [1, '轻度失能', 66, 89],
      [2, '中度失能', 46, 65],
      [3, '重度失能', 30, 45],
      [4, '完全失能', 0, 29],
    ]);
    expect(data.adjustments.map((a) => a.code)).toEqual(['coma', 'diagnosis', 'riskEvents']);
    // Each unclear point of the domain file is a named parameter with a note.
    for (const name of ['comaLevel', 'riskEventCounting', 'adjustmentStacking']) expect(data.parameters[name]?.note).toBeTruthy();
    expect(data.parameters.adjustmentStacking!.value).toBe('single');
    expect(data.parameters.riskEventThreshold!.value).toBe(2);
    for (const item of data.items) for (const o of item.options) expect(o.label).toMatch(/\p{Script=Han}/u);
  });
});

describe('the shipped versions of GB/T 42195-2022 by date', () => {
  it('form a sound sequence, none in force before the standard, one in force since', async () => {
    const versions = await loadInstrumentVersions('gbt42195-2022');
    expect(versions.map((v) => v.ref.version)).toEqual(['1.0.0']);
    expect(await rejection(loadInstrumentOn('gbt42195-2022', '2022-12-29'))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await loadInstrumentOn('gbt42195-2022', '2022-12-30')).ref).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
  });
});

describe('parseInstrumentSpec', () => {
  it.each([
    ['gbt42195-2022', { id: 'gbt42195-2022', version: null }],
    ['gbt42195-2022@1.0.0', { id: 'gbt42195-2022', version: '1.0.0' }],
    [' gbt42195-2022 ', { id: 'gbt42195-2022', version: null }],
  ])('%s', (spec, want) => expect(parseInstrumentSpec(spec)).toEqual(want));

  it.each(['', 'GBT', '../etc/passwd', 'a@', 'a@b@c', 'a/b'])('rejects %j', (spec) => {
    expect(() => parseInstrumentSpec(spec)).toThrow(/评估量表 .* 的写法有误/);
  });
});

describe('loadInstrument', () => {
  it('loads the current version by id, and by id@version', async () => {
    expect((await loadInstrument('gbt42195-2022')).ref).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
    expect((await loadInstrument('gbt42195-2022@1.0.0')).ref).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
  });

  it('an unknown instrument or version is NOT_FOUND, in Chinese', async () => {
    expect(await rejection(loadInstrument('mzt039-2013'))).toMatchObject({ code: 'NOT_FOUND', message: '评估量表 mzt039-2013 不存在' });
    expect(await rejection(loadInstrument('gbt42195-2022@9.9.9'))).toMatchObject({ code: 'NOT_FOUND', message: '评估量表 gbt42195-2022 没有版本 9.9.9' });
    expect(await rejection(loadInstrument('mzt039-2013@1'))).toMatchObject({ code: 'NOT_FOUND', message: '评估量表 mzt039-2013 不存在' });
  });

  it('keeps archived versions: <id>@<version>.json, so an old result re-scores with its own version', async () => {
    const old = versionOf('demo', '0.9');
    old.levels[1]!.name = '轻度（旧版）';
    const dir = dirWith({ 'demo.json': versionOf('demo', '1.0'), 'demo@0.9.json': old, 'README.md': 'not an instrument' });
    expect((await loadInstrument('demo', dir)).ref.version).toBe('1.0');
    const archived = await loadInstrument('demo@0.9', dir);
    expect(archived.ref.version).toBe('0.9');
    expect(archived.data.levels[1]!.name).toBe('轻度（旧版）');
    expect(await listInstrumentVersions(dir)).toEqual([
      { id: 'demo', version: '1.0' },
      { id: 'demo', version: '0.9' },
    ]);
    expect(await rejection(loadInstrument('demo@2.0', dir))).toMatchObject({ message: '评估量表 demo 没有版本 2.0' });
  });

  it('finds a version that exists only in the archive', async () => {
    const dir = dirWith({ 'gone@1.json': versionOf('gone', '1') });
    expect((await loadInstrument('gone@1', dir)).ref).toEqual({ id: 'gone', version: '1' });
    expect(await rejection(loadInstrument('gone@2', dir))).toMatchObject({ message: '评估量表 gone 没有版本 2' });
    expect(await rejection(loadInstrument('gone', dir))).toMatchObject({ message: '评估量表 gone 不存在' });
  });

  it('rejects a file whose content does not match its name', async () => {
    const dir = dirWith({ 'a.json': versionOf('b', '1'), 'c@1.json': versionOf('c', '2') });
    expect(await rejection(loadInstrument('a', dir))).toBeInstanceOf(InstrumentDataError);
    expect((await rejection(loadInstrument('a', dir))).message).toMatch(/file a\.json holds instrument b/);
    expect((await rejection(loadInstrument('c@1', dir))).message).toMatch(/file c@1\.json holds version 2/);
  });

  it('rejects a file that is not JSON, or has the wrong shape, naming the path', async () => {
    const noRef = structuredClone(shippedJson) as unknown as { items: Record<string, unknown>[] };
    delete noRef.items[3]!.reference;
    const extra = { ...structuredClone(shippedJson), colour: 'blue' };
    const dir = dirWith({ 'broken.json': '{"id": ', 'noref.json': { ...noRef, id: 'noref' }, 'extra.json': { ...extra, id: 'extra' } });
    expect((await rejection(loadInstrument('broken', dir))).message).toMatch(/^Invalid instrument data \(.*broken\.json\): \(file\): not JSON/);
    expect((await rejection(loadInstrument('noref', dir))).message).toMatch(/items\.3\.reference/);
    expect((await rejection(loadInstrument('extra', dir))).message).toMatch(/\(root\): Unrecognized key/);
  });

  it('passes on errors other than a missing file', async () => {
    const dir = dirWith({});
    const notADir = join(dir, 'x.json');
    writeFileSync(notADir, '{}');
    await expect(loadInstrument('y', notADir)).rejects.toThrow(/ENOTDIR/);
  });
});

describe('the version in force on a date (a test instrument with two versions, never shipped)', () => {
  // v1 as GB/T 42195-2022; v2 from 2025-07-01 moves the 轻度/中度 cut-off from 66 to 70 — a
  // change of data, not of code. v1 ends where v2 starts (no effectiveTo needed).
  const v1 = { ...versionOf('trial', '1.0.0'), effectiveFrom: '2022-12-30' };
  const v2 = { ...versionOf('trial', '2.0.0'), effectiveFrom: '2025-07-01' };
  v2.levels[1]!.minTotal = 70;
  v2.levels[2]!.maxTotal = 69;
  const dir = dirWith({ 'trial.json': v2, 'trial@1.0.0.json': v1 });
  // answers totalling 68: every item at its best, lowered item by item until 22 points are gone
  let toLose = 90 - 68;
  const answers = Object.fromEntries(
    shippedJson.items.map((i) => {
      const best = Math.max(...i.options.map((o) => o.score));
      const chosen = Math.min(...i.options.map((o) => o.score).filter((x) => best - x <= toLose));
      toLose -= best - chosen;
      return [i.key, chosen];
    }),
  );

  it.each([
    ['2022-12-29', null],
    ['2022-12-30', '1.0.0'],
    ['2025-06-30', '1.0.0'],
    ['2025-07-01', '2.0.0'],
    ['2026-11-29', '2.0.0'],
  ])('on %s → %s', async (asOf, version) => {
    if (version) expect((await loadInstrumentOn('trial', asOf, dir)).ref).toEqual({ id: 'trial', version });
    else expect(await rejection(loadInstrumentOn('trial', asOf, dir))).toMatchObject({ code: 'NOT_FOUND', message: `评估量表 trial 在 ${asOf} 没有生效的版本` });
  });

  it('the same answers get the level of the version in force; each result names its version and re-scores the same with it', async () => {
    const before = score(await loadInstrumentOn('trial', '2025-06-30', dir), { answers });
    const after = score(await loadInstrumentOn('trial', '2025-07-01', dir), { answers });
    if (!before.ok || !after.ok) throw new Error('scoring failed');
    expect(before.value.total).toBe(after.value.total);
    expect(before.value.total).toBe(68);
    expect([before.value.instrument, before.value.level]).toEqual([{ id: 'trial', version: '1.0.0' }, 1]);
    expect([after.value.instrument, after.value.level]).toEqual([{ id: 'trial', version: '2.0.0' }, 2]);
    for (const r of [before.value, after.value]) {
      const again = score(await loadInstrument(`${r.instrument.id}@${r.instrument.version}`, dir), { answers });
      expect(again).toEqual({ ok: true, value: r });
    }
  });

  it('lists the versions of one id only; overlapping or same-day versions are refused', async () => {
    expect((await loadInstrumentVersions('trial', dir)).map((i) => i.ref.version).sort()).toEqual(['1.0.0', '2.0.0']);
    expect(await loadInstrumentVersions('nothing', dir)).toEqual([]);
    expect(await rejection(loadInstrumentOn('nothing', '2026-01-01', dir))).toMatchObject({ code: 'NOT_FOUND', message: '评估量表 nothing 不存在' });
    const overlap = dirWith({ 'ov.json': { ...versionOf('ov', '2'), effectiveFrom: '2025-07-01' }, 'ov@1.json': { ...versionOf('ov', '1'), effectiveTo: '2025-08-01' } });
    expect((await rejection(loadInstrumentOn('ov', '2026-01-01', overlap))).message).toMatch(/ov@1: ends on 2025-08-01, after version 2 starts on 2025-07-01/);
    const sameDay = dirWith({ 'sd.json': versionOf('sd', '2'), 'sd@1.json': versionOf('sd', '1') });
    expect(await rejection(loadInstrumentOn('sd', '2026-01-01', sameDay))).toBeInstanceOf(InstrumentDataError);
    expect(await rejection(loadInstrumentVersions('../x', dir))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('a withdrawn version (effectiveTo) leaves no version in force after it', async () => {
    const ended = dirWith({ 'w.json': { ...versionOf('w', '1'), effectiveTo: '2026-01-01' } });
    expect((await loadInstrumentOn('w', '2025-12-31', ended)).ref.version).toBe('1');
    expect(await rejection(loadInstrumentOn('w', '2026-01-01', ended))).toMatchObject({ message: '评估量表 w 在 2026-01-01 没有生效的版本' });
  });
});
