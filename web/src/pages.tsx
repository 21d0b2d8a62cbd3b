// Every page of the three portals, in one list: a new capability adds its page here (path, title,
// navigation entry and the actions of the policy it needs) and nothing else changes.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AccountBookOutlined,
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
} from '@ant-design/icons';
import type { Action } from './access.ts';
import type { Portal } from './auth.tsx';
import type { MessageKey } from './i18n/index.tsx';

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
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

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
    path: '/citizen/certification',
    title: 'page.citizen.certification',
    nav: { icon: <SafetyCertificateOutlined /> },
    needs: ['certification.self', 'pension.read'],
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
    component: page(() => import('./pages/citizen/FlexibleEnrolmentPage.tsx'), 'FlexibleEnrolmentPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/flexible-contributions',
    title: 'page.citizen.flexiblePay',
    nav: { icon: <SolutionOutlined /> },
    needs: ['declaration.flexible', 'bill.read'],
    component: page(() => import('./pages/citizen/FlexibleContributionPage.tsx'), 'FlexibleContributionPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/resident-tier',
    title: 'page.citizen.residentTier',
    nav: { icon: <SolutionOutlined /> },
    needs: ['declaration.resident', 'bill.read'],
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
    component: page(() => import('./pages/hall/PortalPages.tsx'), 'HallStatisticsPage'),
  },
];
