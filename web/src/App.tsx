import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router';
import { DisplaySettings } from './components/DisplaySettings.tsx';
import { MAIN_ID, SkipLink } from './components/SkipLink.tsx';
import { CheckPage } from './portal/CheckPage.tsx';
import { MyVouchersPage } from './portal/MyVouchersPage.tsx';
import { PortalPage } from './portal/PortalPage.tsx';
import { ServiceDetailPage } from './portal/services/ServiceDetailPage.tsx';
import { ServicesPage } from './portal/services/ServicesPage.tsx';
import { MyWaitlistPage } from './portal/waitlist/MyWaitlistPage.tsx';
import { MyCarePage } from './portal/care/MyCarePage.tsx';
import { CarerApp } from './carer/CarerApp.tsx';
import { MealPointPage } from './portal/meals/MealPointPage.tsx';
import { MealsPage } from './portal/meals/MealsPage.tsx';
import { MyMealsPage } from './portal/meals/MyMealsPage.tsx';
import { MealsWorkbenchPage } from './workbench/meals/MealsPage.tsx';
import { WaitlistPage as PublicWaitlistPage } from './portal/waitlist/WaitlistPage.tsx';
import { PrefsProvider, usePrefs } from './prefs.tsx';
import { AssessmentFormPage } from './workbench/assessments/AssessmentFormPage.tsx';
import { AssessmentPage } from './workbench/assessments/AssessmentPage.tsx';
import { AssessmentsPage } from './workbench/assessments/AssessmentsPage.tsx';
import { CareGradesPage } from './workbench/assessments/CareGradesPage.tsx';
import { QualityPage } from './workbench/assessments/QualityPage.tsx';
import { ImportPage } from './workbench/ImportPage.tsx';
import { NotFoundPage } from './workbench/NotFoundPage.tsx';
import { PeoplePage } from './workbench/PeoplePage.tsx';
import { PersonPage } from './workbench/PersonPage.tsx';
import { SimulationsPage } from './workbench/simulations/SimulationsPage.tsx';
import { CoveragePage } from './workbench/supply/CoveragePage.tsx';
import { FacilityPage } from './workbench/supply/FacilityPage.tsx';
import { PlanningPage } from './workbench/supply/PlanningPage.tsx';
import { SupplyPage } from './workbench/supply/SupplyPage.tsx';
import { OutreachPage } from './workbench/outreach/OutreachPage.tsx';
import { PaymentsPage } from './workbench/payments/PaymentsPage.tsx';
import { TasksPage } from './workbench/tasks/TasksPage.tsx';
import { RedeemPage } from './workbench/vouchers/RedeemPage.tsx';
import { SettlementsPage } from './workbench/vouchers/SettlementsPage.tsx';
import { WaitlistPage } from './workbench/waitlist/WaitlistPage.tsx';
import { CallbacksPage } from './workbench/care/CallbacksPage.tsx';
import { CareIndex } from './workbench/care/CareNav.tsx';
import { CaregiverPage } from './workbench/care/CaregiverPage.tsx';
import { CaregiversPage } from './workbench/care/CaregiversPage.tsx';
import { ClaimPage } from './workbench/care/ClaimPage.tsx';
import { ClaimsPage } from './workbench/care/ClaimsPage.tsx';
import { OrdersPage } from './workbench/care/OrdersPage.tsx';
import { PlansPage } from './workbench/care/PlansPage.tsx';
import { WorkbenchRoot } from './workbench/WorkbenchLayout.tsx';

export function App() {
  return (
    <PrefsProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/" element={<PortalPage />} />
          <Route path="/check" element={<CheckPage />} />
          <Route path="/my/vouchers" element={<MyVouchersPage />} />
          <Route path="/services" element={<ServicesPage />} />
          <Route path="/services/:id" element={<ServiceDetailPage />} />
          <Route path="/waitlist" element={<PublicWaitlistPage />} />
          <Route path="/my/waitlist" element={<MyWaitlistPage />} />
          <Route path="/my/care" element={<MyCarePage />} />
          <Route path="/carer/*" element={<CarerApp />} />
          <Route path="/meals" element={<MealsPage />} />
          <Route path="/meals/points/:id" element={<MealPointPage />} />
          <Route path="/my/meals" element={<MyMealsPage />} />
          <Route path="/workbench" element={<WorkbenchRoot />}>
            <Route index element={<Navigate to="people" replace />} />
            <Route path="people" element={<PeoplePage />} />
            <Route path="people/:id" element={<PersonPage />} />
            <Route path="import" element={<ImportPage />} />
            <Route path="assessments" element={<AssessmentsPage />} />
            <Route path="assessments/quality" element={<QualityPage />} />
            <Route path="assessments/care-grades" element={<CareGradesPage />} />
            <Route path="assessments/:id" element={<AssessmentPage />} />
            <Route path="assessments/:id/form" element={<AssessmentFormPage />} />
            <Route path="simulations" element={<SimulationsPage />} />
            <Route path="outreach" element={<OutreachPage />} />
            <Route path="tasks" element={<TasksPage />} />
            <Route path="payments" element={<PaymentsPage />} />
            <Route path="vouchers" element={<RedeemPage />} />
            <Route path="voucher-settlements" element={<SettlementsPage />} />
            <Route path="supply" element={<SupplyPage />} />
            <Route path="supply/facilities/:id" element={<FacilityPage />} />
            <Route path="supply/planning" element={<PlanningPage />} />
            <Route path="supply/coverage" element={<CoveragePage />} />
            <Route path="waitlist" element={<WaitlistPage />} />
            <Route path="meals" element={<MealsWorkbenchPage />} />
            <Route path="care" element={<CareIndex />} />
            <Route path="care/caregivers" element={<CaregiversPage />} />
            <Route path="care/caregivers/:id" element={<CaregiverPage />} />
            <Route path="care/plans" element={<PlansPage />} />
            <Route path="care/orders" element={<OrdersPage />} />
            <Route path="care/callbacks" element={<CallbacksPage />} />
            <Route path="care/claims" element={<ClaimsPage />} />
            <Route path="care/claims/:id" element={<ClaimPage />} />
            <Route path="*" element={<NotFoundPage home="/workbench" />} />
          </Route>
          <Route path="*" element={<PublicNotFound />} />
        </Routes>
      </BrowserRouter>
    </PrefsProvider>
  );
}

function PublicNotFound() {
  const { t } = usePrefs();
  return (
    <>
      <SkipLink />
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              颐
            </span>
            <span className="brand-text">
              <span className="brand-name">{t('app.name')}</span>
            </span>
          </Link>
          <DisplaySettings />
        </div>
      </header>
      <main id={MAIN_ID} tabIndex={-1} className="container wb-main">
        <NotFoundPage home="/" />
      </main>
    </>
  );
}
