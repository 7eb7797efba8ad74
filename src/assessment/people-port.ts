// The people register as the workflow's person port (CONVENTIONS §5): the workflow declares what
// it needs (service.ts `PersonOf`), this file wires it to the people module's public surface.
import { AppError } from '../core/errors.ts';
import type { LocalDate } from '../core/dates.ts';
import type { AppContext } from '../platform/context.ts';
import { PeopleService } from '../people/index.ts';
import type { FindPeople, PersonByIdNumber, PersonOf } from './service.ts';

export function personPort(ctx: AppContext): PersonOf {
  const people = new PeopleService(ctx);
  return async (caller, id) => {
    try {
      const p = await people.get(caller, id);
      if (p.deletedAt) return null; // a deregistered record cannot apply
      return {
        id: p.id, districtCode: p.districtCode, regionCode: p.committeeCode ?? p.streetCode ?? p.districtCode,
        birthDate: p.birthDate as LocalDate, deathDate: p.deathDate as LocalDate | null,
      };
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  };
}

/**
 * People in the caller's scope matching a search, through the register's own search (an ID number
 * is looked up by its blind index, anything else is a name prefix); deregistered people are not
 * listed. The register audits the search (without the text).
 */
export function findPeoplePort(ctx: AppContext): FindPeople {
  const people = new PeopleService(ctx);
  return async (caller, q, limit) => (await people.list(caller, { q }, limit, null)).items.map((p) => p.id);
}

const ID_NUMBER_18 = /^\d{17}[\dX]$/;

/** The person with this resident ID number in the caller's scope (blind index, exact), or null. */
export function personByIdNumberPort(ctx: AppContext): PersonByIdNumber {
  const find = findPeoplePort(ctx);
  const personOf = personPort(ctx);
  return async (caller, idNumber) => {
    if (!ID_NUMBER_18.test(idNumber)) return null; // a name prefix would match other people
    const ids = await find(caller, idNumber, 2);
    return ids.length === 1 ? personOf(caller, ids[0]!) : null;
  };
}
