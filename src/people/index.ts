// The people register's public surface.
export { peopleRoutes } from './routes.ts';
export { namesAndIdNumbers, notifyPerson, type PersonNotification } from './service.ts';
export { PeopleService, type PersonLink, type LinkRelation, type PersonDetail, type PersonSummary, type ImportSummary, type ListQuery } from './service.ts';
export { seedDemoPeople, countAllPeople, DEMO_SCALES, type DemoScale } from './seed.ts';
export { validatePerson, LABELS, type PersonInput, type PersonDraft } from './model.ts';
export { checkFileName, normaliseDate, readSheet, type RowError, type Sheet } from './importer.ts';
export { countPeople, elderCountsByStreet, eldersOfDistrict, factsOfPeople, factsPage, homesOf, linksOfUser, linkUser, namesOf, somePersonIn, type PersonFactsRow } from './store.ts';
