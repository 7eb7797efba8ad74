import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../core/dates.ts';
import {
  ACTIONS, appealBy, checkAssignment, checkEligibility, closingReason, expectedDates, isOverdue, mayCountersign, mayRecord, maySubmit, planAppeal, progress,
  STATES, transition, validity, visitDate, type Action, type State, type WorkflowParams,
} from './workflow.ts';
import { loadWorkflowPolicy, workflowParams } from './workflow-params.ts';

const d = (s: string) => s as LocalDate;
const P: WorkflowParams = { validityYears: 2, minAge: 60, daysToVisit: 10, daysToResult: 20, appealWindowDays: 30, expiringSoonDays: 60 };

describe('state machine', () => {
  const legal: Record<Action, [State, State][]> = {
    assign: [['applied', 'assigned']],
    record: [['assigned', 'in_progress'], ['in_progress', 'in_progress']],
    submit: [['in_progress', 'submitted']],
    countersign: [['submitted', 'completed']],
    reject: [['applied', 'rejected']],
    cancel: [['applied', 'cancelled'], ['assigned', 'cancelled'], ['in_progress', 'cancelled']],
  };
  for (const action of ACTIONS) {
    for (const state of STATES) {
      const to = legal[action].find(([from]) => from === state)?.[1];
      it(`${action} from ${state} → ${to ?? 'refused'}`, () => {
        const r = transition(state, action);
        if (to) expect(r).toEqual({ ok: true, value: to });
        else {
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.error.code).toBe('ASSESSMENT_ILLEGAL_TRANSITION');
            expect(r.error.state).toBe(state);
            expect(r.error.message).toContain(`（${state}）`);
          }
        }
      });
    }
  }
  it('the happy path ends in completed', () => {
    let s: State = 'applied';
    for (const a of ['assign', 'record', 'record', 'submit', 'countersign'] as Action[]) {
      const r = transition(s, a);
      if (!r.ok) throw new Error(r.error.message);
      s = r.value;
    }
    expect(s).toBe('completed');
  });
});

describe('closing reasons (不予受理, 撤销)', () => {
  it('keeps the reason as written, trimmed, under a code per move', () => {
    expect(closingReason('reject', '  申请材料不全 ')).toEqual({ code: 'not_accepted', message: '申请材料不全' });
    expect(closingReason('cancel', '家属申请撤销')).toEqual({ code: 'withdrawn', message: '家属申请撤销' });
  });
});

describe('visit date (decides the instrument version)', () => {
  const base = { appliedOn: d('2026-11-01'), today: d('2026-11-20') };
  it('the tablet\'s date, else today', () => {
    expect(visitDate({ ...base, visitedOn: d('2026-11-10') })).toEqual({ ok: true, value: '2026-11-10' });
    expect(visitDate({ ...base, visitedOn: undefined })).toEqual({ ok: true, value: '2026-11-20' });
    expect(visitDate({ ...base, visitedOn: d('2026-11-01') })).toEqual({ ok: true, value: '2026-11-01' });
  });
  it('not after today, not before the application', () => {
    expect(visitDate({ ...base, visitedOn: d('2026-11-21') })).toMatchObject({ ok: false, error: { code: 'ASSESSMENT_ANSWERS_INVALID', message: '评估日期 2026-11-21 晚于今天（2026-11-20）' } });
    expect(visitDate({ ...base, visitedOn: d('2026-10-31') })).toMatchObject({ ok: false, error: { message: '评估日期 2026-10-31 早于申请日期 2026-11-01' } });
  });
});

describe('who may act', () => {
  const a = { assessor1Id: 'u1', assessor2Id: 'u2' };
  it('either assessor records; only the first submits', () => {
    expect(mayRecord(a, 'u1').ok && mayRecord(a, 'u2').ok).toBe(true);
    expect(mayRecord(a, 'u3').ok).toBe(false);
    expect(maySubmit(a, 'u1').ok).toBe(true);
    expect(maySubmit(a, 'u2').ok).toBe(false);
  });
  it('the second assessor countersigns, never the first, nobody else', () => {
    expect(mayCountersign(a, 'u2').ok).toBe(true);
    const first = mayCountersign(a, 'u1');
    expect(first.ok).toBe(false);
    if (!first.ok) expect(first.error.message).toContain('第一评估员不能');
    expect(mayCountersign(a, 'u3').ok).toBe(false);
    expect(mayCountersign({ assessor1Id: 'u1', assessor2Id: null }, 'u1').ok).toBe(false);
    expect(mayCountersign({ assessor1Id: 'u1', assessor2Id: 'u1' }, 'u1').ok).toBe(false);
  });
});

describe('assignment', () => {
  const base = { agencyId: 'A', agencyDistrict: '310115', applicationDistrict: '310115', assessor1Id: 'u1', assessor2Id: 'u2', agencyAssessors: ['u1', 'u2'], excludedAgencyId: null };
  it('two different assessors of an agency of the district', () => {
    expect(checkAssignment(base).ok).toBe(true);
    expect(checkAssignment({ ...base, assessor2Id: 'u1' }).ok).toBe(false);
    expect(checkAssignment({ ...base, agencyAssessors: ['u1'] }).ok).toBe(false);
    expect(checkAssignment({ ...base, agencyDistrict: '310101' }).ok).toBe(false);
    expect(checkAssignment({ ...base, agencyDistrict: null }).ok).toBe(false);
  });
  it('a review may not go to the original agency', () => {
    const r = checkAssignment({ ...base, excludedAgencyId: 'A' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('另一家评估机构');
  });
});

describe('eligibility', () => {
  const asOf = d('2026-03-01');
  it('60 on the day itself is eligible; the day before is not', () => {
    expect(checkEligibility({ birthDate: d('1966-03-01'), deathDate: null, openApplications: 0, asOf, params: P })).toEqual({ eligible: true });
    const r = checkEligibility({ birthDate: d('1966-03-02'), deathDate: null, openApplications: 0, asOf, params: P });
    expect(r).toMatchObject({ eligible: false, reasons: [{ code: 'under_age' }] });
  });
  it('every reason is listed, in order, in Chinese', () => {
    const r = checkEligibility({ birthDate: d('1970-01-01'), deathDate: d('2026-02-01'), openApplications: 1, asOf, params: P });
    expect(r.eligible).toBe(false);
    if (!r.eligible) {
      expect(r.reasons.map((x) => x.code)).toEqual(['deceased', 'under_age', 'open_application']);
      expect(r.reasons[0]!.message).toContain('去世');
    }
  });
  it('a death date after the application date does not count yet', () => {
    expect(checkEligibility({ birthDate: d('1940-01-01'), deathDate: d('2026-03-02'), openApplications: 0, asOf, params: P }).eligible).toBe(true);
  });
});

describe('dates', () => {
  it('expected dates: the agency’s own deadlines, else the defaults', () => {
    expect(expectedDates(d('2026-01-25'), null, P)).toEqual({ visitBy: '2026-02-04', resultBy: '2026-02-14' });
    expect(expectedDates(d('2026-01-25'), { daysToVisit: 7, daysToResult: null }, P)).toEqual({ visitBy: '2026-02-01', resultBy: '2026-02-14' });
  });
  it('validity: two years up to the day before the anniversary; 29 February', () => {
    expect(validity(d('2026-03-01'), P)).toEqual({ validFrom: '2026-03-01', validUntil: '2028-02-29' });
    expect(validity(d('2028-02-29'), P).validUntil).toBe('2030-02-27');
  });
  it('appeal window', () => {
    expect(appealBy(d('2026-01-31'), P)).toBe('2026-03-02');
  });
  it('overdue: the visit deadline until the visit starts, then the result deadline; closed ones never', () => {
    const a = { expectedVisitBy: d('2026-01-10'), expectedResultBy: d('2026-01-20') };
    expect(isOverdue({ ...a, state: 'assigned' }, d('2026-01-10'))).toBe(false);
    expect(isOverdue({ ...a, state: 'assigned' }, d('2026-01-11'))).toBe(true);
    expect(isOverdue({ ...a, state: 'in_progress' }, d('2026-01-11'))).toBe(false);
    expect(isOverdue({ ...a, state: 'submitted' }, d('2026-01-21'))).toBe(true);
    expect(isOverdue({ ...a, state: 'completed' }, d('2026-05-01'))).toBe(false);
    expect(isOverdue({ state: 'applied', expectedVisitBy: null, expectedResultBy: null }, d('2026-05-01'))).toBe(false);
  });
});

describe('appeal', () => {
  const agencies = [{ id: 'A', active: true }, { id: 'B', active: false }, { id: 'C', active: true }];
  const original = { state: 'completed' as State, completedOn: d('2026-01-01'), agencyId: 'A' };
  it('goes to the first other active agency', () => {
    expect(planAppeal({ original, asOf: d('2026-01-31'), agencies, params: P })).toEqual({ ok: true, value: { agencyId: 'C' } });
  });
  it('refused after the window, before completion, or without another agency', () => {
    expect(planAppeal({ original, asOf: d('2026-02-01'), agencies, params: P })).toMatchObject({ ok: false, error: { code: 'ASSESSMENT_APPEAL_NOT_ALLOWED' } });
    expect(planAppeal({ original: { ...original, state: 'submitted', completedOn: null }, asOf: d('2026-01-02'), agencies, params: P }))
      .toMatchObject({ ok: false, error: { code: 'ASSESSMENT_ILLEGAL_TRANSITION', state: 'submitted' } });
    expect(planAppeal({ original, asOf: d('2026-01-02'), agencies: [{ id: 'A', active: true }], params: P })).toMatchObject({ ok: false, error: { code: 'ASSESSMENT_NO_OTHER_AGENCY' } });
  });
});

describe('progress and parameters', () => {
  it('counts answered items of the instrument', () => {
    expect(progress({ '1': 4, '3': 0, x: 1 }, ['1', '2', '3'])).toEqual({ answered: 2, total: 3, missing: ['2'] });
  });
  it('policy file: every parameter has a cited value; lookups before the first value fail', () => {
    const policy = loadWorkflowPolicy();
    for (const p of Object.values(policy.parameters)) for (const v of Object.values(p.values)) expect(v.reference.length).toBeGreaterThan(0);
    expect(workflowParams(d('2026-11-29'))).toEqual({ validityYears: 2, minAge: 60, daysToVisit: 10, daysToResult: 20, appealWindowDays: 30, expiringSoonDays: 60 });
    expect(() => workflowParams(d('2015-12-31'))).toThrow(/no value/);
  });
});
