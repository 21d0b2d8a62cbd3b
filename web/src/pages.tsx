// Every page of the three portals, in one list: a new capability adds its page here (path, title,
// navigation entry and the API operations it needs) and nothing else changes.
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
  CreditCardOutlined,
} from '@ant-design/icons';
import type { Role } from './api.ts';
import type { Portal } from './auth.tsx';
import type { Operation } from './features.tsx';
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
  /** the page appears only when the server offers all of these */
  requires: Operation[];
  /** only these roles see the page (default: every role of the portal) */
  roles?: Role[];
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
    requires: ['GET /api/v1/persons/{id}'],
    component: page(() => import('./pages/citizen/MyRecordPage.tsx'), 'MyRecordPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/contributions',
    title: 'page.citizen.contributions',
    nav: { icon: <LineChartOutlined /> },
    requires: ['GET /api/v1/persons/{id}/record'],
    component: page(() => import('./pages/citizen/ContributionRecordPage.tsx'), 'ContributionRecordPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/my-pension',
    title: 'page.citizen.myPension',
    nav: { icon: <WalletOutlined /> },
    requires: ['GET /api/v1/persons/{id}/pension'],
    component: page(() => import('./pages/citizen/MyPensionPage.tsx'), 'MyPensionPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/pension',
    title: 'page.citizen.pension',
    nav: { icon: <CalculatorOutlined /> },
    requires: ['GET /api/v1/persons/{id}', 'POST /api/v1/calc/{rule}'],
    component: page(() => import('./pages/citizen/PensionEstimatePage.tsx'), 'PensionEstimatePage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/card',
    title: 'page.citizen.card',
    nav: { icon: <CreditCardOutlined /> },
    requires: ['GET /api/v1/cards', 'GET /api/v1/ecard/qr'],
    component: page(() => import('./pages/cards/MyCardPage.tsx'), 'MyCardPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/certification',
    title: 'page.citizen.certification',
    nav: { icon: <SafetyCertificateOutlined /> },
    requires: [
      'GET /api/v1/persons/{id}/certification',
      'POST /api/v1/persons/{id}/certification/challenge',
      'GET /api/v1/persons/{id}/pension',
    ],
    component: page(() => import('./pages/citizen/CertificationPage.tsx'), 'CertificationPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/personal-pension',
    title: 'page.citizen.personalPension',
    nav: { icon: <BankOutlined /> },
    requires: ['GET /api/v1/persons/{id}/personal-pension'],
    component: page(() => import('./pages/citizen/PersonalPensionPage.tsx'), 'PersonalPensionPage'),
  },
  {
    portal: 'citizen',
    path: '/citizen/flexible',
    title: 'page.citizen.flexible',
    nav: { icon: <SolutionOutlined /> },
    requires: ['POST /api/v1/enrolments/flexible'],
    component: page(() => import('./pages/citizen/FlexibleEnrolmentPage.tsx'), 'FlexibleEnrolmentPage'),
  },

  {
    portal: 'citizen',
    path: '/citizen/access-log',
    title: 'page.citizen.access',
    nav: { icon: <EyeOutlined /> },
    requires: ['GET /api/v1/persons/{id}/access-log'],
    component: page(() => import('./pages/citizen/AccessLogPage.tsx'), 'AccessLogPage'),
  },

  // ---- employer 单位 ----
  {
    portal: 'employer',
    path: '/employer',
    title: 'page.employer.staff',
    nav: { icon: <TeamOutlined /> },
    requires: ['GET /api/v1/employers/{id}/staff'],
    component: page(() => import('./pages/employer/StaffPage.tsx'), 'StaffPage'),
  },

  {
    portal: 'employer',
    path: '/employer/declarations',
    title: 'page.employer.declarations',
    nav: { icon: <FileTextOutlined /> },
    requires: ['POST /api/v1/employers/{id}/declarations', 'POST /api/v1/employers/{id}/declarations.csv'],
    component: page(() => import('./pages/employer/DeclarationsPage.tsx'), 'DeclarationsPage'),
  },
  {
    portal: 'employer',
    path: '/employer/bills',
    title: 'page.employer.bills',
    nav: { icon: <AccountBookOutlined /> },
    requires: ['GET /api/v1/bills', 'GET /api/v1/contributions/arrears'],
    component: page(() => import('./pages/employer/BillsPage.tsx'), 'BillsPage'),
  },

  {
    portal: 'employer',
    path: '/employer/cards',
    title: 'page.employer.cards',
    nav: { icon: <CreditCardOutlined /> },
    requires: ['POST /api/v1/employers/{id}/card-batches'],
    component: page(() => import('./pages/cards/EmployerCardBatchPage.tsx'), 'EmployerCardBatchPage'),
  },

  // ---- agency 经办 ----
  {
    portal: 'agency',
    path: '/agency/dashboard',
    title: 'page.agency.dashboard',
    nav: { icon: <BarChartOutlined /> },
    requires: ['GET /api/v1/statistics/overview'],
    component: page(() => import('./pages/agency/DashboardPage.tsx'), 'DashboardPage'),
  },
  {
    portal: 'agency',
    path: '/agency/cards',
    title: 'page.agency.cards',
    nav: { icon: <CreditCardOutlined /> },
    requires: ['GET /api/v1/card-register', 'POST /api/v1/cards/{id}/production'],
    component: page(() => import('./pages/cards/CardRegisterPage.tsx'), 'CardRegisterPage'),
  },
  {
    portal: 'agency',
    path: '/agency/persons',
    title: 'page.agency.persons',
    nav: { icon: <SearchOutlined /> },
    requires: ['GET /api/v1/persons'],
    component: page(() => import('./pages/agency/PersonSearchPage.tsx'), 'PersonSearchPage'),
  },
  {
    portal: 'agency',
    path: '/agency/persons/new',
    title: 'page.agency.register',
    nav: { icon: <UserAddOutlined /> },
    requires: ['POST /api/v1/persons'],
    component: page(() => import('./pages/agency/RegisterPersonPage.tsx'), 'RegisterPersonPage'),
  },
  {
    portal: 'agency',
    path: '/agency/persons/:id',
    title: 'page.agency.person',
    requires: ['GET /api/v1/persons/{id}'],
    component: page(() => import('./pages/agency/PersonDetailPage.tsx'), 'PersonDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/employers',
    title: 'page.agency.employers',
    nav: { icon: <ShopOutlined /> },
    requires: ['GET /api/v1/employers'],
    component: page(() => import('./pages/agency/EmployerSearchPage.tsx'), 'EmployerSearchPage'),
  },
  {
    portal: 'agency',
    path: '/agency/employers/:id',
    title: 'page.agency.employer',
    requires: ['GET /api/v1/employers/{id}'],
    component: page(() => import('./pages/agency/EmployerDetailPage.tsx'), 'EmployerDetailPage'),
  },
  {
    portal: 'agency',
    path: '/agency/coverage-gaps',
    title: 'page.agency.gaps',
    nav: { icon: <WarningOutlined /> },
    requires: ['GET /api/v1/coverage-gaps'],
    component: page(() => import('./pages/agency/CoverageGapsPage.tsx'), 'CoverageGapsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/retirement',
    title: 'page.agency.retirement',
    nav: { icon: <AuditOutlined /> },
    requires: ['GET /api/v1/retirement/due', 'GET /api/v1/retirement/cases'],
    roles: ['clerk', 'reviewer', 'supervisor', 'admin'],
    component: page(() => import('./pages/agency/RetirementPage.tsx'), 'RetirementPage'),
  },
  {
    portal: 'agency',
    path: '/agency/retirement/:id',
    title: 'page.agency.retirementCase',
    requires: ['GET /api/v1/retirement/cases/{id}'],
    component: page(() => import('./pages/agency/RetirementCasePage.tsx'), 'RetirementCasePage'),
  },
  {
    portal: 'agency',
    path: '/agency/certification',
    title: 'page.agency.certification',
    nav: { icon: <SafetyCertificateOutlined /> },
    requires: ['GET /api/v1/certification/campaigns', 'GET /api/v1/certification/campaigns/{id}'],
    component: page(
      () => import('./pages/agency/CertificationCampaignsPage.tsx'),
      'CertificationCampaignsPage',
    ),
  },
  {
    portal: 'agency',
    path: '/agency/payroll',
    title: 'page.agency.payroll',
    nav: { icon: <PayCircleOutlined /> },
    requires: ['GET /api/v1/payroll/summary', 'POST /api/v1/payroll/runs'],
    component: page(() => import('./pages/agency/PayrollPage.tsx'), 'PayrollPage'),
  },
  {
    portal: 'agency',
    path: '/agency/funds',
    title: 'page.agency.funds',
    nav: { icon: <FundOutlined /> },
    requires: ['GET /api/v1/reports/funds'],
    component: page(() => import('./pages/agency/FundsPage.tsx'), 'FundsPage'),
  },
  {
    portal: 'agency',
    path: '/agency/audit',
    title: 'page.agency.audit',
    nav: { icon: <FileSearchOutlined /> },
    requires: ['GET /api/v1/audit'],
    roles: ['supervisor'],
    component: page(() => import('./pages/agency/AuditPage.tsx'), 'AuditPage'),
  },
];
