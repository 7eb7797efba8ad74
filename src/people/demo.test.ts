import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ageOn, type LocalDate } from '../core/dates.ts';
import { parseIdNumber } from '../core/idnumber.ts';
import { DEFAULT_POLICY_DIR, loadJurisdiction, type RegionTree } from '../regions/index.ts';
import { makeDemoGenerator, type DemoParams, type DemoWorld } from './demo.ts';
import { demoWorldFor, regionLookupFor } from './regions.ts';
import { validatePerson, type PersonDraft, type PersonInput } from './model.ts';

const AS_OF = '2026-11-29' as LocalDate;
const SEED = 42;

const params = JSON.parse(readFileSync(join(DEFAULT_POLICY_DIR, 'demo', 'population.json'), 'utf8')) as DemoParams;
const { tree, jurisdiction } = await loadJurisdiction('shanghai');

const shanghaiWorld = (t: RegionTree): DemoWorld => demoWorldFor(t, jurisdiction);

const lookupFor = regionLookupFor;

const world = shanghaiWorld(tree);
const people = (n: number, seed = SEED): PersonDraft[] => {
  const gen = makeDemoGenerator(params, world, seed, AS_OF);
  return Array.from({ length: n }, (_, i) => gen(i));
};

const asInput = (p: PersonDraft): PersonInput => ({
  name: p.name, idNumber: p.idNumber, birthDate: p.birthDate, sex: p.sex, hukouDistrictCode: p.hukouDistrictCode,
  regionCode: p.regionCode, address: p.address, lat: p.lat, lon: p.lon, insuranceType: p.insuranceType,
  economicStatus: p.economicStatus, livingArrangement: p.livingArrangement, disability: p.disability, phone: p.phone,
  contacts: p.contacts, deathDate: p.deathDate,
});

/** Great-circle distance in km. */
function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

const TWENTY_THOUSAND = people(20_000);

describe('the demo world of Shanghai', () => {
  it('has the 16 districts, each with streets, an area and weights in the parameters', () => {
    expect(world.districts).toHaveLength(16);
    const areas = new Set(jurisdiction.districtAreas!.areas.map((a) => a.code));
    for (const d of world.districts) {
      expect(areas.has(d.code)).toBe(true);
      expect(d.streets.length).toBeGreaterThan(0);
      expect(params.districtWeights?.[d.code]).toBeGreaterThan(0);
    }
    expect(world.districts.find((d) => d.code === '310106')!.retiredCodes).toContain('310108');
  });
});

describe('makeDemoGenerator', () => {
  it('is deterministic: the same seed gives the same people, index by index', () => {
    const a = people(300);
    const b = people(300);
    expect(b).toEqual(a);
    expect(TWENTY_THOUSAND.slice(0, 300)).toEqual(a);
  });

  it('a different seed gives different people', () => {
    const a = people(300);
    const c = people(300, SEED + 1);
    const same = a.filter((p, i) => p.idNumber === c[i]!.idNumber || p.name + p.address === c[i]!.name + c[i]!.address);
    expect(same.length).toBeLessThan(3);
  });

  it('different indexes give different people', () => {
    const a = people(50);
    expect(new Set(a.map((p) => `${p.name}|${p.address}|${p.lat}`)).size).toBe(50);
  });

  it('2,000 generated people all pass validatePerson on the as-of date, unchanged', () => {
    const ctx = { today: AS_OF, regions: lookupFor(tree), maxAgeYears: 125 };
    const failures: string[] = [];
    for (const p of TWENTY_THOUSAND.slice(0, 2000)) {
      const r = validatePerson(asInput(p), ctx);
      if (!r.ok) failures.push(`${p.idNumber}: ${JSON.stringify(r.errors)}`);
      else expect(r.value).toEqual({ ...p, warnings: r.value.warnings });
    }
    expect(failures).toEqual([]);
  });

  it('the identity number agrees with the birth date and sex, and carries a district, retired or other-province code', () => {
    const codes = new Set([...world.districts.flatMap((d) => [d.code, ...d.retiredCodes]), ...world.otherHukouCodes]);
    for (const p of TWENTY_THOUSAND.slice(0, 2000)) {
      const id = parseIdNumber(p.idNumber, { today: AS_OF });
      expect(id.ok && id.value.birthDate === p.birthDate && id.value.sex === p.sex).toBe(true);
      expect(codes.has(p.idNumber.slice(0, 6))).toBe(true);
    }
  });

  it('everyone is 60 or older on the as-of date, and no one is older than the oldest band allows', () => {
    const maxAge = Math.max(...params.ageBands.map((b) => b.to)) + 1;
    const ages = TWENTY_THOUSAND.map((p) => ageOn(p.birthDate, AS_OF));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...ages)).toBeLessThanOrEqual(maxAge);
  });

  it('the deceased died after their birth and not after the as-of date', () => {
    const dead = TWENTY_THOUSAND.filter((p) => p.deathDate !== null);
    expect(dead.length).toBeGreaterThan(0);
    for (const p of dead) {
      expect(p.deathDate! <= AS_OF).toBe(true);
      expect(p.deathDate! > p.birthDate).toBe(true);
    }
  });

  it('no two of 20,000 people share an identity number', () => {
    expect(new Set(TWENTY_THOUSAND.map((p) => p.idNumber)).size).toBe(20_000);
  });

  it('the share of people living alone is within 2 percentage points of the parameter', () => {
    const total = Object.values(params.livingArrangement).reduce((s, w) => s + w, 0);
    const expected = (params.livingArrangement.alone ?? 0) / total;
    const actual = TWENTY_THOUSAND.filter((p) => p.livingArrangement === 'alone').length / TWENTY_THOUSAND.length;
    expect(expected).toBeGreaterThan(0);
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.02);
  });

  it('districts are drawn in proportion to their weights (within 2 percentage points)', () => {
    const weights = params.districtWeights!;
    const total = Object.values(weights).reduce((s, w) => s + w, 0);
    for (const d of world.districts) {
      const actual = TWENTY_THOUSAND.filter((p) => p.districtCode === d.code).length / TWENTY_THOUSAND.length;
      expect(Math.abs(actual - weights[d.code]! / total)).toBeLessThanOrEqual(0.02);
    }
  });

  it("every person's coordinates lie within their district's circle", () => {
    const areas = new Map(jurisdiction.districtAreas!.areas.map((a) => [a.code, a]));
    const outside: string[] = [];
    for (const p of TWENTY_THOUSAND) {
      const area = areas.get(p.districtCode)!;
      const km = distanceKm(area.center, { lat: p.lat!, lon: p.lon! });
      if (km > area.radiusKm + 0.01) outside.push(`${p.idNumber} ${p.districtCode} ${km.toFixed(3)} km > ${area.radiusKm}`);
    }
    expect(outside).toEqual([]);
  });

  it('each person lives in a current street (and committee) of their district', () => {
    for (const p of TWENTY_THOUSAND.slice(0, 2000)) {
      expect(p.streetCode!.startsWith(p.districtCode)).toBe(true);
      expect(tree.get(p.streetCode!)?.parentCode).toBe(p.districtCode);
      if (p.committeeCode) expect(tree.get(p.committeeCode)?.parentCode).toBe(p.streetCode);
      expect(p.regionCode).toBe(p.committeeCode ?? p.streetCode);
    }
  });
});
