// 设置密码: a new staff member sets their own password with the one-time token from the link the
// administrator handed over (/set-password#token=…; in the fragment, so no server log sees it).
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { approvalApi } from '../api-approvals.ts';
import { ErrorAlert } from '../components/common.tsx';
import { LanguageSwitch } from '../PortalLayout.tsx';
import { useI18n } from '../i18n/index.tsx';
import { navigate } from '../router.tsx';

export function SetPasswordPage() {
  const { t } = useI18n();
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  async function submit(v: { password: string }) {
    setBusy(true);
    setError(null);
    try {
      const r = await approvalApi.setPassword(token, v.password);
      setDone(r.username);
      window.history.replaceState(null, '', '/set-password');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div style={{ maxWidth: 440, margin: '48px auto', padding: '0 16px' }}>
      <div style={{ textAlign: 'right' }}>
        <LanguageSwitch />
      </div>
      <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t('setpw.title')}</h1>}>
        {done ? (
          <>
            <Alert type="success" showIcon role="status" title={t('setpw.done', { username: done })} />
            <Button type="primary" style={{ marginTop: 16 }} onClick={() => navigate('/login')}>
              {t('setpw.toLogin')}
            </Button>
          </>
        ) : token === '' ? (
          <Alert type="error" showIcon title={t('setpw.noToken')} />
        ) : (
          <Form layout="vertical" onFinish={(v: { password: string }) => void submit(v)}>
            <p>{t('setpw.hint')}</p>
            <Form.Item
              name="password"
              label={t('setpw.password')}
              rules={[{ required: true, message: t('users.required') }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('setpw.confirm')}
              dependencies={['password']}
              rules={[
                { required: true, message: t('users.required') },
                ({ getFieldValue }) => ({
                  validator: (_, v) =>
                    v === getFieldValue('password')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('setpw.mismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <ErrorAlert error={error} />
            <Button type="primary" htmlType="submit" loading={busy} block style={{ marginTop: 8 }}>
              {t('setpw.submit')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
