// A hand-written computation of the Shanghai entitlements with today's values as literals: the
// baseline of the rules-engine benchmark (bench/entitle.ts) and an independent oracle for the
// differential tests (src/entitlements/model.test.ts). It knows nothing of policy/parameters/ —
// if the parameters change, the tests comparing against it must be updated on purpose.
// Valid for as-of dates from 2025-09-01 (the LTCI institutional limits of that date) on.

export interface HandFacts {
  birthY: number;
  birthM: number;
  birthD: number;
  /** County code as a number (310115), 0 when none. */
  hukou: number;
  /** 0 none, 1 employee, 2 resident. */
  insurance: number;
  /** -1 none, else 0–6. */
  grade: number;
  /** yyyymmdd, 0 when none. */
  gradeUntil: number;
  /** 0 none, 1 dibao, 2 low_income, 3 tekun. */
  economic: number;
  /** yyyymmdd, 0 when alive. */
  death: number;
  livingAlone: boolean;
}

export interface HandResult {
  age: number;
  allowanceFen: number;
  ltciHours: number;
  subsidyFen: number;
  bedTier: number;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function handEntitle(f: HandFacts, asY: number, asM: number, asD: number, out: HandResult): HandResult {
  const asOf = asY * 10000 + asM * 100 + asD;
  let day = f.birthD;
  if (f.birthM === 2 && day === 29 && !isLeap(asY)) day = 28;
  const age = asY - f.birthY - (asM > f.birthM || (asM === f.birthM && asD >= day) ? 0 : 1);
  out.age = age;
  out.allowanceFen = 0;
  out.ltciHours = 0;
  out.subsidyFen = 0;
  out.bedTier = 0;
  if (f.death !== 0 && f.death <= asOf) return out;
  const sh = f.hukou >= 310000 && f.hukou < 320000;
  const grade = f.grade >= 0 && f.gradeUntil !== 0 && f.gradeUntil >= asOf ? f.grade : -1;
  if (sh && age >= 65) out.allowanceFen = age >= 100 ? 60000 : age >= 90 ? 35000 : age >= 80 ? 18000 : age >= 70 ? 15000 : 7500;
  if (age >= 60 && f.insurance !== 0 && grade >= 2) out.ltciHours = grade >= 5 ? 7 : grade === 4 ? 5 : 3;
  if (sh && age >= 60 && (f.economic === 1 || f.economic === 2) && grade >= 1) {
    const dibao = f.economic === 1;
    out.subsidyFen = grade === 1 ? (dibao ? 111000 : 88800) : grade <= 4 ? (dibao ? 103600 : 74000) : dibao ? 74000 : 44400;
  }
  if (sh && age >= 60) {
    if (f.economic === 3) out.bedTier = 1;
    else if ((f.economic === 1 || f.economic === 2) && grade >= 4) out.bedTier = 2;
    else if (f.livingAlone && age >= 80) out.bedTier = 2;
    else if (grade >= 4) out.bedTier = 3;
  }
  return out;
}
