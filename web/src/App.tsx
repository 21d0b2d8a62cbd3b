// Providers (language, antd locale and theme, session, features) and the page switch.
import { App as AntApp, ConfigProvider, Result, Button } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, lazy, useEffect, useSyncExternalStore } from 'react';
import { AuthProvider, portalHome, portalOf, useAuth } from './auth.tsx';
import { EmptyState, Loading } from './components/common.tsx';
import { I18nProvider, useI18n, type MessageKey } from './i18n/index.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { SetPasswordPage } from './pages/SetPasswordPage.tsx';
import { PaymentGatewayPage } from './pages/PaymentGatewayPage.tsx';
import { PAGES } from './pages.tsx';
import { publicPage, PublicLayout } from './pages/hall/PublicPages.tsx';
import { navPages, pageAvailable, PortalLayout, unfitOf } from './PortalLayout.tsx';
import { matchPath, navigate, useLocationPath } from './router.tsx';
import { useNodeRole } from './node-role.ts';
import { SituationProvider, useSituation, type Unfit } from './situation.tsx';

// The terminal simulator is public: a bus gate has no login (issue 14).
const TerminalPage = lazy(async () => ({
  default: (await import('./pages/cards/TerminalPage.tsx')).TerminalPage,
}));

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

/** A citizen's page that does not apply to them, opened by its address: why, in words, and where to go. */
function NotForYou({ title, unfit }: { title: MessageKey; unfit: Unfit }) {
  const { t } = useI18n();
  const instead = PAGES.find((p) => p.path === unfit.go);
  return (
    <Result
      status="info"
      data-testid="page-unfit"
      title={t('citizen.unfit.title', { page: t(title) })}
      subTitle={t(unfit.why)}
      extra={
        <Button type="primary" onClick={() => navigate(unfit.go)}>
          {instead ? t(instead.title) : t('notFound.home')}
        </Button>
      }
    />
  );
}

function Routes() {
  const path = useLocationPath();
  const { user, checking } = useAuth();
  const { t } = useI18n();
  const node = useNodeRole();
  const situation = useSituation();

  useEffect(() => {
    document.title = `${t('app.title')}`;
  }, [t]);

  // A new staff member's first visit: public, with the one-time token in the link's fragment.
  if (path === '/set-password') return <SetPasswordPage />;
  // The payment gateway's checkout (its simulator on the demo): outside the portal, like a bank's page.
  if (path === '/pay/gateway') return <PaymentGatewayPage />;
  // The online hall's public pages (registration, catalogue, verification) need no login.
  const open = publicPage(path);
  if (open) return <PublicLayout>{open}</PublicLayout>;
  if (path === '/terminal')
    return (
      <Suspense fallback={<Loading />}>
        <TerminalPage />
      </Suspense>
    );
  if (checking) return <Loading />;
  if (!user) return path === '/login' ? <LoginPage /> : <Redirect to="/login" />;
  if (path === '/login' || path === '/') return <Redirect to={portalHome(user.role)} />;

  const portal = portalOf(user.role);
  if (!path.startsWith(`/${portal}`)) return <Redirect to={portalHome(user.role)} />;
  // The portal's own address opens the first page the role may use.
  if (path === `/${portal}` || path === `/${portal}/`) {
    const first = navPages(portal, user.role, node)[0];
    if (first && first.path !== `/${portal}`) return <Redirect to={first.path} />;
    if (!first)
      return (
        <PortalLayout portal={portal} path={path}>
          <Result status="info" title={t('nav.nothing.title')} subTitle={t('nav.nothing.hint')} />
        </PortalLayout>
      );
  }

  let found: { def: (typeof PAGES)[number]; params: Record<string, string> } | null = null;
  for (const def of PAGES) {
    if (def.portal !== portal) continue;
    const params = matchPath(def.path, path);
    if (params) {
      found = { def, params };
      break;
    }
  }
  const available = found && pageAvailable(found.def, user.role);
  const unfit = found && available ? unfitOf(found.def, situation) : null;
  const Page = found?.def.component;
  return (
    <PortalLayout portal={portal} path={path}>
      {found?.def.fits && available && situation.reading ? (
        <Loading />
      ) : found && unfit ? (
        <NotForYou title={found.def.title} unfit={unfit} />
      ) : found && available && Page ? (
        <Suspense fallback={<Loading />}>
          <Page params={found.params} />
        </Suspense>
      ) : found ? (
        <Result
          status="403"
          title={t('forbidden.title')}
          subTitle={t('forbidden.hint')}
          extra={
            <Button type="primary" onClick={() => navigate(portalHome(user.role))}>
              {t('notFound.home')}
            </Button>
          }
        />
      ) : (
        <Result
          status="404"
          title={t('notFound.title')}
          subTitle={t('notFound.hint')}
          extra={
            <Button type="primary" onClick={() => navigate(portalHome(user.role))}>
              {t('notFound.home')}
            </Button>
          }
        />
      )}
    </PortalLayout>
  );
}

// The system's "reduce motion" setting (vestibular disorders; WCAG 2.3.3): drawers, dialogs and menus
// appear at once instead of sliding and zooming in.
const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const onMotionChange = (change: () => void) => {
  reduceMotion.addEventListener('change', change);
  return () => reduceMotion.removeEventListener('change', change);
};

function Themed() {
  const { lang, t } = useI18n();
  const still = useSyncExternalStore(onMotionChange, () => reduceMotion.matches);
  // The date pickers' month and weekday names come from dayjs, not from antd's locale: without this the
  // Chinese calendar's header read "2026年 Dec" and its weeks began on Sunday. Set before the pickers render.
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      button={{ autoInsertSpace: false }}
      locale={lang === 'zh-CN' ? zhCN : enUS}
      // a table or list a page gave no words of its own for: at least a sentence in the page's language,
      // not antd's bare "No data" (each list should say what it lists: `locale.emptyText`)
      renderEmpty={(name) =>
        name === 'Table' || name === 'List' ? <EmptyState title={t('list.empty')} /> : null
      }
      theme={{
        token: {
          colorPrimary: '#b3261e',
          motion: !still,
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
        },
      }}
    >
      <AntApp>
        <AuthProvider>
          <SituationProvider>
            <Routes />
          </SituationProvider>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
