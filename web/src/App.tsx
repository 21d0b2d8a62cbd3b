// Providers (language, antd locale and theme, session, features) and the page switch.
import { App as AntApp, ConfigProvider, Result, Button } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { Suspense, lazy, useEffect } from 'react';
import { AuthProvider, portalHome, portalOf, useAuth } from './auth.tsx';
import { Loading } from './components/common.tsx';
import { FeaturesProvider, useFeatures } from './features.tsx';
import { I18nProvider, useI18n } from './i18n/index.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { PAGES } from './pages.tsx';
import { navPages, pageAvailable, PortalLayout } from './PortalLayout.tsx';
import { matchPath, navigate, useLocationPath } from './router.tsx';

// The terminal simulator is public: a bus gate has no login (issue 14).
const TerminalPage = lazy(async () => ({
  default: (await import('./pages/cards/TerminalPage.tsx')).TerminalPage,
}));

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

function Routes() {
  const path = useLocationPath();
  const { user, checking } = useAuth();
  const { loaded, has } = useFeatures();
  const { t } = useI18n();

  useEffect(() => {
    document.title = `${t('app.title')}`;
  }, [t]);

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
  if (!loaded) return <Loading />;

  // The portal's own address opens its first page this server offers.
  if (path === `/${portal}` || path === `/${portal}/`) {
    const first = navPages(portal, has, user.role)[0];
    if (first && first.path !== `/${portal}`) return <Redirect to={first.path} />;
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
  const available = found && pageAvailable(found.def, has, user.role);
  const Page = found?.def.component;
  return (
    <PortalLayout portal={portal} path={path}>
      {found && available && Page ? (
        <Suspense fallback={<Loading />}>
          <Page params={found.params} />
        </Suspense>
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

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      button={{ autoInsertSpace: false }}
      locale={lang === 'zh-CN' ? zhCN : enUS}
      theme={{
        token: {
          colorPrimary: '#b3261e',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
        },
      }}
    >
      <AntApp>
        <AuthProvider>
          <FeaturesProvider>
            <Routes />
          </FeaturesProvider>
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
