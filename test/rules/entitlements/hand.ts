// A hand-written computation of the Shanghai entitlements with today's values as literals: the
// baseline of the rules-engine benchmark (bench/entitle.ts) and an independent oracle for the
// differential tests (src/entitlements/model.test.ts). It reads the same facts as the engine
// (dates as YYYY-MM-DD strings) and knows nothing of policy/parameters/ — if the parameters
// change, the tests comparing against it must be updated on purpose.
// Valid for as-of dates from 2025-09-01 (the LTCI institutional limits of that date) on.
import type { PersonFacts } from '../../../src/entitlements/index.ts';

export interface HandResult {
  age: number;
  allowanceFen: number;
  ltciHours: number;
  subsidyFen: number;
  bedTier: number;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const digits = (s: string, from: number, n: number) => {
  let v = 0;
  for (let i = from; i < from + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
};

export function handEntitle(f: PersonFacts, asOf: string, out: HandResult): HandResult {
  const asY = digits(asOf, 0, 4);
  const asM = digits(asOf, 5, 2);
  const asD = digits(asOf, 8, 2);
  const bY = digits(f.birthDate, 0, 4);
  const bM = digits(f.birthDate, 5, 2);
  let bD = digits(f.birthDate, 8, 2);
  if (bM === 2 && bD === 29 && !isLeap(asY)) bD = 28;
  const age = asY - bY - (asM > bM || (asM === bM && asD >= bD) ? 0 : 1);
  out.age = age;
  out.allowanceFen = 0;
  out.ltciHours = 0;
  out.subsidyFen = 0;
  out.bedTier = 0;
  if (f.deathDate !== null && f.deathDate <= asOf) return out;
  const sh = f.hukouDistrict !== null && f.hukouDistrict.startsWith('31');
  const grade = f.careGrade !== null && f.careGradeValidUntil !== null && f.careGradeValidUntil >= asOf ? f.careGrade : -1;
  if (sh && age >= 65) out.allowanceFen = age >= 100 ? 60000 : age >= 90 ? 35000 : age >= 80 ? 18000 : age >= 70 ? 15000 : 7500;
  if (age >= 60 && f.insurance !== null && grade >= 2) out.ltciHours = grade >= 5 ? 7 : grade === 4 ? 5 : 3;
  const poor = f.economic === 'dibao' || f.economic === 'low_income';
  if (sh && age >= 60 && poor && grade >= 1) {
    const dibao = f.economic === 'dibao';
    out.subsidyFen = grade === 1 ? (dibao ? 111000 : 88800) : grade <= 4 ? (dibao ? 103600 : 74000) : dibao ? 74000 : 44400;
  }
  if (sh && age >= 60) {
    if (f.economic === 'tekun') out.bedTier = 1;
    else if (poor && grade >= 4) out.bedTier = 2;
    else if (f.preferentialCare || f.familyPlanningSpecial) out.bedTier = 2;
    else if (f.living === 'alone' && age >= 80) out.bedTier = 2;
    else if (grade >= 4) out.bedTier = 3;
  }
  return out;
}
