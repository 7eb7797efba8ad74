// The LTCI parameters of a date as settlement parameters (policy/parameters/ltci.json through the
// entitlement rules' parameter bundle): weekly hours by grade, price per hour by kind, the fund's
// share at home, the check-in distance and the lowest grade. Missing ones are left out.
import type { LocalDate } from '../core/dates.ts';
import type { Engine } from '../entitlements/index.ts';
import type { SettleParams } from './settle.ts';

/** The LTCI parameters of a date as settlement parameters (what is in force; missing ones left out). */
export function ltciOn(engine: Engine, root: string) {
  return (day: string): Partial<SettleParams> => {
    const P = engine.bundle(root, day as LocalDate).ltci;
    const out: Partial<SettleParams> = {};
    if (P.homeCareHoursPerWeek) out.weeklyHours = P.homeCareHoursPerWeek.value as Record<string, number>;
    if (P.homeCarePriceFenPerHour) out.fenPerHour = P.homeCarePriceFenPerHour.value as Record<string, number>;
    if (P.fundShareHome) out.fundShare = P.fundShareHome.value as number;
    if (P.maxCheckInMeters) out.maxCheckInMeters = P.maxCheckInMeters.value as number;
    if (P.minGrade) out.minGrade = P.minGrade.value as number;
    return out;
  };
}

