// Log in with any role; the portal of the role opens.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { ApiError } from '../api.ts';
import { useState } from 'react';
import { portalHome, useAuth } from '../auth.tsx';
import { ErrorAlert } from '../components/common.tsx';
import { pickMessage, useI18n } from '../i18n/index.tsx';
import { LanguageSwitch } from '../PortalLayout.tsx';
import { Link, navigate } from '../router.tsx';

const DEMO_USERS = ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'admin'] as const;

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t, lang } = useI18n();
  const { login } = useAuth();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const user = await login(values.username.trim(), values.password);
      navigate(portalHome(user.role), { replace: true });
    } catch (e) {
      setError(e);
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-wrap">
      <Card className="login-card" variant="borderless">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {error instanceof ApiError && error.status === 401 ? (
          // A wrong password is one message; the "session ended" advice is for pages, not the login.
          <Alert
            type="error"
            showIcon
            role="alert"
            title={pickMessage(error.message, lang)}
            style={{ marginBottom: 16 }}
          />
        ) : (
          <ErrorAlert error={error} />
        )}
        <Form<LoginForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('login.username.required') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.password.required') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        <Space wrap style={{ marginTop: 12 }}>
          <Link to="/register">{t('hall.login.register')}</Link>
          <Link to="/register?tab=reset">{t('hall.login.reset')}</Link>
          <Link to="/services">{t('hall.login.services')}</Link>
        </Space>
        <div style={{ marginTop: 20 }}>
          <Typography.Text type="secondary">{t('login.demo')}</Typography.Text>
          <Space wrap size={[4, 8]} style={{ marginTop: 8 }}>
            {DEMO_USERS.map((u) => (
              <Button
                key={u}
                size="small"
                onClick={() => form.setFieldsValue({ username: u, password: 'shebao-demo' })}
              >
                {u}
              </Button>
            ))}
          </Space>
        </div>
      </Card>
    </div>
  );
}
