// Deterministic synthetic population for the demo city. Pure: the same parameters, regions,
// seed and index range always give the same people. Memory is bounded whatever the scale:
// people are produced one at a time; the only state is a counter per (district, birth date)
// that keeps the generated ID numbers unique.
import { addDays, localDateFromParts, type LocalDate } from '../core/dates.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { mulberry32 } from '../core/ids.ts';
import type { PersonDraft, Sex } from './model.ts';

export interface DemoParams {
  ageBands: { from: number; to: number; share: number; femaleShare: number }[];
  livingArrangement: Record<string, number>;
  insuranceType: Record<string, number>;
  economicStatus: Record<string, number>;
  hukouElsewhereShare: number;
  retiredIdCodeShare: number;
  deceasedShare: number;
  districtWeights?: Record<string, number>;
  surnames: string;
  givenChars: { M: string; F: string };
  roadWords: string;
  roadSuffixes: string[];
}

export interface DemoDistrict {
  code: string;
  center: { lat: number; lon: number };
  radiusKm: number;
  /** Streets/towns of the district, each with its committees. */
  streets: { code: string; committees: string[] }[];
  /** Retired county codes whose successor is this district (old ID numbers carry them). */
  retiredCodes: string[];
}

export interface DemoWorld {
  districts: DemoDistrict[];
  /** County codes elsewhere in China, for people whose hukou is not here. */
  otherHukouCodes: string[];
}

const KM_PER_DEG_LAT = 111.32;
const DEG = Math.PI / 180;
const SEQ_SLOTS = 500; // 3-digit sequence code, half per sex

type Rng = () => number;

function pickWeighted<K extends string>(rng: Rng, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [k, w] of entries) {
    x -= w;
    if (x < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

const pickChar = (rng: Rng, s: string): string => {
  const chars = [...s];
  return chars[Math.floor(rng() * chars.length)]!;
};

/** A generator of demo people for one jurisdiction, deterministic in `seed`. */
export function makeDemoGenerator(params: DemoParams, world: DemoWorld, seed: number, asOf: LocalDate) {
  const seqCounters = new Map<string, number>();
  const weights: Record<string, number> = {};
  for (const d of world.districts) weights[d.code] = params.districtWeights?.[d.code] ?? 1;
  const byCode = new Map(world.districts.map((d) => [d.code, d]));
  const asOfYear = Number(asOf.slice(0, 4));

  /** The i-th person; `i` also seeds the person's own random stream. */
  return function person(i: number): PersonDraft {
    const rng = mulberry32((seed * 0x9e3779b1 + i * 0x85ebca6b) >>> 0);
    const district = byCode.get(pickWeighted(rng, weights))!;
    const band = params.ageBands[(() => {
      let x = rng() * params.ageBands.reduce((s, b) => s + b.share, 0);
      for (let k = 0; k < params.ageBands.length; k++) {
        x -= params.ageBands[k]!.share;
        if (x < 0) return k;
      }
      return params.ageBands.length - 1;
    })()]!;
    const sex: Sex = rng() < band.femaleShare ? 'F' : 'M';
    const age = band.from + Math.floor(rng() * (band.to - band.from + 1));
    const birthYear = asOfYear - age - 1;
    const birthDate = addDays(localDateFromParts(birthYear, 1, 1), Math.floor(rng() * 365));
    const street = district.streets[Math.floor(rng() * district.streets.length)]!;
    const committee = street.committees.length ? street.committees[Math.floor(rng() * street.committees.length)]! : null;

    const hukouElsewhere = rng() < params.hukouElsewhereShare && world.otherHukouCodes.length > 0;
    const idCode = hukouElsewhere
      ? world.otherHukouCodes[Math.floor(rng() * world.otherHukouCodes.length)]!
      : district.retiredCodes.length && rng() < params.retiredIdCodeShare
        ? district.retiredCodes[Math.floor(rng() * district.retiredCodes.length)]!
        : district.code;
    const key = `${idCode}|${birthDate}|${sex}`;
    const n = seqCounters.get(key) ?? Math.floor(rng() * (SEQ_SLOTS / 2));
    seqCounters.set(key, n + 1);
    const idNumber = makeIdNumber(idCode, birthDate, n % SEQ_SLOTS, sex);

    const surname = pickChar(rng, params.surnames);
    const given = pickChar(rng, params.givenChars[sex]) + (rng() < 0.7 ? pickChar(rng, params.givenChars[sex]) : '');
    const road = pickChar(rng, params.roadWords) + pickChar(rng, params.roadWords) + params.roadSuffixes[Math.floor(rng() * params.roadSuffixes.length)];
    const address = `${road}${1 + Math.floor(rng() * 999)}号${1 + Math.floor(rng() * 30)}0${1 + Math.floor(rng() * 6)}室`;

    // A uniform point in the district's circle.
    const r = district.radiusKm * Math.sqrt(rng());
    const theta = 2 * Math.PI * rng();
    const lat = district.center.lat + (r * Math.sin(theta)) / KM_PER_DEG_LAT;
    const lon = district.center.lon + (r * Math.cos(theta)) / (KM_PER_DEG_LAT * Math.cos(district.center.lat * DEG));

    const deceased = rng() < params.deceasedShare;
    const phone = `1${3 + Math.floor(rng() * 7)}${String(Math.floor(rng() * 1e9)).padStart(9, '0')}`;
    return {
      name: surname + given,
      idNumber,
      idNumberOriginal: idNumber,
      birthDate,
      sex,
      hukouDistrictCode: hukouElsewhere ? idCode : district.code,
      regionCode: committee ?? street.code,
      districtCode: district.code,
      streetCode: street.code,
      committeeCode: committee,
      address,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
      insuranceType: pickWeighted(rng, params.insuranceType) as PersonDraft['insuranceType'],
      economicStatus: pickWeighted(rng, params.economicStatus) as PersonDraft['economicStatus'],
      livingArrangement: pickWeighted(rng, params.livingArrangement) as PersonDraft['livingArrangement'],
      disability: null,
      phone,
      contacts: [],
      deathDate: deceased ? addDays(asOf, -1 - Math.floor(rng() * 300)) : null,
      warnings: [],
    };
  };
}
