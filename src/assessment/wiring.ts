// The assessment module's server-side wiring, imported by the composition root (src/app.ts)
// only: HTTP routes, the service behind them and demo seeding. Everything else goes through
// index.ts.
export { assessmentRoutes } from './routes.ts';
export { AssessmentService, type AssessmentView, type PersonFacts, type PersonOf } from './service.ts';
export { seedAssessmentDemo, seedDemoAssessments } from './seed.ts';
export { CareGradeService, demoAgencyKey, loadCareGradePolicy, registerAgencyKey, type CareGradeImportSummary, type CareGradeView } from './service.ts';
export { assessmentNotifier, completedMessage } from './notify.ts';
export { personPort } from './people-port.ts';
export { gradesInForce, type GradeInForce } from './grades-port.ts';
