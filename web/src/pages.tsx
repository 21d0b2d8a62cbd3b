// Every page of the three portals, in one list: a new capability adds its page here (path, title,
// navigation entry and the actions of the policy it needs) and nothing else changes.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AccountBookOutlined,
  HeartOutlined,
  KeyOutlined,
  MedicineBoxOutlined,
  AuditOutlined,
  FileSearchOutlined,
  FundOutlined,
  PayCircleOutlined,
  FileTextOutlined,
  BankOutlined,
  LineChartOutlined,
  SafetyCertificateOutlined,
  WalletOutlined,
  BarChartOutlined,
  CalculatorOutlined,
  IdcardOutlined,
  SearchOutlined,
  ShopOutlined,
  TeamOutlined,
  UserAddOutlined,
  WarningOutlined,
  SolutionOutlined,
  EyeOutlined,
  UserSwitchOutlined,
  CheckSquareOutlined,
  BellOutlined,
  ProfileOutlined,
  FilePdfOutlined,
  InboxOutlined,
  PieChartOutlined,
  CreditCardOutlined,
  HomeOutlined,
  CloudUploadOutlined,
  RollbackOutlined,
  SwapOutlined,
  GlobalOutlined,
  InteractionOutlined,
  ApartmentOutlined,
} from '@ant-design/icons';
import type { Action } from './access.ts';
import type { NodeRole } from './node-role.ts';
import type { Portal } from './auth.tsx';
import type { MessageKey } from './i18n/index.tsx';
import type { Situation, Unfit } from './situation.tsx';

export interface PageProps {
  params: Record<string, string>;
}

export interface PageDef {
  portal: Portal;
  path: string;
  title: MessageKey;
  /** shown in the portal's menu when present */
  nav?: { icon: ReactNode };
  /** the page appears only for roles that may do all of these (web/src/access.ts, as src/auth/policy.ts) */
  needs: Action[];
  /** in the menu only on these kinds of node (GET /api/v1/node): the federation's pages, whose routes a single server lacks */
  nodes?: NodeRole[];
  /** a citizen's page that applies only to some people (web/src/situation.tsx): null when it applies to this one */
  fits?: (s: Situation) => Unfit | null;
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

// A pensioner's answer for the working-age pages: their pension is where they go instead.
const working = (s: Situation): Unfit | null =>
  s.pensioner ? { why: 'citizen.unfit.pensioner', go: '/citizen/my-pension' } : null;

const page = <K extends string>(load: () => Promise<Record<K, ComponentType<PageProps>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

export const PAGES: PageDef[] = [
  // ---- citizen 个人 ----
  {
    portal: 'citizen',
    path: '/citizen',
    title: 'page.citizen.record',
    nav: { icon: <IdcardOutlined /> },
    needs: ['person.read'],
    component: page(() => import('./pages/citizen/MyRecordPage.tsx'), 'MyRecordPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/contributions',
    title: 'page.citizen.contributions',
    nav: { icon: <LineChartOutlined /> },
    needs: ['record.read'],
    component: page(() => import('./pages/citizen/ContributionRecordPage.tsx'), 'ContributionRecordPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/my-pension',
    title: 'page.citizen.myPension',
    nav: { icon: <WalletOutlined /> },
    needs: ['pension.read'],
    component: page(() => import('./pages/citizen/MyPensionPage.tsx'), 'MyPensionPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/pension',
    title: 'page.citizen.pension',
    nav: { icon: <CalculatorOutlined /> },
    needs: ['person.read', 'calc.run'],
    component: page(() => import('./pages/citizen/PensionEstimatePage.tsx'), 'PensionEstimatePage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/card',
    title: 'page.citizen.card',
    nav: { icon: <CreditCardOutlined /> },
    needs: ['card.read', 'ecard.qr'],
    component: page(() => import('./pages/cards/MyCardPage.tsx'), 'MyCardPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/unemployment',
    title: 'page.citizen.unemployment',
    nav: { icon: <SolutionOutlined /> },
    needs: ['unemployment.claim', 'unemployment.read'],
    fits: (s) =>
      working(s) ??
      (s.employed && !s.claimed
        ? { why: 'citizen.unfit.employed.unemployment', go: '/citizen/contributions' }
        : null),
    component: page(() => import('./pages/unemployment/MyUnemploymentPage.tsx'), 'MyUnemploymentPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/certification',
    title: 'page.citizen.certification',
    nav: { icon: <SafetyCertificateOutlined /> },
    needs: ['certification.self', 'pension.read'],
    fits: (s) => (s.pensioner ? null : { why: 'citizen.unfit.notPensioner', go: '/citizen/pension' }),
    component: page(() => import('./pages/citizen/CertificationPage.tsx'), 'CertificationPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/personal-pension',
    title: 'page.citizen.personalPension',
    nav: { icon: <BankOutlined /> },
    needs: ['personal-pension.read'],
    component: page(() => import('./pages/citizen/PersonalPensionPage.tsx'), 'PersonalPensionPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/flexible',
    title: 'page.citizen.flexible',
    nav: { icon: <SolutionOutlined /> },
    needs: ['enrolment.flexible'],
    fits: (s) =>
      working(s) ??
      (s.employed ? { why: 'citizen.unfit.employed.flexible', go: '/citizen/contributions' } : null),
    component: page(() => import('./pages/citizen/FlexibleEnrolmentPage.tsx'), 'FlexibleEnrolmentPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/flexible-contributions',
    title: 'page.citizen.flexiblePay',
    nav: { icon: <SolutionOutlined /> },
    needs: ['declaration.flexible', 'bill.read'],
    fits: (s) =>
      working(s) ??
      (s.flexible
        ? null
        : s.employed
          ? { why: 'citizen.unfit.employed.flexible', go: '/citizen/contributions' }
          : { why: 'citizen.unfit.notFlexible', go: '/citizen/flexible' }),
    component: page(() => import('./pages/citizen/FlexibleContributionPage.tsx'), 'FlexibleContributionPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/resident-tier',
    title: 'page.citizen.residentTier',
    nav: { icon: <SolutionOutlined /> },
    needs: ['declaration.resident', 'bill.read'],
    fits: (s) => working(s) ?? (s.resident ? null : { why: 'citizen.unfit.notResident', go: '/citizen' }),
    component: page(() => import('./pages/citizen/ResidentTierPage.tsx'), 'ResidentTierPage'),
  },

  {
    portal: 'citizen',
    path: '/citizen/access-log',
    title: 'page.citizen.access',
    nav: { icon: <EyeOutlined /> },
    needs: ['audit.read-own'],
    component: page(() => import('./pages/citizen/AccessLogPage.tsx'), 'AccessLogPage'),
  },

  // ---- online service hall (citizen) ----
  {
    portal: 'citizen',
    path: '/citizen/applications',
    title: 'page.hall.applications',
    nav: { icon: <ProfileOutlined /> },
    needs: ['application.read', 'hall.apply'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'ApplicationsPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/applications/:id',
    title: 'page.hall.application',
    needs: ['application.read'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'ApplicationDetailPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/certificates',
    title: 'page.hall.certificates',
    nav: { icon: <FilePdfOutlined /> },
    needs: ['certificate.issue'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'CertificatesPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/messages',
    title: 'page.hall.messages',
    nav: { icon: <BellOutlined /> },
    needs: ['message.read'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'MessagesPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/home-service',
    title: 'page.hall.home',
    nav: { icon: <HomeOutlined /> },
    needs: ['home-service.book'],
    component: page(() => import('./pages/hall/HomeServicePages.tsx'), 'CitizenHomeServicePage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/home-service/:id',
    title: 'page.hall.homeVisit',
    needs: ['home-service.read'],
    component: page(() => import('./pages/hall/HomeServicePages.tsx'), 'HomeVisitPage'),
  },

  // ---- employer 单位 ----
  {
    portal: 'employer',
    path: '/employer',
    title: 'page.employer.staff',
    nav: { icon: <TeamOutlined /> },
    needs: ['employment.read', 'employer.read'],
    component: page(() => import('./pages/employer/StaffPage.tsx'), 'StaffPage'),
  },

  {
    portal: 'employer',
    path: '/employer/declarations',
    title: 'page.employer.declarations',
    nav: { icon: <FileTextOutlined /> },
    needs: ['declaration.submit', 'employer.read'],
    component: page(() => import('./pages/employer/DeclarationsPage.tsx'), 'DeclarationsPage'),
  },
  {
    portal: 'employer',
    path: '/employer/bills',
    title: 'page.employer.bills',
    nav: { icon: <AccountBookOutlined /> },
    needs: ['bill.read', 'employer.read'],
    component: page(() => import('./pages/employer/BillsPage.tsx'), 'BillsPage'),
  },

  // ---- online service hall (employer) ----
  {
    portal: 'employer',
    path: '/employer/applications',
    title: 'page.hall.applications',
    nav: { icon: <ProfileOutlined /> },
    needs: ['application.read', 'hall.apply'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'ApplicationsPage'),
  },
  {
    portal: 'employer',
    path: '/employer/applications/:id',
    title: 'page.hall.application',
    needs: ['application.read'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'ApplicationDetailPage'),
  },
  {
    portal: 'employer',
    path: '/employer/messages',
    title: 'page.hall.messages',
    nav: { icon: <BellOutlined /> },
    needs: ['message.read'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'MessagesPage'),
  },
  {
    portal: 'employer',
    path: '/employer/cards',
    title: 'page.employer.cards',
    nav: { icon: <CreditCardOutlined /> },
    needs: ['card.batch-apply'],
    component: page(() => import('./pages/cards/EmployerCardBatchPage.tsx'), 'EmployerCardBatchPage'),
  },

  // ---- agency 经办 ----
  // The administrator's page first: it is the admin's start page (no other agency page serves the role).
  {
    portal: 'agency',
    path: '/agency/users',
    title: 'page.agency.users',
    nav: { icon: <UserSwitchOutlined /> },
    needs: ['user.manage'],
    component: page(() => import('./pages/agency/UsersPage.tsx'), 'UsersPage'),
  },

  {
    portal: 'agency',
    path: '/agency/dashboard',
    title: 'page.agency.dashboard',
    nav: { icon: <BarChartOutlined /> },
    needs: ['statistics.read'],
    component: page(() => import('./pages/agency/DashboardPage.tsx'), 'DashboardPage'),
  },
  {
    portal: 'agency',
    path: '/agency/unemployment',
    title: 'page.agency.unemployment',
    nav: { icon: <ProfileOutlined /> },
    needs: ['unemployment.read'],
    component: page(
      () => import('./pages/unemployment/UnemploymentAgencyPage.tsx'),
      'UnemploymentAgencyPage',
    ),
  },
  {
    portal: 'agency',
    path: '/agency/cards',
    title: 'page.agency.cards',
    nav: { icon: <CreditCardOutlined /> },
    needs: ['card.register', 'card.produce'],
    component: page(() => import('./pages/cards/CardRegisterPage.tsx'), 'CardRegisterPage'),
  },
  {
    portal: 'agency',
    path: '/agency/persons',
    title: 'page.agency.persons',
    nav: { icon: <SearchOutlined /> },
    needs: ['person.search'],
    component: page(() => import('./pages/agency/PersonSearchPage.tsx'), 'PersonSearchPage'),
  },
  {
    portal: 'agency',
    path: '/agency/persons/new',
    title: 'page.agency.register',
    nav: { icon: <UserAddOutlined /> },
    needs: ['person.create'],
    component: page(() => import('./pages/agency/RegisterPersonPage.tsx'), 'RegisterPersonPage'),
  },
  {
    portal: 'agency',
    path: '/agency/employers/new',
    title: 'page.agency.registerEmployer',
    nav: { icon: <ShopOutlined /> },
    needs: ['employer.create'],
    component: page(() => import('./pages/agency/RegisterEmployerPage.tsx'), 'RegisterEmployerPage'),
  },
  {
    portal: 'agency',
    path: '/agency/receipts',
    title: 'page.agency.receipts',
    nav: { icon: <AccountBookOutlined /> },
    needs: ['payment.import'],
    component: page(() => import('./pages/agency/BankReceiptsPage.tsx'), 'BankReceiptsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/persons/:id',
    title: 'page.agency.person',
    needs: ['person.read'],
    component: page(() => import('./pages/agency/PersonDetailPage.tsx'), 'PersonDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/employers',
    title: 'page.agency.employers',
    nav: { icon: <ShopOutlined /> },
    needs: ['employer.search'],
    component: page(() => import('./pages/agency/EmployerSearchPage.tsx'), 'EmployerSearchPage'),
  },
  {
    portal: 'agency',
    path: '/agency/employers/:id',
    title: 'page.agency.employer',
    needs: ['employer.read'],
    component: page(() => import('./pages/agency/EmployerDetailPage.tsx'), 'EmployerDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/bills/:id',
    title: 'page.agency.bill',
    needs: ['bill.history'],
    component: page(() => import('./pages/agency/BillPage.tsx'), 'BillPage'),
  },
  {
    portal: 'agency',
    path: '/agency/coverage-gaps',
    title: 'page.agency.gaps',
    nav: { icon: <WarningOutlined /> },
    needs: ['coverage.gaps'],
    component: page(() => import('./pages/agency/CoverageGapsPage.tsx'), 'CoverageGapsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/retirement',
    title: 'page.agency.retirement',
    nav: { icon: <AuditOutlined /> },
    needs: ['retirement.read'],
    component: page(() => import('./pages/agency/RetirementPage.tsx'), 'RetirementPage'),
  },
  {
    portal: 'agency',
    path: '/agency/retirement/:id',
    title: 'page.agency.retirementCase',
    needs: ['retirement.read'],
    component: page(() => import('./pages/agency/RetirementCasePage.tsx'), 'RetirementCasePage'),
  },
  {
    portal: 'agency',
    path: '/agency/certification',
    title: 'page.agency.certification',
    nav: { icon: <SafetyCertificateOutlined /> },
    needs: ['certification.read'],
    component: page(
      () => import('./pages/agency/CertificationCampaignsPage.tsx'),
      'CertificationCampaignsPage',
    ),
  },
  {
    portal: 'agency',
    path: '/agency/certification/visits',
    title: 'page.agency.visits',
    nav: { icon: <HomeOutlined /> },
    needs: ['certification.read'],
    component: page(() => import('./pages/agency/HomeVisitsPage.tsx'), 'HomeVisitsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/certification/imports',
    title: 'page.agency.dataImports',
    nav: { icon: <CloudUploadOutlined /> },
    needs: ['certification.import'],
    component: page(() => import('./pages/agency/DataImportsPage.tsx'), 'DataImportsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/recovery',
    title: 'page.agency.recovery',
    nav: { icon: <RollbackOutlined /> },
    needs: ['pension.manage'],
    component: page(() => import('./pages/agency/RecoveryCasesPage.tsx'), 'RecoveryCasesPage'),
  },
  // ---- fund supervision: findings and triage, cases, recoveries, campaigns, dashboard ----
  {
    portal: 'agency',
    path: '/agency/supervision/dashboard',
    title: 'page.agency.svDashboard',
    nav: { icon: <FundOutlined /> },
    needs: ['supervision.dashboard'],
    component: page(() => import('./pages/supervision/DashboardPage.tsx'), 'SupervisionDashboardPage'),
  },
  {
    portal: 'agency',
    path: '/agency/supervision/findings',
    title: 'page.agency.svFindings',
    nav: { icon: <WarningOutlined /> },
    needs: ['supervision.read', 'supervision.triage'],
    component: page(() => import('./pages/supervision/FindingsPage.tsx'), 'FindingsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/supervision/cases',
    title: 'page.agency.svCases',
    nav: { icon: <FileSearchOutlined /> },
    needs: ['supervision.case'],
    component: page(() => import('./pages/supervision/CasesPage.tsx'), 'CasesPage'),
  },
  {
    portal: 'agency',
    path: '/agency/supervision/cases/:id',
    title: 'page.agency.svCase',
    needs: ['supervision.case'],
    component: page(() => import('./pages/supervision/CasePage.tsx'), 'CasePage'),
  },
  {
    portal: 'agency',
    path: '/agency/supervision/recoveries',
    title: 'page.agency.svRecoveries',
    nav: { icon: <AccountBookOutlined /> },
    needs: ['supervision.recovery.read'],
    component: page(() => import('./pages/supervision/RecoveriesPage.tsx'), 'RecoveriesPage'),
  },
  {
    portal: 'agency',
    path: '/agency/supervision/campaigns',
    title: 'page.agency.svCampaigns',
    nav: { icon: <CheckSquareOutlined /> },
    needs: ['supervision.campaign'],
    component: page(() => import('./pages/supervision/CampaignsPage.tsx'), 'CampaignsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/supervision/campaigns/:id',
    title: 'page.agency.svCampaign',
    needs: ['supervision.campaign'],
    component: page(() => import('./pages/supervision/CampaignsPage.tsx'), 'CampaignPage'),
  },
  {
    portal: 'agency',
    path: '/agency/payroll',
    title: 'page.agency.payroll',
    nav: { icon: <PayCircleOutlined /> },
    needs: ['payroll.read'],
    component: page(() => import('./pages/agency/PayrollPage.tsx'), 'PayrollPage'),
  },
  {
    portal: 'agency',
    path: '/agency/approvals',
    title: 'page.agency.approvals',
    nav: { icon: <CheckSquareOutlined /> },
    needs: ['approval.read'],
    component: page(() => import('./pages/agency/ApprovalsPage.tsx'), 'ApprovalsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/funds',
    title: 'page.agency.funds',
    nav: { icon: <FundOutlined /> },
    needs: ['report.read'],
    component: page(() => import('./pages/agency/FundsPage.tsx'), 'FundsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/audit',
    title: 'page.agency.audit',
    nav: { icon: <FileSearchOutlined /> },
    needs: ['audit.read'],
    component: page(() => import('./pages/agency/AuditPage.tsx'), 'AuditPage'),
  },
  // ---- online service hall (agency) ----
  {
    portal: 'agency',
    path: '/agency/applications',
    title: 'page.hall.queue',
    nav: { icon: <InboxOutlined /> },
    needs: ['application.handle'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'QueuePage'),
  },
  {
    portal: 'agency',
    path: '/agency/applications/:id',
    title: 'page.hall.application',
    needs: ['application.read'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'ApplicationDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/messages',
    title: 'page.hall.messages',
    nav: { icon: <BellOutlined /> },
    needs: ['message.read'],
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'MessagesPage'),
  },
  {
    portal: 'agency',
    path: '/agency/hall-statistics',
    title: 'page.hall.statistics',
    nav: { icon: <PieChartOutlined /> },
    needs: ['hall.statistics'],
    component: page(() => import('./pages/hall/StatisticsPage.tsx'), 'HallStatisticsPage'),
  },
  // ---- unemployment: stable-employment refunds and the skill-upgrade subsidy (issue 12) ----
  {
    portal: 'employer',
    path: '/employer/refunds',
    title: 'page.employer.refunds',
    nav: { icon: <PayCircleOutlined /> },
    needs: ['refund.read'],
    component: page(() => import('./pages/unemployment/EmployerRefundsPage.tsx'), 'EmployerRefundsPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/skill-subsidy',
    title: 'page.citizen.skillSubsidy',
    nav: { icon: <SafetyCertificateOutlined /> },
    needs: ['skill-subsidy.read', 'skill-subsidy.apply'],
    fits: working,
    component: page(() => import('./pages/unemployment/SkillSubsidyPage.tsx'), 'SkillSubsidyPage'),
  },
  {
    portal: 'agency',
    path: '/agency/refunds',
    title: 'page.agency.refunds',
    nav: { icon: <PayCircleOutlined /> },
    needs: ['refund.read'],
    component: page(() => import('./pages/unemployment/RefundBatchPage.tsx'), 'RefundBatchPage'),
  },
  {
    portal: 'agency',
    path: '/agency/skill-subsidies',
    title: 'page.agency.skillSubsidies',
    nav: { icon: <CheckSquareOutlined /> },
    needs: ['skill-subsidy.read'],
    component: page(() => import('./pages/unemployment/SkillSubsidyQueuePage.tsx'), 'SkillSubsidyQueuePage'),
  },
  {
    portal: 'agency',
    path: '/agency/certificate-register',
    title: 'page.agency.certificateRegister',
    nav: { icon: <SafetyCertificateOutlined /> },
    needs: ['certificate-register.read'],
    component: page(
      () => import('./pages/unemployment/CertificateRegisterPage.tsx'),
      'CertificateRegisterPage',
    ),
  },
  // ---- work injury 工伤 (issue 13) ----
  {
    portal: 'citizen',
    path: '/citizen/injury',
    title: 'page.citizen.injury',
    nav: { icon: <MedicineBoxOutlined /> },
    needs: ['injury.read'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryCasesPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/injury/:id',
    title: 'page.citizen.injury',
    needs: ['injury.read'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryCasePage'),
  },
  {
    portal: 'employer',
    path: '/employer/injury',
    title: 'page.employer.injury',
    nav: { icon: <MedicineBoxOutlined /> },
    needs: ['injury.read', 'injury.report'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryCasesPage'),
  },
  {
    portal: 'employer',
    path: '/employer/injury/:id',
    title: 'page.employer.injury',
    needs: ['injury.read'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryCasePage'),
  },
  {
    portal: 'employer',
    path: '/employer/injury-owed',
    title: 'page.employer.injuryOwed',
    nav: { icon: <PayCircleOutlined /> },
    needs: ['injury.owed'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryOwedPage'),
  },
  {
    portal: 'agency',
    path: '/agency/injury',
    title: 'page.agency.injury',
    nav: { icon: <MedicineBoxOutlined /> },
    needs: ['injury.read'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryCasesPage'),
  },
  {
    portal: 'agency',
    path: '/agency/injury/:id',
    title: 'page.agency.injury',
    needs: ['injury.read'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryCasePage'),
  },
  {
    portal: 'agency',
    path: '/agency/injury-statistics',
    title: 'page.agency.injuryStats',
    nav: { icon: <BarChartOutlined /> },
    needs: ['injury.statistics'],
    component: page(() => import('./pages/injury/InjuryPages.tsx'), 'InjuryStatisticsPage'),
  },

  // ---- work-injury hospitals, settlement and rehabilitation (src/injury/hospital*, settlement*, rehab*) ----
  {
    portal: 'hospital',
    path: '/hospital/bills',
    title: 'page.hospital.bills',
    nav: { icon: <MedicineBoxOutlined /> },
    needs: ['hospital.bill.submit'],
    component: page(() => import('./pages/injury/HospitalPages.tsx'), 'HospitalBillsPage'),
  },
  {
    portal: 'hospital',
    path: '/hospital/account',
    title: 'page.hospital.account',
    nav: { icon: <KeyOutlined /> },
    needs: ['hospital.bill.read', 'hospital.key'],
    component: page(() => import('./pages/injury/HospitalPages.tsx'), 'HospitalAccountPage'),
  },
  {
    portal: 'agency',
    path: '/agency/injury-settlements',
    title: 'page.agency.settlements',
    nav: { icon: <MedicineBoxOutlined /> },
    needs: ['settlement.read'],
    component: page(() => import('./pages/injury/SettlementPages.tsx'), 'SettlementPage'),
  },
  {
    portal: 'agency',
    path: '/agency/injury-rehab',
    title: 'page.agency.rehab',
    nav: { icon: <HeartOutlined /> },
    needs: ['rehab.manage'],
    component: page(() => import('./pages/injury/SettlementPages.tsx'), 'RehabPage'),
  },
  {
    portal: 'agency',
    path: '/agency/home-service',
    title: 'page.hall.homeQueue',
    nav: { icon: <HomeOutlined /> },
    needs: ['home-service.read'],
    component: page(() => import('./pages/hall/HomeServicePages.tsx'), 'AgencyHomeServicePage'),
  },
  // ---- many provinces, one country (issue 16): pension relation transfers, the national exchange ----
  // In the menu only on a federation node: a single-province server has no federation routes.
  {
    portal: 'citizen',
    path: '/citizen/transfers',
    title: 'page.citizen.transfers',
    nav: { icon: <SwapOutlined /> },
    nodes: ['province'],
    needs: ['transfer.read', 'transfer.apply'],
    component: page(() => import('./pages/federation/TransferPages.tsx'), 'MyTransfersPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/transfers/:id',
    title: 'page.citizen.transfers',
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/TransferPages.tsx'), 'TransferDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/transfers',
    title: 'page.agency.transfers',
    nav: { icon: <SwapOutlined /> },
    nodes: ['province'],
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/TransferPages.tsx'), 'AgencyTransfersPage'),
  },
  {
    portal: 'agency',
    path: '/agency/transfers/:id',
    title: 'page.agency.transfers',
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/TransferPages.tsx'), 'TransferDetailPage'),
  },
  // 归集 at retirement: the place of payment gathers every province's records (66号 Art. 6).
  {
    portal: 'agency',
    path: '/agency/collections',
    title: 'page.agency.collections',
    nav: { icon: <ApartmentOutlined /> },
    nodes: ['province'],
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/CollectionPages.tsx'), 'CollectionsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/collections/:id',
    title: 'page.agency.collections',
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/CollectionPages.tsx'), 'CollectionDetailPage'),
  },
  // 跨省通办: filed here, decided by the province holding the record (issue 16 item 5).
  {
    portal: 'citizen',
    path: '/citizen/cross-province',
    title: 'page.citizen.crossProvince',
    nav: { icon: <InteractionOutlined /> },
    nodes: ['province'],
    needs: ['transfer.read', 'transfer.apply'],
    component: page(() => import('./pages/federation/CrossProvincePages.tsx'), 'MyCrossProvincePage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/cross-province/:id',
    title: 'page.citizen.crossProvince',
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/CrossProvincePages.tsx'), 'CrossProvinceDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/cross-province',
    title: 'page.agency.crossProvince',
    nav: { icon: <InteractionOutlined /> },
    nodes: ['province'],
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/CrossProvincePages.tsx'), 'AgencyCrossProvincePage'),
  },
  {
    portal: 'agency',
    path: '/agency/cross-province/:id',
    title: 'page.agency.crossProvince',
    needs: ['transfer.read'],
    component: page(() => import('./pages/federation/CrossProvincePages.tsx'), 'CrossProvinceDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/national',
    title: 'page.agency.national',
    nav: { icon: <GlobalOutlined /> },
    nodes: ['national'],
    needs: ['federation.read'],
    component: page(() => import('./pages/federation/NationalPage.tsx'), 'NationalPage'),
  },
  {
    portal: 'agency',
    path: '/agency/home-service/:id',
    title: 'page.hall.homeVisit',
    needs: ['home-service.read'],
    component: page(() => import('./pages/hall/HomeServicePages.tsx'), 'HomeVisitPage'),
  },
  {
    portal: 'agency',
    path: '/agency/simulation',
    title: 'page.agency.simulation',
    nav: { icon: <LineChartOutlined /> },
    needs: ['simulation.read', 'simulation.run'],
    component: page(() => import('./pages/agency/SimulationPage.tsx'), 'SimulationPage'),
  },
];
