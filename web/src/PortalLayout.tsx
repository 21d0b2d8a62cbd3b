// One layout per portal: a header with the portal's name, the language switch and the user, and a
// menu of the pages the user's role may use (a drawer on narrow screens).
import { GlobalOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useAuth, type Portal } from './auth.tsx';
import { roleCan } from './access.ts';
import { useI18n, type MessageKey } from './i18n/index.tsx';
import { PAGES, type PageDef } from './pages.tsx';
import type { Role } from './api.ts';
import { navigate, matchPath } from './router.tsx';
import { useNodeRole, type NodeRole } from './node-role.ts';
import { useSituation, type Unfit, type SituationState } from './situation.tsx';

const PORTAL_TITLE: Record<Portal, MessageKey> = {
  citizen: 'portal.citizen',
  employer: 'portal.employer',
  agency: 'portal.agency',
  hospital: 'portal.hospital',
};

/** Whether a page is offered: the user's role may do everything the page needs (decided by role, not by asking the server). */
export function pageAvailable(p: PageDef, role: Role | undefined): boolean {
  return p.needs.every((a) => roleCan(role, a));
}

/** Why a citizen's page does not apply to them, or null (it does, it has no condition, or their situation could not be read). */
export function unfitOf(p: PageDef, s: SituationState): Unfit | null {
  return p.fits && s.situation ? p.fits(s.situation) : null;
}

/** The menu: a page with a condition is offered once the person's situation is read and it applies. */
export function navPages(portal: Portal, role?: Role, node: NodeRole = 'single', s?: SituationState) {
  return PAGES.filter(
    (p) =>
      p.portal === portal &&
      p.nav &&
      pageAvailable(p, role) &&
      (!p.nodes || p.nodes.includes(node)) &&
      !(s && ((p.fits && s.reading) || unfitOf(p, s))),
  );
}

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
      title={t('lang.switch')}
      lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}
      style={dark ? { color: '#fff' } : undefined}
    >
      {lang === 'zh-CN' ? 'English' : '中文'}
    </Button>
  );
}

export function PortalLayout({
  portal,
  path,
  children,
}: {
  portal: Portal;
  path: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { user, logout } = useAuth();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const entries = navPages(portal, user?.role, useNodeRole(), useSituation());
  // The selected entry is the longest nav path that is a prefix of (or matches) the current path; the
  // portal's home (/citizen, /employer) only when it is the page open — as a prefix of every address it
  // lit 我的参保 over a page the menu does not offer (a retiree's 灵活就业参保 opened by its address).
  const selected =
    entries
      .filter((p) => matchPath(p.path, path) || (p.path !== `/${portal}` && path.startsWith(`${p.path}/`)))
      .sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '';

  const menu = (
    <Menu
      mode="inline"
      className="portal-menu"
      selectedKeys={[selected]}
      items={entries.map((p) => ({ key: p.path, icon: p.nav?.icon, label: t(p.title) }))}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="portal-header">
        {narrow ? (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('nav.open')}
            onClick={() => setDrawerOpen(true)}
            style={{ color: '#fff' }}
          />
        ) : null}
        <Typography.Title level={4} className="portal-title">
          <span aria-hidden="true">社保</span>
          <span className="portal-name">{t(PORTAL_TITLE[portal])}</span>
        </Typography.Title>
        <Space size={narrow ? 0 : 'small'} className="portal-user">
          {!narrow && user ? (
            <span className="portal-username">
              {user.displayName}
              {user.role === 'citizen' ? null : <span className="portal-role">{t(`role.${user.role}`)}</span>}
            </span>
          ) : null}
          <LanguageSwitch dark />
          <Button
            type="text"
            icon={<LogoutOutlined />}
            style={{ color: '#fff' }}
            aria-label={t('action.logout')}
            onClick={() => void logout().then(() => navigate('/login', { replace: true }))}
          >
            {narrow ? null : t('action.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        {narrow ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={t(PORTAL_TITLE[portal])}
            size={260}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={208} theme="light" className="portal-sider">
            <nav aria-label={t('nav.label')}>{menu}</nav>
          </Layout.Sider>
        )}
        {/* Layout.Content is the page's one <main> landmark (a <main> inside it made two). */}
        <Layout.Content className="portal-content" id="main">
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
