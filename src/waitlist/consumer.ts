// The automatic run (issue 7 §3): when a basic-guarantee bed falls vacant (`supply.vacancy_changed`
// with basic beds vacant), allocate at once, in the event's transaction. Runs that offer nothing
// are not recorded. Idempotent through the outbox's inbox; a run is deterministic for its input.
import { todayIn } from '../core/dates.ts';
import type { Consumer } from '../platform/outbox.ts';
import type { WaitlistService } from './service.ts';

export const VACANCY_TOPIC = 'supply.vacancy_changed';

export function waitlistAutoRun(service: () => WaitlistService | null, clock: () => Date): Consumer {
  return {
    name: 'waitlist.auto-run',
    topics: [VACANCY_TOPIC],
    async handle(event, q) {
      const svc = service();
      const p = event.payload as { basicVacant?: number };
      if (!svc || !(Number(p.basicVacant) > 0)) return;
      if (!svc.rules(todayIn(clock)).autoRunOnVacancy) return;
      // Nobody waiting chose this facility (after a run, beds left free are wanted by no one): nothing to do.
      const f = (event.payload as { facilityId?: string }).facilityId;
      if (f && !(await svc.isWanted(q, f))) return;
      await svc.runIn(q, null, 'vacancy', false);
    },
  };
}
