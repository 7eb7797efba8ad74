// The people register as the workflow's person port (CONVENTIONS §5): the workflow declares what
// it needs (service.ts `PersonOf`), this file wires it to the people module's public surface.
import { AppError } from '../core/errors.ts';
import type { LocalDate } from '../core/dates.ts';
import type { AppContext } from '../platform/context.ts';
import { PeopleService } from '../people/index.ts';
import type { PersonOf } from './service.ts';

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
