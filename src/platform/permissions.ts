// Roles (ARCHITECTURE "Who uses it") and what each may do. Default deny: a permission lists
// the roles that have it; a route must name its permission or be declared public.
export const ROLES = ['citizen', 'advisor', 'assessor', 'provider', 'caregiver', 'officer', 'insurer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  citizen: '老年人及家属',
  advisor: '养老顾问',
  assessor: '评估员',
  provider: '服务机构',
  caregiver: '护理员',
  officer: '民政工作人员',
  insurer: '医保经办',
  auditor: '监督审计',
  admin: '系统管理员',
};

export const PERMISSIONS = {
  'people.read': ['advisor', 'officer', 'auditor', 'admin'],
  'people.write': ['advisor', 'officer', 'admin'],
  'people.delete': ['officer', 'admin'],
  'people.import': ['officer', 'admin'],
  'people.export': ['officer', 'auditor', 'admin'],
  /** See a full ID number: an explicit, purpose-stated, audited action. */
  'people.reveal': ['officer', 'admin'],
  /** Assessments: read in scope (an assessor sees only those assigned to them). */
  'assessment.read': ['advisor', 'assessor', 'officer', 'auditor', 'admin'],
  /** Apply for an assessment, or a review on appeal, on a person's behalf. */
  'assessment.apply': ['advisor', 'officer', 'admin'],
  'assessment.assign': ['officer', 'admin'],
  /** Record answers, submit, countersign: the assigned assessors. */
  'assessment.record': ['assessor'],
  /** Overdue and expiring-soon lists. */
  'assessment.oversee': ['advisor', 'officer', 'auditor', 'admin'],
  /** Stateless scoring (the CLI line over HTTP): any staff. */
  'assessment.score': ['advisor', 'assessor', 'provider', 'caregiver', 'officer', 'insurer', 'auditor', 'admin'],
  /** Import Shanghai care grades (照护等级) signed by designated agencies (API batch or file). */
  'assessment.grade.import': ['officer', 'admin'],
  /** Every entitlement of a registered person, with reasons (the advisor's check). */
  'entitlements.read': ['advisor', 'officer', 'auditor', 'admin'],
  /** 政策找人: lists of people who qualify but have not applied; 免申即享 grants; assigning advisors to visit. */
  'entitlements.outreach': ['officer', 'admin'],
  /** Record an application or a grant for a person; close a visit task. */
  'entitlements.apply': ['advisor', 'officer', 'admin'],
  /** The monthly payment run: compute, approve (another officer), bank file, reconciliation. */
  'entitlements.pay': ['officer', 'admin'],
  /** A provider redeems service against a person's e-voucher balance, and sees its own monthly statement. */
  'vouchers.redeem': ['provider'],
  /** The monthly settlement of redeemed vouchers per provider. */
  'vouchers.settle': ['officer', 'admin'],
  /** What-if simulations of parameter changes over the population in scope. */
  'entitlements.simulate': ['officer', 'admin'],
  /** The supply registry: providers, facilities, beds and the change feed in scope (a provider sees its own). */
  'supply.read': ['advisor', 'provider', 'officer', 'auditor', 'admin'],
  /** Register a provider, keep facilities, rooms, beds and vacancies up to date (a provider: its own). */
  'supply.manage': ['provider', 'officer', 'admin'],
  /** Approve or reject filings of providers and facilities. */
  'supply.review': ['officer', 'admin'],
  /** Planning ratios, 15-minute coverage, siting and reference population. */
  'supply.plan': ['officer', 'auditor', 'admin'],
  /** Load the official reference population (户籍/常住) the planning ratios divide by. */
  'supply.reference': ['officer', 'admin'],
  /** Search services for someone else (an advisor, or a family member linked to the person). */
  'supply.proxy': ['advisor', 'citizen'],
  /** The waiting list in scope: applications, queues, runs and their fairness reports. */
  'waitlist.read': ['advisor', 'officer', 'auditor', 'admin'],
  /** Apply for a basic-guarantee bed, change, pause, withdraw, answer an offer (a citizen: for linked people). */
  'waitlist.apply': ['citizen', 'advisor', 'officer', 'admin'],
  /** One application with its positions, offers and history (a citizen: of linked people; staff: in scope). */
  'waitlist.view': ['citizen', 'advisor', 'officer', 'auditor', 'admin'],
  /** Start allocation runs (a real run needs a city-level account; dry runs in any scope). */
  'waitlist.run': ['officer', 'admin'],
  /** The caregiver register: citywide search and statistics for officers (seed 000 §四(五)17), a provider its own staff. */
  'care.caregivers.read': ['provider', 'officer', 'insurer', 'auditor', 'admin'],
  /** Register a caregiver (hire, a move keeps one record), keep qualifications and status (a provider: its own). */
  'care.caregivers.manage': ['provider', 'officer', 'admin'],
  /** Care plans, orders and visits (a citizen: of linked people; a provider: its own; staff: in scope). */
  'care.read': ['citizen', 'advisor', 'provider', 'officer', 'insurer', 'auditor', 'admin'],
  /** Draft care plans, make orders, assign and schedule visits (a provider: its own). */
  'care.manage': ['provider', 'officer', 'admin'],
  /** Confirm a care plan for the person (the person or family; an advisor or officer on their behalf). */
  'care.confirm': ['citizen', 'advisor', 'officer', 'admin'],
  /** The caregiver's phone: today's visits, check-in and check-out, sync. */
  'care.visit': ['caregiver'],
  /** The family: rate a visit, show the elder's confirmation code on their phone. */
  'care.family': ['citizen'],
  /** Call-backs to elders and hospital stays: the evidence the insurer's review draws on. */
  'care.verify': ['advisor', 'officer', 'insurer', 'admin'],
  /** The list of call-backs and their answers (oversight included). */
  'care.verify.read': ['advisor', 'officer', 'insurer', 'auditor', 'admin'],
  /** The monthly LTCI claims and their lines (a provider: its own). */
  'care.claims.read': ['provider', 'officer', 'insurer', 'auditor', 'admin'],
  /** Build the month's LTCI claim, appeal a decision (a provider: its own). */
  'care.claims.submit': ['provider', 'officer', 'admin'],
  /** The insurer's review: approve or reject claim lines, finish, decide appeals (the insurer alone: who builds or appeals a claim never decides it). */
  'care.claims.review': ['insurer'],
  /** Order community meals (助餐) and cancel before the cut-off (a citizen: for linked people; staff: people in scope). */
  'meals.order': ['citizen', 'advisor', 'officer', 'admin'],
  /** Publish a meal point's menus, see its day's orders and delivery list, mark meals served (a provider: its own points). */
  'meals.manage': ['provider', 'officer', 'admin'],
  /** Meals served per point and day in scope (the indicators' input). */
  'meals.read': ['officer', 'auditor', 'admin'],
  /** The platform's message log (what was sent to whom). */
  'messages.read': ['officer', 'auditor', 'admin'],
  'audit.read': ['auditor', 'admin'],
  'users.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** How a route is protected: public, any signed-in user, or a permission. */
export type RouteAuth = 'public' | 'user' | Permission;

export const can = (role: Role, p: Permission): boolean => (PERMISSIONS[p] as readonly Role[]).includes(role);
export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
