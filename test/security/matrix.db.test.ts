// The access matrix: every role × every API endpoint × in scope / out of scope, generated from
// the app's own route table. The expected access is written here, independently of the code,
// so an endpoint without a rule here — or a permission that drifts — fails this test. On PGlite
// and, when TEST_DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/core/idnumber.ts';
import { addDays, addMonths, todayIn, type LocalDate } from '../../src/core/dates.ts';
import { newId } from '../../src/core/ids.ts';
import { ROLES, type Role } from '../../src/platform/permissions.ts';
import { usccCheckChar } from '../../src/supply/index.ts';
import { backends, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { sql } from '../../src/platform/db.ts';

type Access = 'public' | 'user' | readonly Role[];
interface Rule {
  access: Access;
  /** Does the endpoint address one person (so scope decides 404)? */
  personScoped?: boolean;
  /** Does the endpoint address one assessment (`:id` is an assessment id; scope decides 404)? */
  assessmentScoped?: boolean;
  /** The sample's in-scope person when the matrix's generic one will not do (one entitled to LTCI home care and linked to the demo citizen). */
  person?: () => string;
  /** A request that passes validation; {id} (and `:personId`) is replaced by the person id (the assessment id when assessmentScoped), in `query` too. */
  sample?: { body?: (ctx: { n: number; region: string; personId: string }) => unknown; query?: string; url?: string };
}

const STAFF_READ: Role[] = ['advisor', 'officer', 'auditor', 'admin'];
const STAFF_WRITE: Role[] = ['advisor', 'officer', 'admin'];
/** Who reads assessments: staff who apply, assess (their own), decide or oversee. */
const ASSESSMENT_READ: Role[] = ['advisor', 'assessor', 'officer', 'auditor', 'admin'];
const ALL_STAFF: Role[] = ['advisor', 'assessor', 'provider', 'caregiver', 'officer', 'insurer', 'auditor', 'admin'];
const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const FULL_ANSWERS = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [String(i + 1), 0]));

/** What-if simulations made in beforeAll: one in 浦东 (the matrix accounts' scope), one in 黄浦. */
const simulations = { in: '', out: '' };
/** 政策找人: the 浦东 demo advisor, and a visit task in 浦东 (assigned to them) and one in 黄浦. */
const outreach = { advisor: '', in: '', out: '' };
/** Payment batches of this month: one in 浦东 (computed by officer.pudong), one in 黄浦. */
const payments = { in: '', out: '' };
/** The supply registry: the demo provider's own organisation and one of its institutions (浦东), and a 黄浦 facility. */
const supply = { provider: '', facility: '', out: '' };
const SUPPLY_MANAGE: Role[] = ['provider', 'officer', 'admin'];
const SUPPLY_READ: Role[] = ['advisor', 'provider', 'officer', 'auditor', 'admin'];
const SUPPLY_PLAN: Role[] = ['officer', 'auditor', 'admin'];
/** The waiting list: an application of a 浦东 person linked to the demo citizen (with an offer from a city run), one of a 黄浦 person, and the run. */
const waitlist = { person: '', app: '', offer: '', run: '', outApp: '', facility: '' };
const WAITLIST_APPLY: Role[] = ['citizen', 'advisor', 'officer', 'admin'];
const WAITLIST_VIEW: Role[] = ['citizen', 'advisor', 'officer', 'auditor', 'admin'];
/** Dates of the care and meals samples (set in beforeAll from the real clock, in Shanghai). */
const dates = { today: '', tomorrow: '', weekAgo: '', week: '', mealDay: '', cancelDay: '', claimMonth: '', sampleMonth: '' };
/**
 * Care delivery (issue 8): the demo provider (`provider`) and a 黄浦 provider (`outProvider`); a caregiver of the demo
 * provider linked to the `caregiver` account, and one of the 黄浦 provider; a 浦东 person entitled to LTCI home care and
 * linked to the demo citizen (`person`); plans of that person — a draft to edit, one to confirm, one to end, and one
 * confirmed; a future self-paid order (to assign) and a finished visit on another (done through the caregiver's sync);
 * a call-back of that visit; the demo provider's claim of a past month with one LTCI line (`claimLine`), and the 黄浦
 * provider's claim of the same month.
 */
const care = {
  provider: '', outProvider: '', caregiver: '', outCaregiver: '', person: '', draft: '', toConfirm: '', toEnd: '', confirmed: '',
  order: '', visit: '', callback: '', claim: '', claimLine: '', outClaim: '', slots: [] as unknown[],
};
const CARE_REGISTER: Role[] = ['provider', 'officer', 'insurer', 'auditor', 'admin'];
/** care.caregivers.manage, care.manage and care.claims.submit: the provider (its own), officers in scope. */
const CARE_MANAGE: Role[] = ['provider', 'officer', 'admin'];
const CARE_READ: Role[] = ['citizen', 'advisor', 'provider', 'officer', 'insurer', 'auditor', 'admin'];
const CARE_CONFIRM: Role[] = ['citizen', 'advisor', 'officer', 'admin'];
const CARE_VERIFY: Role[] = ['advisor', 'officer', 'insurer', 'admin'];
const CLAIMS_READ: Role[] = ['provider', 'officer', 'insurer', 'auditor', 'admin'];
/** The insurer alone reviews claims (separation of duties: the platform's admin can build and appeal, not decide). */
const CLAIMS_REVIEW: Role[] = ['insurer'];
const carePlanBody = () => ({ items: ['L01'], slots: care.slots, validFrom: dates.today });
const careOrderBody = (personId: string, startsAt: number) => ({
  personId, providerId: care.provider, kind: '助浴', items: ['助浴'], startsAt: new Date(startsAt).toISOString(), minutes: 60, priceFenPerHour: 6000,
});
/**
 * Community meals (issue 8 §7): a 浦东 meal point of the demo provider (with, when the demo has one, today's open order
 * to serve), an order of the in-scope person (linked to the demo citizen) to cancel, and a 黄浦 point of another provider.
 */
const meals = { point: '', serve: '', order: '', outPoint: '' };
const MEALS_ORDER: Role[] = ['citizen', 'advisor', 'officer', 'admin'];
const MEALS_MANAGE: Role[] = ['provider', 'officer', 'admin'];
const MEALS_COUNTS: Role[] = ['officer', 'auditor', 'admin'];
const menuBody = () => ({ dishes: [{ name: '青菜豆腐' }, { name: '番茄蛋汤' }], priceFen: 1500, delivery: true, deliveryFeeFen: 300 });
const facilityBody = () => ({
  name: '矩阵测试养老院', typeCode: 'care_home', ownership: 'market', regionCode: '310115004', address: '矩阵路 1 号', lon: 121.53, lat: 31.22, phone: '021-50000000',
});

/** The expected access table. Keep it in step with the product's intent, not with the code. */
const RULES: Record<string, Rule> = {
  'GET /api/v1/health': { access: 'public' },
  'GET /api/v1/openapi.json': { access: 'public' },
  'GET /api/v1/jurisdiction': { access: 'public' },
  'GET /api/v1/regions': { access: 'public' },
  'GET /api/v1/regions/:code': { access: 'public', sample: { query: '' } },
  'POST /api/v1/auth/login': { access: 'public', sample: { body: () => ({ username: 'citizen', password: 'Yiyang-demo-2026', client: 'api' }) } },
  'POST /api/v1/auth/logout': { access: 'user' },
  'GET /api/v1/auth/me': { access: 'user' },
  'GET /api/v1/audit': { access: ['auditor', 'admin'] },
  'GET /api/v1/audit/verify': { access: ['auditor', 'admin'] },
  'GET /api/v1/users': { access: ['admin'] },
  'POST /api/v1/users': { access: ['admin'], sample: { body: ({ n }) => ({ username: `matrix.${n}`, displayName: '矩阵', role: 'advisor', regionCode: '310115', password: 'a-long-password-1' }) } },
  'GET /api/v1/people': { access: STAFF_READ },
  'POST /api/v1/people': { access: STAFF_WRITE, sample: { body: ({ n, region }) => ({ name: '矩阵老人', idNumber: makeIdNumber(region.slice(0, 6), '1950-01-01' as LocalDate, n % 500, 'F'), regionCode: region }) } },
  'GET /api/v1/people/import/template.csv': { access: ['officer', 'admin'] },
  'POST /api/v1/people/import': { access: ['officer', 'admin'] },
  'GET /api/v1/people/export': { access: ['officer', 'auditor', 'admin'] },
  'GET /api/v1/people/:id': { access: STAFF_READ, personScoped: true },
  // issue 5: entitlements
  'POST /api/v1/entitlements/check': { access: 'public', sample: { body: () => ({ birthDate: '1950-01-01', hukouDistrict: '310115' }) } },
  'GET /api/v1/entitlements/parameters': { access: 'public' },
  'GET /api/v1/people/:id/entitlements': { access: STAFF_READ, personScoped: true },
  'POST /api/v1/entitlements/simulations': { access: ['officer', 'admin'], sample: { body: ({ n }) => ({ name: `矩阵测算 ${n}`, changes: [{ scheme: 'allowance', name: 'minAge', value: 66 }] }) } },
  'GET /api/v1/entitlements/simulations': { access: ['officer', 'admin'] },
  'GET /api/v1/people/:id/vouchers': { access: STAFF_READ, personScoped: true },
  'GET /api/v1/me/vouchers': { access: 'user' },
  'POST /api/v1/vouchers/redeem': { access: ['provider'], personScoped: true, sample: { body: ({ n, personId }) => ({ personId, amountFen: 1, service: '矩阵测试', requestKey: `matrix-key-${n}` }) } },
  'GET /api/v1/vouchers/statement': { access: ['provider'] },
  'GET /api/v1/vouchers/settlements': { access: ['officer', 'admin'] },
  'POST /api/v1/entitlements/payments': { access: ['officer', 'admin'], sample: { body: () => ({ scheme: 'allowance', districtCode: '310115', month: new Date().toISOString().slice(0, 7) }) } },
  'GET /api/v1/entitlements/payments': { access: ['officer', 'admin'] },
  'GET /api/v1/entitlements/payments/:id': { access: ['officer', 'admin'], sample: { get url() { return `/api/v1/entitlements/payments/${payments.in}`; } } },
  'POST /api/v1/entitlements/payments/:id/approve': { access: ['officer', 'admin'], sample: { get url() { return `/api/v1/entitlements/payments/${payments.in}/approve`; } } },
  'POST /api/v1/entitlements/payments/:id/export': { access: ['officer', 'admin'], sample: { get url() { return `/api/v1/entitlements/payments/${payments.in}/export`; }, query: 'format=csv' } },
  'POST /api/v1/entitlements/payments/:id/reconcile': { access: ['officer', 'admin'], sample: { get url() { return `/api/v1/entitlements/payments/${payments.in}/reconcile`; }, body: () => ({ returned: [] }) } },
  'GET /api/v1/entitlements/unclaimed': { access: ['officer', 'admin'], sample: { query: 'scheme=allowance' } },
  'POST /api/v1/entitlements/grants/bulk': { access: ['officer', 'admin'], sample: { body: ({ personId }) => ({ scheme: 'allowance', personIds: [personId] }) } },
  'GET /api/v1/entitlements/advisors': { access: ['officer', 'admin'] },
  'POST /api/v1/entitlements/outreach': { access: ['officer', 'admin'], sample: { body: ({ personId }) => ({ scheme: 'ltci', personIds: [personId], advisorId: outreach.advisor }) } },
  'GET /api/v1/entitlements/outreach': { access: STAFF_READ },
  'POST /api/v1/entitlements/outreach/:id/close': { access: STAFF_WRITE, sample: { get url() { return `/api/v1/entitlements/outreach/${outreach.in}/close`; }, body: () => ({ status: 'done', note: '已上门' }) } },
  'POST /api/v1/people/:id/grants': { access: STAFF_WRITE, personScoped: true, sample: { body: () => ({ scheme: 'ltci', status: 'applied' }) } },
  'GET /api/v1/people/:id/grants': { access: STAFF_READ, personScoped: true },
  'GET /api/v1/entitlements/simulations/:id': { access: ['officer', 'admin'], sample: { get url() { return `/api/v1/entitlements/simulations/${simulations.in}`; } } },
  'PATCH /api/v1/people/:id': { access: STAFF_WRITE, personScoped: true, sample: { body: () => ({ version: 999, address: '矩阵路 1 号' }) } },
  'DELETE /api/v1/people/:id': { access: ['officer', 'admin'], personScoped: true, sample: { body: () => ({ version: 999, reason: '矩阵测试' }) } },
  'GET /api/v1/people/:id/history': { access: STAFF_READ, personScoped: true },
  'POST /api/v1/people/:id/reveal': { access: ['officer', 'admin'], personScoped: true, sample: { body: () => ({ purpose: '矩阵测试' }) } },
  'GET /api/v1/people/:id/notifications': { access: STAFF_READ, personScoped: true },
  'POST /api/v1/people/:id/consents': { access: STAFF_WRITE, personScoped: true, sample: { body: () => ({ kind: 'data_sharing', granted: true }) } },
  'GET /api/v1/people/:id/links': { access: STAFF_READ, personScoped: true },
  // The in-scope person is the demo citizen's 本人 (the demo seed links them): the existing link answers 200, nothing is written.
  'POST /api/v1/people/:id/links': { access: STAFF_WRITE, personScoped: true, sample: { body: () => ({ username: 'citizen', relation: 'self' }) } },
  // Access only (the sample's `:userId` is not an id, so an allowed role gets 400); scope and removal: src/people/people.db.test.ts.
  'DELETE /api/v1/people/:id/links/:userId': { access: STAFF_WRITE },
  'POST /api/v1/assessments': { access: STAFF_WRITE, sample: { body: ({ personId }) => ({ personId, reason: 'first', channel: 'centre', applicant: 'advisor' }) } },
  'GET /api/v1/assessments': { access: ASSESSMENT_READ },
  'GET /api/v1/assessments/overdue': { access: ['advisor', 'officer', 'auditor', 'admin'] },
  'GET /api/v1/assessments/expiring': { access: ['advisor', 'officer', 'auditor', 'admin'], sample: { query: 'days=60' } },
  'GET /api/v1/assessments/quality': { access: ['advisor', 'officer', 'auditor', 'admin'], sample: { query: 'from=2026-01-01&to=2026-11-29' } },
  'GET /api/v1/assessments/agencies': { access: ASSESSMENT_READ },
  'GET /api/v1/assessments/keys': { access: 'public' },
  'POST /api/v1/assessments/verify': { access: 'public', sample: { body: () => ({ format: 'yiyang.assessment-result/1', payload: {}, signature: {} }) } },
  'POST /api/v1/assessments/score': { access: ALL_STAFF, sample: { body: ({ n }) => ({ id: `m${n}`, answers: FULL_ANSWERS }) } },
  'GET /api/v1/instruments/:id': { access: 'public', sample: { url: '/api/v1/instruments/gbt42195-2022' } },
  'GET /api/v1/assessments/:id': { access: ASSESSMENT_READ, assessmentScoped: true },
  'POST /api/v1/assessments/:id/assign': { access: ['officer', 'admin'], assessmentScoped: true, sample: { body: ({ n }) => ({ agencyId: uuidOf(n), assessorIds: [uuidOf(n + 1), uuidOf(n + 2)] }) } },
  'PUT /api/v1/assessments/:id/answers': { access: ['assessor'], assessmentScoped: true, sample: { body: ({ n }) => ({ opId: uuidOf(n), answers: { '1': 0 } }) } },
  'POST /api/v1/assessments/:id/submit': { access: ['assessor'], assessmentScoped: true, sample: { body: () => ({}) } },
  'POST /api/v1/assessments/:id/countersign': { access: ['assessor'], assessmentScoped: true, sample: { body: () => ({}) } },
  'POST /api/v1/assessments/:id/appeal': { access: STAFF_WRITE, assessmentScoped: true, sample: { body: () => ({ channel: 'centre', applicant: 'family' }) } },
  // the printable report: read like the assessment (the in-scope sample is not completed yet → 409, never 401/403/404)
  'GET /api/v1/assessments/:id/report.pdf': { access: ASSESSMENT_READ, assessmentScoped: true },
  // Shanghai care grades: officers import agencies' signed records; assessment readers read a person's history
  // (an assessor only people assigned to them: the in-scope sample person is)
  'POST /api/v1/care-grades': { access: ['officer', 'admin'], sample: { body: () => ({ records: [{}] }) } },
  'POST /api/v1/care-grades/import': { access: ['officer', 'admin'] },
  'GET /api/v1/care-grades': { access: ASSESSMENT_READ, personScoped: true, sample: { query: 'personId={id}' } },
  // issue 4: closing an application — 不予受理 by officers, 撤销 by those who apply; a stale version (999) keeps the
  // shared in-scope sample open (409), so the rules after these still see it assigned
  'POST /api/v1/assessments/:id/reject': { access: ['officer', 'admin'], assessmentScoped: true, sample: { body: () => ({ reason: '矩阵测试', version: 999 }) } },
  'POST /api/v1/assessments/:id/cancel': { access: STAFF_WRITE, assessmentScoped: true, sample: { body: () => ({ reason: '矩阵测试', version: 999 }) } },
  // issue 4: the officer's care-grade list (scope filters the rows; an assessor has no district-wide list)
  'GET /api/v1/care-grades/records': { access: ['advisor', 'officer', 'auditor', 'admin'], sample: { query: 'q={id}' } },
  // issue 6: the public 找服务 portal (a phone number gets at most a few texts an hour: later calls say 429, never 401/403)
  'GET /api/v1/services/catalogue': { access: 'public' },
  'GET /api/v1/services/outlines': { access: 'public' },
  'GET /api/v1/services/places': { access: 'public', sample: { query: 'q=潍坊' } },
  'GET /api/v1/services/search': { access: 'public', sample: { query: 'region=310115&vacancy=true' } },
  'GET /api/v1/services/facilities/:id': { access: 'public', sample: { get url() { return `/api/v1/services/facilities/${supply.facility}`; } } },
  'GET /api/v1/services/facilities/:id/own-share': { access: 'public', sample: { get url() { return `/api/v1/services/facilities/${supply.facility}/own-share`; }, query: 'grade=3&insurance=employee' } },
  'POST /api/v1/services/share': { access: 'public', sample: { body: () => ({ facilityIds: [supply.facility], phone: '13800138000' }) } },
  'GET /api/v1/services/proxy': { access: ['advisor', 'citizen'], sample: { query: 'personId={id}' } },
  // issue 6: the registry — a provider manages its own, officers their scope (the sample is the demo provider's own institution)
  'GET /api/v1/supply/mine': { access: SUPPLY_MANAGE },
  'POST /api/v1/supply/providers': { access: SUPPLY_MANAGE, sample: { body: ({ n }) => { const body = `5231011500${String(n).padStart(7, '0')}`; return { name: `矩阵机构 ${n}`, uscc: body + usccCheckChar(body), legalRepresentative: '矩阵', kind: 'social_org', phone: '021-50000000' }; } } },
  'GET /api/v1/supply/providers': { access: SUPPLY_READ },
  'PUT /api/v1/supply/providers/:id': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/providers/${supply.provider}`; }, body: () => ({ name: '上海颐康养老服务有限公司（浦东新区）', legalRepresentative: '王建国', kind: 'enterprise', phone: '021-50000001' }) } },
  'POST /api/v1/supply/providers/:id/:action': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/providers/${supply.provider}/submit`; }, body: () => ({}) } },
  'GET /api/v1/supply/facilities': { access: SUPPLY_READ },
  'POST /api/v1/supply/facilities': { access: SUPPLY_MANAGE, sample: { body: () => ({ ...facilityBody(), providerId: supply.provider }) } },
  'GET /api/v1/supply/facilities/:id': { access: SUPPLY_READ, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}`; } } },
  'PUT /api/v1/supply/facilities/:id': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}`; }, body: () => ({ ...facilityBody(), name: '矩阵改名养老院' }) } },
  'POST /api/v1/supply/facilities/:id/:action': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}/submit`; }, body: () => ({}) } },
  'POST /api/v1/supply/facilities/:id/rooms': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}/rooms`; }, body: ({ n }) => ({ name: `M${n}`, beds: [{ kind: 'nursing' }] }) } },
  'PATCH /api/v1/supply/facilities/:id/beds': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}/beds`; }, body: () => ({ changes: [] }) } },
  'POST /api/v1/supply/facilities/:id/vacancy/confirm': { access: SUPPLY_MANAGE, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}/vacancy/confirm`; } } },
  'GET /api/v1/supply/facilities/:id/bed-history': { access: SUPPLY_READ, sample: { get url() { return `/api/v1/supply/facilities/${supply.facility}/bed-history`; } } },
  'GET /api/v1/supply/changes': { access: SUPPLY_READ },
  'GET /api/v1/supply/review': { access: ['officer', 'admin'] },
  'GET /api/v1/supply/planning': { access: SUPPLY_PLAN, sample: { query: 'district=310115' } },
  'POST /api/v1/supply/population': { access: ['officer', 'admin'], sample: { body: () => ({ rows: [{ regionCode: '310115004', year: 2026, registered60: 25000, registered65: 20000, resident: 120000, source: '矩阵测试' }] }) } },
  'GET /api/v1/supply/coverage': { access: SUPPLY_PLAN, sample: { query: 'district=310115&function=dine_in' } },
  'POST /api/v1/supply/siting': { access: SUPPLY_PLAN, sample: { body: () => ({ district: '310115', function: 'dine_in', k: 2 }) } },
  'GET /api/v1/supply/networks': { access: SUPPLY_PLAN },
  'GET /api/v1/waitlist/rules': { access: 'public' },
  'GET /api/v1/waitlist/facilities': { access: 'public' },
  'POST /api/v1/waitlist/applications': { access: WAITLIST_APPLY, sample: { body: () => ({ personId: waitlist.person, mode: 'choices', choices: [waitlist.facility] }) } },
  'GET /api/v1/waitlist/applications': { access: STAFF_READ },
  'GET /api/v1/waitlist/mine': { access: WAITLIST_APPLY },
  'GET /api/v1/waitlist/applications/:id': { access: WAITLIST_VIEW, sample: { get url() { return `/api/v1/waitlist/applications/${waitlist.app}`; } } },
  'PUT /api/v1/waitlist/applications/:id': { access: WAITLIST_APPLY, sample: { get url() { return `/api/v1/waitlist/applications/${waitlist.app}`; }, body: () => ({ mode: 'choices', choices: [waitlist.facility] }) } },
  'POST /api/v1/waitlist/applications/:id/pause': { access: WAITLIST_APPLY, sample: { get url() { return `/api/v1/waitlist/applications/${waitlist.app}/pause`; }, body: () => ({ reason: '住院' }) } },
  'POST /api/v1/waitlist/applications/:id/resume': { access: WAITLIST_APPLY, sample: { get url() { return `/api/v1/waitlist/applications/${waitlist.app}/resume`; } } },
  'POST /api/v1/waitlist/applications/:id/withdraw': { access: WAITLIST_APPLY, sample: { get url() { return `/api/v1/waitlist/applications/${waitlist.app}/withdraw`; }, body: () => ({ reason: '矩阵' }) } },
  'POST /api/v1/waitlist/offers/:id/accept': { access: WAITLIST_APPLY, sample: { get url() { return `/api/v1/waitlist/offers/${waitlist.offer}/accept`; } } },
  'POST /api/v1/waitlist/offers/:id/decline': { access: WAITLIST_APPLY, sample: { get url() { return `/api/v1/waitlist/offers/${waitlist.offer}/decline`; }, body: () => ({ reason: '矩阵' }) } },
  'GET /api/v1/waitlist/overview': { access: STAFF_READ },
  'GET /api/v1/waitlist/report': { access: STAFF_READ },
  'POST /api/v1/waitlist/simulations': { access: ['officer', 'admin'], sample: { body: () => ({ order: ['tier', 'points', 'appliedAt'], points: [{ fact: 'livingAlone', points: 1, label: '独居' }] }) } },
  'POST /api/v1/waitlist/runs': { access: ['officer', 'admin'], sample: { body: () => ({ dryRun: true }) } },
  'GET /api/v1/waitlist/runs/:id': { access: STAFF_READ, sample: { get url() { return `/api/v1/waitlist/runs/${waitlist.run}`; } } },
  'GET /api/v1/messages': { access: ['officer', 'auditor', 'admin'] },
  // issue 8: care delivery — the caregiver register (officers, the insurer and auditors search it in scope; a provider its own staff)
  'GET /api/v1/care/caregivers': { access: CARE_REGISTER },
  'GET /api/v1/care/caregivers/stats': { access: CARE_REGISTER },
  'POST /api/v1/care/caregivers': { access: CARE_MANAGE, sample: { body: ({ n }) => ({ providerId: care.provider, name: '矩阵护理员', idNumber: makeIdNumber('310115', '1980-01-01' as LocalDate, n % 500, 'F'), kind: 'caregiver' }) } },
  'GET /api/v1/care/caregivers/:id': { access: CARE_REGISTER, sample: { get url() { return `/api/v1/care/caregivers/${care.caregiver}`; } } },
  'PATCH /api/v1/care/caregivers/:id': { access: CARE_MANAGE, sample: { get url() { return `/api/v1/care/caregivers/${care.caregiver}`; }, body: () => ({ trainingHours: 120 }) } },
  'POST /api/v1/care/caregivers/:id/account': { access: CARE_MANAGE, sample: { get url() { return `/api/v1/care/caregivers/${care.caregiver}/account`; }, body: () => ({ username: 'caregiver' }) } },
  // plans and orders: the family of a linked person, staff in scope, a provider its own; the family (or an advisor or officer for them) confirms
  'GET /api/v1/care/entitlement/:personId': { access: CARE_READ, personScoped: true, person: () => care.person },
  'GET /api/v1/care/plans': { access: CARE_READ },
  'POST /api/v1/care/plans': { access: CARE_MANAGE, personScoped: true, person: () => care.person, sample: { body: ({ personId }) => ({ personId, providerId: care.provider, ...carePlanBody() }) } },
  'GET /api/v1/care/plans/:id': { access: CARE_READ, sample: { get url() { return `/api/v1/care/plans/${care.confirmed}`; } } },
  'PUT /api/v1/care/plans/:id': { access: CARE_MANAGE, sample: { get url() { return `/api/v1/care/plans/${care.draft}`; }, body: () => carePlanBody() } },
  // the first to confirm (the family) makes it confirmed; the others then get 409
  'POST /api/v1/care/plans/:id/confirm': { access: CARE_CONFIRM, sample: { get url() { return `/api/v1/care/plans/${care.toConfirm}/confirm`; } } },
  'POST /api/v1/care/plans/:id/end': { access: CARE_MANAGE, sample: { get url() { return `/api/v1/care/plans/${care.toEnd}/end`; }, body: () => ({ reason: '矩阵测试' }) } },
  'GET /api/v1/care/orders': { access: CARE_READ, sample: { get query() { return `from=${dates.today}&to=${dates.week}`; } } },
  'POST /api/v1/care/orders': { access: CARE_MANAGE, personScoped: true, person: () => care.person, sample: { body: ({ personId }) => careOrderBody(personId, Date.now() + 3 * 86_400_000) } },
  'POST /api/v1/care/orders/assign': { access: CARE_MANAGE, sample: { body: () => ({ items: [{ orderId: care.order, caregiverId: care.caregiver }] }) } },
  'POST /api/v1/care/orders/schedule': { access: CARE_MANAGE, sample: { body: () => ({ date: dates.tomorrow, providerId: care.provider }) } },
  // the caregiver's phone
  'GET /api/v1/care/my/day': { access: ['caregiver'] },
  'POST /api/v1/care/sync': { access: ['caregiver'], sample: { body: () => ({ deviceId: 'matrix-phone', ops: [] }) } },
  'POST /api/v1/care/visits/:id/photos': { access: ['caregiver'], sample: { get url() { return `/api/v1/care/visits/${care.visit}/photos`; }, body: () => ({ id: newId(), mime: 'image/png', dataBase64: 'iVBORw0KGgo=', takenAt: new Date().toISOString() }) } },
  // visits, the family's rating and the elder's code, the home tag, the evidence (hospital stays, call-backs)
  'GET /api/v1/care/visits': { access: CARE_READ, sample: { get query() { return `from=${dates.weekAgo}&to=${dates.today}`; } } },
  'POST /api/v1/care/visits/:id/rating': { access: ['citizen'], sample: { get url() { return `/api/v1/care/visits/${care.visit}/rating`; }, body: () => ({ stars: 5, comment: '矩阵测试' }) } },
  'GET /api/v1/care/elder-code/:personId': { access: ['citizen'], personScoped: true, person: () => care.person },
  'GET /api/v1/care/home-tag/:personId': { access: CARE_MANAGE, personScoped: true, person: () => care.person },
  'POST /api/v1/care/absences': { access: CARE_VERIFY, personScoped: true, person: () => care.person, sample: { body: ({ personId }) => ({ personId, from: dates.weekAgo, to: dates.weekAgo, source: '矩阵测试' }) } },
  'POST /api/v1/care/callbacks/draw': { access: CARE_VERIFY, sample: { body: () => ({ from: dates.weekAgo, to: dates.today, seed: 1 }) } },
  'GET /api/v1/care/callbacks': { access: [...CARE_VERIFY, 'auditor'] },
  'POST /api/v1/care/callbacks/:id': { access: CARE_VERIFY, sample: { get url() { return `/api/v1/care/callbacks/${care.callback}`; }, body: () => ({ outcome: 'confirmed', answer: '矩阵测试' }) } },
  // the monthly LTCI claim: the provider builds its own and appeals; the insurer reviews. The insurer decides the
  // one line (rejected) and finishes; then the provider's side (admin) may appeal it and the insurer's side (admin) decide.
  'GET /api/v1/care/claims': { access: CLAIMS_READ },
  'POST /api/v1/care/claims': { access: CARE_MANAGE, sample: { body: () => ({ providerId: care.provider, month: dates.sampleMonth }) } },
  'GET /api/v1/care/claims/:id': { access: CLAIMS_READ, sample: { get url() { return `/api/v1/care/claims/${care.claim}`; } } },
  'POST /api/v1/care/claims/:id/decisions': { access: CLAIMS_REVIEW, sample: { get url() { return `/api/v1/care/claims/${care.claim}/decisions`; }, body: () => ({ items: [{ visitId: care.claimLine, decision: 'rejected', reason: '矩阵测试' }] }) } },
  'POST /api/v1/care/claims/:id/finish': { access: CLAIMS_REVIEW, sample: { get url() { return `/api/v1/care/claims/${care.claim}/finish`; } } },
  'POST /api/v1/care/claims/:id/appeals': { access: CARE_MANAGE, sample: { get url() { return `/api/v1/care/claims/${care.claim}/appeals`; }, body: () => ({ visitId: care.claimLine, text: '矩阵测试' }) } },
  'POST /api/v1/care/claims/:id/appeals/decide': { access: CLAIMS_REVIEW, sample: { get url() { return `/api/v1/care/claims/${care.claim}/appeals/decide`; }, body: () => ({ visitId: care.claimLine, decision: 'upheld', note: '矩阵测试' }) } },
  'GET /api/v1/care/claims/:id/export': { access: CLAIMS_READ, sample: { get url() { return `/api/v1/care/claims/${care.claim}/export`; } } },
  // issue 8 §7: community meals — the rules and points are public; families (for linked people) and staff in scope order;
  // the point's provider and officers in scope run the point; officers and auditors count the meals served
  'GET /api/v1/meals/rules': { access: 'public' },
  'GET /api/v1/meals/points': { access: 'public', sample: { query: 'region=310115' } },
  'GET /api/v1/meals/points/:id': { access: 'public', sample: { get url() { return `/api/v1/meals/points/${meals.point}`; } } },
  'POST /api/v1/meals/quote': { access: MEALS_ORDER, personScoped: true, sample: { body: ({ personId }) => ({ personId, facilityId: meals.point, date: dates.mealDay, meal: 'lunch', mode: 'dine_in' }) } },
  // the first order (the family's) is placed; the others then get 409 (already ordered)
  'POST /api/v1/meals/orders': { access: MEALS_ORDER, personScoped: true, sample: { body: ({ personId }) => ({ personId, facilityId: meals.point, date: dates.mealDay, meal: 'lunch', mode: 'dine_in' }) } },
  'GET /api/v1/meals/orders': { access: MEALS_ORDER, personScoped: true, sample: { query: 'personId={id}' } },
  'GET /api/v1/meals/mine': { access: MEALS_ORDER },
  'POST /api/v1/meals/orders/:id/cancel': { access: MEALS_ORDER, sample: { get url() { return `/api/v1/meals/orders/${meals.order}/cancel`; }, body: () => ({ reason: '矩阵测试' }) } },
  'POST /api/v1/meals/orders/:id/serve': { access: MEALS_MANAGE, sample: { get url() { return `/api/v1/meals/orders/${meals.serve}/serve`; } } },
  'GET /api/v1/meals/manage/points': { access: MEALS_MANAGE },
  'PUT /api/v1/meals/points/:id/menus/:date/:meal': { access: MEALS_MANAGE, sample: { get url() { return `/api/v1/meals/points/${meals.point}/menus/${dates.mealDay}/lunch`; }, body: menuBody } },
  'GET /api/v1/meals/points/:id/day': { access: MEALS_MANAGE, sample: { get url() { return `/api/v1/meals/points/${meals.point}/day`; }, get query() { return `date=${dates.today}`; } } },
  'POST /api/v1/meals/points/:id/delivery-sheet': { access: MEALS_MANAGE, sample: { get url() { return `/api/v1/meals/points/${meals.point}/delivery-sheet`; }, body: () => ({ date: dates.today, purpose: '矩阵测试' }) } },
  'GET /api/v1/meals/daily-counts': { access: MEALS_COUNTS, sample: { get query() { return `from=${dates.weekAgo}&to=${dates.today}`; } } },
};

/** File uploads (raw body, `?fileName=m.csv`): a header-only CSV of each. */
const UPLOADS: Record<string, string> = {
  'POST /api/v1/people/import': '姓名,身份证号,居住街道\r\n',
  'POST /api/v1/care-grades/import': '老人编号,照护等级,评估机构代码,评估日期,有效期至,密钥编号,签名\r\n',
};

const allowed = (a: Access, role: Role): boolean => a === 'public' || a === 'user' || a.includes(role);

/** One account per role, all scoped to 浦东新区 (310115) or below, so 黄浦 is out of scope for each. */
const ACCOUNTS: Record<Role, string> = {
  citizen: 'citizen', advisor: 'advisor', assessor: 'assessor', provider: 'provider', caregiver: 'caregiver',
  officer: 'officer.pudong', insurer: 'matrix.insurer', auditor: 'matrix.auditor', admin: 'matrix.admin',
};

for (const backend of backends()) {
  describe(`role × endpoint × scope matrix (${backend})`, () => {
    let p: TestPlatform;
    let inScope: string;
    let outOfScope: string;
    /** Assessments: one in 浦东 assigned to the demo assessors, one in 黄浦. */
    let assessmentIn: string;
    let assessmentOut: string;
    const tokens = new Map<Role, string>();
    let n = 0;

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300, supply: true });
      // district-scoped accounts for the roles whose demo account is city-wide
      const { upsertUser } = await import('../../src/platform/auth.ts');
      for (const role of ['insurer', 'auditor', 'admin'] as const) {
        await upsertUser(p.ctx.db, { username: `matrix.${role}`, displayName: role, role, regionCode: '310115', password: 'Yiyang-demo-2026' });
      }
      for (const r of ROLES) tokens.set(r, await p.token(ACCOUNTS[r]));
      const admin = await p.token('admin');
      const list = async (district: string) =>
        ((await p.app.inject({ method: 'GET', url: `/api/v1/people?districtCode=${district}&limit=1`, headers: { authorization: `Bearer ${admin}` } })).json() as { items: { id: string }[] }).items[0]!.id;
      inScope = await list('310115');
      outOfScope = await list('310101');
      const as = async (method: string, url: string, payload: object) =>
        (await p.app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${admin}` }, payload })).json() as Record<string, unknown>;
      const apply = async (personId: string) => (await as('POST', '/api/v1/assessments', { personId, reason: 'first', channel: 'centre', applicant: 'advisor' })).id as string;
      assessmentIn = await apply(inScope);
      assessmentOut = await apply(outOfScope);
      const agencies = ((await p.app.inject({ method: 'GET', url: '/api/v1/assessments/agencies', headers: { authorization: `Bearer ${admin}` } })).json() as { items: { id: string; code: string; assessors: string[] }[] }).items;
      const a = agencies.find((x) => x.code === '310115-A')!;
      const me = async (u: string) => ((await p.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${await p.token(u)}` } })).json() as { user: { id: string } }).user.id;
      const assigned = await as('POST', `/api/v1/assessments/${assessmentIn}/assign`, { agencyId: a.id, assessorIds: [await me('assessor'), await me('assessor2')] });
      expect(assigned.state).toBe('assigned');
      const simulate = async (u: string) =>
        ((await p.app.inject({ method: 'POST', url: '/api/v1/entitlements/simulations', headers: { authorization: `Bearer ${await p.token(u)}` }, payload: { name: '矩阵', changes: [{ scheme: 'allowance', name: 'minAge', value: 66 }] } })).json() as { id: string }).id;
      simulations.in = await simulate('officer.pudong');
      simulations.out = await simulate('officer.huangpu');
      // Stored entitlements for everyone (the serve command's first sweep), then one visit task per district.
      const { startEntitlementSweeps } = await import('../../src/app.ts');
      await startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 }).done;
      await upsertUser(p.ctx.db, { username: 'matrix.advisor.huangpu', displayName: '黄浦顾问', role: 'advisor', regionCode: '310101', password: 'Yiyang-demo-2026' });
      const advisorsOf = async (u: string) =>
        ((await p.app.inject({ method: 'GET', url: '/api/v1/entitlements/advisors', headers: { authorization: `Bearer ${await p.token(u)}` } })).json() as { items: { id: string; username: string }[] }).items;
      outreach.advisor = (await advisorsOf('officer.pudong')).find((a) => a.username === 'advisor')!.id;
      const task = async (u: string, personId: string, advisorId: string) => {
        const t = await p.token(u);
        await p.app.inject({ method: 'POST', url: '/api/v1/entitlements/outreach', headers: { authorization: `Bearer ${t}` }, payload: { scheme: 'serviceSubsidy', personIds: [personId], advisorId } });
        return ((await p.app.inject({ method: 'GET', url: '/api/v1/entitlements/outreach?status=assigned', headers: { authorization: `Bearer ${t}` } })).json() as { items: { id: string; personId: string }[] }).items.find((x) => x.personId === personId)!.id;
      };
      outreach.in = await task('officer.pudong', inScope, outreach.advisor);
      outreach.out = await task('officer.huangpu', outOfScope, (await advisorsOf('officer.huangpu')).find((a) => a.username === 'matrix.advisor.huangpu')!.id);
      const run = async (u: string, districtCode: string) =>
        ((await p.app.inject({ method: 'POST', url: '/api/v1/entitlements/payments', headers: { authorization: `Bearer ${await p.token(u)}` }, payload: { scheme: 'allowance', districtCode, month: new Date().toISOString().slice(0, 7) } })).json() as { id: string }).id;
      payments.in = await run('officer.pudong', '310115');
      payments.out = await run('officer.huangpu', '310101');
      const mine = (await p.app.inject({ method: 'GET', url: '/api/v1/supply/mine', headers: { authorization: `Bearer ${await p.token('provider')}` } })).json() as { provider: { id: string }; facilities: { id: string; residential: boolean; districtCode: string }[] };
      supply.provider = mine.provider.id;
      supply.facility = mine.facilities.find((f) => f.residential && f.districtCode === '310115')!.id;
      supply.out = ((await p.app.inject({ method: 'GET', url: '/api/v1/supply/facilities?region=310101&pageSize=1', headers: { authorization: `Bearer ${await p.token('officer.huangpu')}` } })).json() as { items: { id: string }[] }).items[0]!.id;
      // The waiting list: an eligible 浦东 person linked to the demo citizen applies (by the city officer), a city run offers them a bed.
      const { waitlistService } = await import('../../src/app.ts');
      const { linkUser, userIdOf } = { ...(await import('../../src/people/index.ts')), ...(await import('../../src/platform/auth.ts')) };
      const eligibleIn = async (district: string, inside = true) => {
        const ids = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person p WHERE (district_code = ${district}) = ${inside} AND death_date IS NULL
          AND NOT EXISTS (SELECT 1 FROM waitlist.application a WHERE a.person_id = p.id AND a.status IN ('active', 'paused', 'offered')) ORDER BY id`)).map((r) => r.id);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const facts: Map<string, { eligible: boolean }> = await p.ctx.db.tx((q) => (waitlistService(p.ctx) as any).ports.people(q, ids, new Date().toISOString().slice(0, 10)), { asAppRole: false });
        return [...facts.entries()].find(([, f]) => f.eligible)![0];
      };
      waitlist.person = await eligibleIn('310115');
      await p.ctx.db.tx(async (q) => linkUser(q, (await userIdOf(q, 'citizen'))!, waitlist.person, '310115', 'family'), { asAppRole: false });
      const facilities = ((await p.app.inject({ method: 'GET', url: '/api/v1/waitlist/facilities' })).json() as { items: { id: string; districtCode: string; vacantBasicBeds: number }[] }).items;
      waitlist.facility = facilities.find((f) => f.districtCode === '310115')!.id;
      const city = await p.token('officer');
      const wl = async (method: string, url: string, payload?: object) => (await p.app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${city}` }, ...(payload ? { payload } : {}) })).json() as Record<string, unknown>;
      // Free enough of its basic beds for everyone waiting (the demo's public homes are nearly full) so the run offers one to ours.
      const waiting = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM waitlist.application WHERE status = 'active'`))!.n;
      const beds = ((await wl('GET', `/api/v1/supply/facilities/${waitlist.facility}`)).bedList as { id: string; basicGuarantee: boolean; status: string }[]).filter((b) => b.basicGuarantee && b.status === 'occupied').slice(0, waiting + 2);
      await wl('PATCH', `/api/v1/supply/facilities/${waitlist.facility}/beds`, { changes: beds.map((b) => ({ bedId: b.id, status: 'vacant' })) });
      waitlist.app = (await wl('POST', '/api/v1/waitlist/applications', { personId: waitlist.person, mode: 'choices', choices: [waitlist.facility] })).id as string;
      waitlist.outApp = (await wl('POST', '/api/v1/waitlist/applications', { personId: await eligibleIn('310115', false), mode: 'choices', choices: [waitlist.facility] })).id as string;
      waitlist.run = (await wl('POST', '/api/v1/waitlist/runs', { dryRun: false })).id as string;
      const offers = (await wl('GET', `/api/v1/waitlist/applications/${waitlist.app}`)).offers as { id: string }[];
      waitlist.offer = offers[0]!.id;
      expect(waitlist.app && waitlist.outApp && waitlist.offer).toBeTruthy();

      // Care delivery (issue 8). Dates from the real clock, in Shanghai.
      const today = todayIn(() => new Date());
      const firstOfMonth = `${today.slice(0, 7)}-01` as LocalDate;
      Object.assign(dates, {
        today, tomorrow: addDays(today, 1), weekAgo: addDays(today, -7), week: addDays(today, 7), mealDay: addDays(today, 4), cancelDay: addDays(today, 3),
        claimMonth: addMonths(firstOfMonth, -2).slice(0, 7), sampleMonth: addMonths(firstOfMonth, -3).slice(0, 7),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      type Body = Record<string, any>;
      const call = async (user: string, method: string, url: string, payload?: object, status = 200): Promise<Body> => {
        const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await p.token(user)}` }, ...(payload ? { payload } : {}) });
        expect(r.statusCode, `${user} ${method} ${url} → ${r.body.slice(0, 300)}`).toBe(status);
        return r.headers['content-type']?.toString().includes('json') ? (r.json() as Body) : {};
      };
      const { carePorts } = await import('../../src/app.ts');
      const citizen = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
      care.provider = supply.provider;
      care.outProvider = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM supply.provider WHERE region_code LIKE '310101%' ORDER BY id LIMIT 1`))!.id;
      // The demo provider registers a caregiver and links the demo caregiver account to her (the phone signs in with it).
      care.caregiver = (await call('provider', 'POST', '/api/v1/care/caregivers', {
        name: '矩阵护理员', idNumber: makeIdNumber('310115', '1979-06-15' as LocalDate, 17, 'F'), kind: 'caregiver', skillLevel: 4, qualifications: ['caregiver_cert'],
        healthCertValidTo: addDays(today, 365), backgroundCheck: 'passed', backgroundCheckedOn: addDays(today, -30),
      }, 201)).id as string;
      await call('provider', 'POST', `/api/v1/care/caregivers/${care.caregiver}/account`, { username: 'caregiver' });
      care.outCaregiver = (await call('officer', 'POST', '/api/v1/care/caregivers', { providerId: care.outProvider, name: '黄浦护理员', idNumber: makeIdNumber('310101', '1979-06-15' as LocalDate, 18, 'F'), kind: 'caregiver' }, 201)).id as string;
      // A 浦东 person entitled to LTCI home care, with a home (preferably without a demo plan), is the demo citizen's family.
      const pudong = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL AND lat IS NOT NULL ORDER BY id`)).map((r) => r.id);
      const ltci = await p.ctx.db.tx((q) => carePorts(p.ctx).ltci(q, pudong, today), { asAppRole: false });
      const planned = new Set((await p.ctx.db.rows<{ person_id: string }>(sql`SELECT person_id FROM care.plan`)).map((r) => r.person_id));
      const entitled = pudong.filter((id) => ltci.get(id)?.eligible && ltci.get(id)?.hoursPerWeek);
      care.person = entitled.find((id) => !planned.has(id)) ?? entitled[0]!;
      expect(care.person, 'an LTCI-entitled person in 浦东').toBeTruthy();
      const home = (await p.ctx.db.tx((q) => carePorts(p.ctx).people(q, '*', [care.person]), { asAppRole: false })).get(care.person)!;
      await p.ctx.db.tx((q) => linkUser(q, citizen!, care.person, '310115', 'family'), { asAppRole: false });
      // Plans: a draft to edit, one to confirm, one to end, and one the family confirms now.
      care.slots = (await call('provider', 'GET', `/api/v1/care/entitlement/${care.person}`)).proposal as unknown[];
      const draft = async () => (await call('provider', 'POST', '/api/v1/care/plans', { personId: care.person, providerId: care.provider, ...carePlanBody() }, 201)).id as string;
      care.draft = await draft();
      care.toConfirm = await draft();
      care.toEnd = await draft();
      care.confirmed = await draft();
      await call('citizen', 'POST', `/api/v1/care/plans/${care.confirmed}/confirm`);
      // Self-paid orders: one in three days (assigned by the samples), one three hours ago that the caregiver did.
      care.order = (await call('provider', 'POST', '/api/v1/care/orders', careOrderBody(care.person, Date.now() + 3 * 86_400_000), 201)).id as string;
      const done = (await call('provider', 'POST', '/api/v1/care/orders', careOrderBody(care.person, Date.now() - 3 * 3_600_000), 201)).id as string;
      await call('provider', 'POST', '/api/v1/care/orders/assign', { items: [{ orderId: care.order, caregiverId: care.caregiver }, { orderId: done, caregiverId: care.caregiver }] });
      care.visit = newId();
      const at = home.home ? { lat: home.home.lat, lon: home.home.lon, accuracy: 10 } : null;
      const synced = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'matrix-phone', ops: [
        { id: newId(), kind: 'check_in', visitId: care.visit, orderId: done, at: new Date(Date.now() - 3 * 3_600_000).toISOString(), location: at, mockLocation: false, proof: null },
        { id: newId(), kind: 'check_out', visitId: care.visit, at: new Date(Date.now() - 2 * 3_600_000).toISOString(), location: at, mockLocation: false, items: ['L01'], note: null },
      ] });
      expect(synced.results.map((r: Body) => r.status)).toEqual(['applied', 'applied']);
      // A call-back of that visit (the draw is random: make sure this one is drawn).
      await call('officer.pudong', 'POST', '/api/v1/care/callbacks/draw', { from: dates.weekAgo, to: dates.today, seed: 7 });
      await p.ctx.db.tx((q) => q.run(sql`INSERT INTO care.callback (id, visit_id, region_code, drawn_at) VALUES (${newId()}::uuid, ${care.visit}::uuid, ${home.regionCode}, now())
        ON CONFLICT (visit_id) DO NOTHING`), { asAppRole: false });
      care.callback = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM care.callback WHERE visit_id = ${care.visit}::uuid`))!.id;
      // A finished LTCI visit in a past month (as a phone synced it then), and the provider's claim of that month; the 黄浦 provider's too.
      const checkIn = Date.parse(`${dates.claimMonth}-15T01:00:00Z`);
      const ltciOrder = newId();
      care.claimLine = newId();
      await p.ctx.db.tx(async (q) => {
        const [from, to] = [new Date(checkIn).toISOString(), new Date(checkIn + 3_600_000).toISOString()];
        await q.run(sql`INSERT INTO care.visit_order (id, person_id, region_code, district_code, provider_id, payer, kind, items, starts_at, minutes, caregiver_id, status, created_at, updated_at)
          VALUES (${ltciOrder}::uuid, ${care.person}::uuid, ${home.regionCode}, ${home.districtCode}, ${care.provider}::uuid, 'ltci', 'care', '{L01}', ${from}, 60, ${care.caregiver}::uuid, 'done', ${from}, ${to})`);
        await q.run(sql`INSERT INTO care.visit (id, order_id, person_id, region_code, district_code, provider_id, caregiver_id, payer, kind, device_id, status, check_in, check_out,
            check_in_lat, check_in_lon, check_in_accuracy, check_out_lat, check_out_lon, check_out_accuracy, items, synced_at, updated_at)
          VALUES (${care.claimLine}::uuid, ${ltciOrder}::uuid, ${care.person}::uuid, ${home.regionCode}, ${home.districtCode}, ${care.provider}::uuid, ${care.caregiver}::uuid, 'ltci', 'care',
            'matrix-phone', 'done', ${from}, ${to}, ${at?.lat ?? null}, ${at?.lon ?? null}, 10, ${at?.lat ?? null}, ${at?.lon ?? null}, 10, '{L01}', ${to}, ${to})`);
      }, { asAppRole: false });
      const claim = await call('provider', 'POST', '/api/v1/care/claims', { providerId: care.provider, month: dates.claimMonth }, 201);
      care.claim = claim.id as string;
      expect((claim.lines as Body[]).map((l) => l.visitId)).toContain(care.claimLine);
      care.outClaim = (await call('officer', 'POST', '/api/v1/care/claims', { providerId: care.outProvider, month: dates.claimMonth }, 201)).id as string;
      // The 黄浦 records exist (the city officer sees them), so a 404 for 浦东 accounts is the scope's doing.
      await call('officer', 'GET', `/api/v1/care/caregivers/${care.outCaregiver}`);
      await call('officer', 'GET', `/api/v1/care/claims/${care.outClaim}`);

      // Community meals: a 浦东 point of the demo provider (one with an open order of today when the demo has one), the
      // in-scope person linked to the demo citizen, menus published, an order to cancel; a 黄浦 point of another provider.
      const own = ((await call('provider', 'GET', '/api/v1/meals/manage/points?region=310115')).items as { id: string }[]).map((x) => x.id);
      expect(own.length, 'the demo provider has meal points in 浦东').toBeGreaterThan(0);
      const open = await p.ctx.db.one<{ id: string; facility_id: string }>(sql`SELECT id, facility_id FROM care.meal_order
        WHERE facility_id = ANY(${sql.param(own)}::uuid[]) AND meal_date = ${today} AND status = 'ordered' ORDER BY id LIMIT 1`);
      meals.point = open?.facility_id ?? own[0]!;
      await p.ctx.db.tx((q) => linkUser(q, citizen!, inScope, '310115', 'family'), { asAppRole: false });
      for (const day of [dates.cancelDay, dates.mealDay]) await call('provider', 'PUT', `/api/v1/meals/points/${meals.point}/menus/${day}/lunch`, menuBody());
      meals.order = (await call('citizen', 'POST', '/api/v1/meals/orders', { personId: inScope, facilityId: meals.point, date: dates.cancelDay, meal: 'lunch', mode: 'dine_in' }, 201)).id as string;
      // Served by the first who may (the others: 409); without an open order of today, the future one (409: not the day yet).
      meals.serve = open?.id ?? meals.order;
      meals.outPoint = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM supply.facility WHERE district_code = '310101' AND status = 'approved'
        AND type_code IN ('canteen', 'meal_point', 'evening_canteen') AND provider_id <> ${care.provider}::uuid ORDER BY id LIMIT 1`))!.id;
    });
    afterAll(async () => {
      await p?.close();
    });

    it('every API route has a rule in this table, and every rule a route', () => {
      const routes = p.app.routeTable.map((r) => `${r.method} ${r.url}`);
      const missing = routes.filter((r) => !RULES[r]);
      expect(missing, 'routes without an expected-access rule').toEqual([]);
      const stale = Object.keys(RULES).filter((k) => !routes.includes(k));
      expect(stale, 'rules for routes that no longer exist').toEqual([]);
    });

    function request(key: string, token: string | null, personId: string, region: string, assessmentId = assessmentIn) {
      const [method, url] = key.split(' ') as [string, string];
      const rule = RULES[key]!;
      const path = rule.sample?.url ?? url.replace(':id', rule.assessmentScoped ? assessmentId : personId).replace(':personId', personId).replace(':code', '310115');
      const body = rule.sample?.body?.({ n: n++, region, personId });
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      const upload = UPLOADS[key];
      if (upload) headers['content-type'] = 'application/octet-stream';
      const query = rule.sample?.query?.replace('{id}', personId);
      return p.app.inject({
        method: method as 'GET',
        url: upload ? `${path}?fileName=m.csv` : query ? `${path}?${query}` : path,
        headers,
        payload: upload ? Buffer.from(upload) : (body as object | undefined),
      });
    }

    it('without a session: public endpoints answer, every other endpoint says 401', async () => {
      for (const key of Object.keys(RULES)) {
        const r = await request(key, null, inScope, '310115004');
        if (RULES[key]!.access === 'public') expect(r.statusCode, key).not.toBe(401);
        else {
          expect(r.statusCode, key).toBe(401);
          expect(r.json().error.code, key).toBe('AUTH_REQUIRED');
        }
      }
    });

    for (const role of ROLES) {
      it(`${role}: allowed endpoints answer, forbidden ones say 403, out-of-scope people are 404`, async () => {
        const token = tokens.get(role)!;
        for (const key of Object.keys(RULES)) {
          if (key === 'POST /api/v1/auth/logout') continue; // would end the session used below
          const rule = RULES[key]!;
          const r = await request(key, token, rule.person?.() ?? inScope, '310115004');
          if (!allowed(rule.access, role)) {
            expect(r.statusCode, `${role} ${key}`).toBe(403);
            continue;
          }
          expect([401, 403, 404, 500], `${role} ${key} → ${r.statusCode} ${r.body.slice(0, 200)}`).not.toContain(r.statusCode);
          if (rule.personScoped) {
            const out = await request(key, token, outOfScope, '310115004');
            expect(out.statusCode, `${role} ${key} out of scope`).toBe(404);
          }
          if (rule.assessmentScoped) {
            const out = await request(key, token, inScope, '310115004', assessmentOut);
            expect(out.statusCode, `${role} ${key} out of scope`).toBe(404);
          }
          if (key === 'POST /api/v1/entitlements/outreach/:id/close') {
            const out = await p.app.inject({ method: 'POST', url: `/api/v1/entitlements/outreach/${outreach.out}/close`, headers: { authorization: `Bearer ${token}` }, payload: { status: 'done' } });
            expect(out.statusCode, `${role} another district's visit task`).toBe(404);
          }
          if (key === 'GET /api/v1/entitlements/payments/:id') {
            const out = await p.app.inject({ method: 'GET', url: `/api/v1/entitlements/payments/${payments.out}`, headers: { authorization: `Bearer ${token}` } });
            expect(out.statusCode, `${role} another district's payment batch`).toBe(404);
          }
          if (key === 'GET /api/v1/entitlements/simulations/:id') {
            const out = await p.app.inject({ method: 'GET', url: `/api/v1/entitlements/simulations/${simulations.out}`, headers: { authorization: `Bearer ${token}` } });
            expect(out.statusCode, `${role} another district's simulation`).toBe(404);
          }
          if (key === 'GET /api/v1/supply/facilities/:id' || key === 'PATCH /api/v1/supply/facilities/:id/beds') {
            const out = await p.app.inject({ method: key.split(' ')[0] as 'GET', url: `/api/v1/supply/facilities/${supply.out}${key.endsWith('beds') ? '/beds' : ''}`, headers: { authorization: `Bearer ${token}` }, ...(key.endsWith('beds') ? { payload: { changes: [] } } : {}) });
            expect(out.statusCode, `${role} another district's facility`).toBe(404);
          }
          if (key === 'GET /api/v1/waitlist/applications/:id' || key === 'POST /api/v1/waitlist/applications/:id/pause') {
            const out = await p.app.inject({ method: key.split(' ')[0] as 'GET', url: `/api/v1/waitlist/applications/${waitlist.outApp}${key.endsWith('pause') ? '/pause' : ''}`, headers: { authorization: `Bearer ${token}` }, ...(key.endsWith('pause') ? { payload: { reason: '矩阵' } } : {}) });
            expect(out.statusCode, `${role} another district's application`).toBe(404);
          }
          if (key === 'POST /api/v1/waitlist/applications') {
            const out = await p.app.inject({ method: 'POST', url: '/api/v1/waitlist/applications', headers: { authorization: `Bearer ${token}` }, payload: { personId: outOfScope, mode: 'choices', choices: [waitlist.facility] } });
            expect(out.statusCode, `${role} apply for an out-of-scope person`).toBe(404);
          }
          const inject = (method: string, url: string, payload?: object) => p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
          if (key === 'GET /api/v1/care/caregivers/:id' || key === 'PATCH /api/v1/care/caregivers/:id' || key === 'POST /api/v1/care/caregivers/:id/account') {
            const [method, url] = key.split(' ') as [string, string];
            const out = await inject(method, url.replace(':id', care.outCaregiver), method === 'GET' ? undefined : method === 'PATCH' ? { trainingHours: 1 } : { username: 'caregiver' });
            expect(out.statusCode, `${role} ${key}: another district's caregiver`).toBe(404);
          }
          if (key === 'GET /api/v1/care/claims/:id' || key === 'GET /api/v1/care/claims/:id/export' || key === 'POST /api/v1/care/claims/:id/decisions') {
            const [method, url] = key.split(' ') as [string, string];
            const out = await inject(method, url.replace(':id', care.outClaim), method === 'GET' ? undefined : { items: [{ visitId: care.claimLine, decision: 'rejected', reason: '矩阵' }] });
            expect(out.statusCode, `${role} ${key}: another district's claim`).toBe(404);
          }
          if (key === 'GET /api/v1/meals/points/:id/day' || key === 'POST /api/v1/meals/points/:id/delivery-sheet' || key === 'PUT /api/v1/meals/points/:id/menus/:date/:meal') {
            // Meal points are public, so another provider's point is refused by name (403); outside an officer's scope it is not there (404).
            const [method] = key.split(' ') as [string];
            const base = `/api/v1/meals/points/${meals.outPoint}`;
            const out = method === 'GET' ? await inject('GET', `${base}/day?date=${dates.today}`)
              : method === 'POST' ? await inject('POST', `${base}/delivery-sheet`, { date: dates.today, purpose: '矩阵测试' })
              : await inject('PUT', `${base}/menus/${dates.mealDay}/lunch`, menuBody());
            if (role === 'provider') expect([out.statusCode, out.json().error?.code], `${role} ${key}: another provider's point`).toEqual([403, 'MEALS_NOT_YOUR_POINT']);
            else expect(out.statusCode, `${role} ${key}: another district's point`).toBe(404);
          }
          if (key === 'POST /api/v1/assessments') {
            const out = await request(key, token, outOfScope, '310115004');
            expect(out.statusCode, `${role} apply for an out-of-scope person`).toBe(404);
          }
          if (key === 'GET /api/v1/assessments') {
            const other = await p.app.inject({ method: 'GET', url: '/api/v1/assessments', headers: { authorization: `Bearer ${token}` } });
            expect((other.json() as { items: { districtCode: string }[] }).items.every((i) => i.districtCode === '310115'), `${role} list out of scope`).toBe(true);
          }
          if (key === 'POST /api/v1/people') {
            const out = await request(key, token, inScope, '310101002');
            expect(out.statusCode, `${role} create out of scope`).toBe(400);
          }
          if (key === 'GET /api/v1/people') {
            const other = await p.app.inject({ method: 'GET', url: '/api/v1/people?districtCode=310101', headers: { authorization: `Bearer ${token}` } });
            expect((other.json() as { items: unknown[] }).items, `${role} list out of scope`).toEqual([]);
          }
        }
      });
    }
  });
}
