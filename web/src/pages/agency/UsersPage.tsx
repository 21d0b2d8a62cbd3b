// 人员账号 (administrators): staff accounts of the region — create one for a registered person by
// ID number (no password: a one-time set-password link shown once), request a role change, disable;
// and the roles waiting for a second administrator or the supervisor to approve.
import { Alert, App, Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { approvalApi, type CreatedStaffUser, type StaffRole, type StaffUser } from '../../api-approvals.ts';
import { useAuth } from '../../auth.tsx';
import { ApprovalTable } from '../../components/approvals.tsx';
import { emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { formatDate } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';

const ROLES: StaffRole[] = ['clerk', 'reviewer', 'supervisor', 'admin'];

interface NewUserForm {
  username: string;
  idNumber: string;
  role: StaffRole;
  displayName?: string;
}

export function UsersPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const me = useAuth().user;
  const regionName = useRegionName();
  const region = me?.region ?? '';
  const [refresh, setRefresh] = useState(0);
  const users = useLoad(() => approvalApi.users().then((p) => p.items), [refresh]);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedStaffUser | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [disabling, setDisabling] = useState<StaffUser | null>(null);
  const [form] = Form.useForm<NewUserForm>();
  const roleText = (r: string) => t(`role.${r}` as 'role.clerk');

  async function create(v: NewUserForm) {
    setCreating(true);
    setCreateError(null);
    try {
      const r = await approvalApi.createUser({
        username: v.username.trim(),
        idNumber: v.idNumber.trim().toUpperCase(),
        role: v.role,
        region,
        ...(v.displayName?.trim() ? { displayName: v.displayName.trim() } : {}),
      });
      setCreated(r);
      form.resetFields();
      setRefresh((n) => n + 1);
    } catch (e) {
      setCreateError(e);
    } finally {
      setCreating(false);
    }
  }

  async function changeRole(u: StaffUser, role: StaffRole) {
    setActionError(null);
    try {
      await approvalApi.requestRole(u.id, role);
      setRefresh((n) => n + 1);
    } catch (e) {
      setActionError(e);
    }
  }

  /** The disable dialog's call: its refusal stays in the dialog (ReasonDialog shows it). */
  async function disable(u: StaffUser, reason: string) {
    setActionError(null);
    await approvalApi.disableUser(u.id, reason);
    void message.success(`${t('users.disable')}: ${u.username}`);
    setRefresh((n) => n + 1);
  }

  const link = created ? `${window.location.origin}/set-password#token=${created.setPasswordToken}` : '';
  const columns: ColumnsType<StaffUser> = [
    { title: t('users.col.username'), dataIndex: 'username' },
    { title: t('users.col.name'), dataIndex: 'displayName' },
    {
      title: t('users.col.person'),
      key: 'person',
      render: (_: unknown, u) =>
        u.personName ? (
          `${u.personName} ${u.personIdNumber ?? ''}`
        ) : (
          <Tag color="red">{t('users.status.unlinked')}</Tag>
        ),
    },
    { title: t('users.col.role'), dataIndex: 'role', render: (r: string) => roleText(r) },
    {
      title: t('users.col.status'),
      key: 'status',
      render: (_: unknown, u) => (
        <Space wrap size={4}>
          {u.pendingRole ? (
            <Tag color="orange">{t('users.status.pending', { role: roleText(u.pendingRole.role) })}</Tag>
          ) : (
            <Tag color={u.disabled ? 'default' : 'green'}>
              {t(u.disabled ? 'users.status.disabled' : 'users.status.active')}
            </Tag>
          )}
          {u.mustSetPassword ? <Tag color="blue">{t('users.status.mustSetPassword')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('users.col.actions'),
      key: 'actions',
      render: (_: unknown, u) =>
        u.id === me?.id ? null : (
          <Space wrap>
            <Select<StaffRole | null>
              size="small"
              style={{ width: 180 }}
              placeholder={t('users.changeRole')}
              aria-label={`${t('users.changeRole')} ${u.username}`}
              disabled={u.pendingRole !== null}
              value={null}
              options={ROLES.filter((r) => r !== u.role).map((r) => ({ value: r, label: roleText(r) }))}
              onChange={(r) => {
                if (r) void changeRole(u, r);
              }}
            />
            {u.disabled ? null : (
              <Button size="small" danger onClick={() => setDisabling(u)}>
                {t('users.disable')}
              </Button>
            )}
          </Space>
        ),
    },
  ];

  return (
    <>
      <PageTitle>{t('page.agency.users')}</PageTitle>
      <Card title={t('users.create')} style={{ marginBottom: 16 }}>
        <Form<NewUserForm>
          form={form}
          layout="vertical"
          initialValues={{ role: 'clerk' }}
          onFinish={(v) => void create(v)}
          style={{ maxWidth: 560 }}
        >
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[{ required: true, message: t('users.required') }]}
          >
            <Input autoComplete="off" maxLength={64} />
          </Form.Item>
          <Form.Item name="idNumber" label={t('users.idNumber')} rules={idNumberRules(lang)}>
            <Input autoComplete="off" maxLength={18} />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')}>
            <Select<StaffRole> options={ROLES.map((r) => ({ value: r, label: roleText(r) }))} />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')}>
            <Input maxLength={100} />
          </Form.Item>
          <p style={{ color: 'rgba(0,0,0,0.55)' }}>{t('users.regionIs', { region: regionName(region) })}</p>
          <ErrorAlert error={createError} />
          <Button type="primary" htmlType="submit" loading={creating}>
            {t('users.submit')}
          </Button>
        </Form>
        {created ? (
          <Alert
            style={{ marginTop: 16 }}
            type="warning"
            showIcon
            role="status"
            title={`${t('users.token.title')} · ${created.user.username}`}
            description={
              <>
                <p>{t('users.token.desc')}</p>
                <Typography.Paragraph copyable={{ text: link }} code data-testid="set-password-link">
                  {link}
                </Typography.Paragraph>
                <p>
                  {t('users.token.expires', {
                    date: formatDate(created.setPasswordExpiresAt, lang),
                  })}
                </p>
              </>
            }
          />
        ) : null}
      </Card>
      <Card title={t('users.pending.title')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('users.pending.hint')}</Typography.Paragraph>
        <ApprovalTable
          kinds={['user.role']}
          status="prepared"
          canDecide
          refresh={refresh}
          onDecided={() => setRefresh((n) => n + 1)}
          empty="users.pending.empty"
        />
      </Card>
      <Card title={t('users.list')}>
        <ErrorAlert error={users.error} onRetry={users.reload} />
        <ErrorAlert error={actionError} />
        <Table<StaffUser>
          rowKey="id"
          size="small"
          loading={users.loading}
          columns={columns}
          dataSource={users.data ?? []}
          locale={emptyTable(t('empty.users'), t('empty.users.hint'))}
          pagination={false}
          scroll={{ x: true }}
        />
      </Card>
      <ReasonDialog
        open={disabling !== null}
        title={disabling ? `${t('users.disable')} · ${disabling.username}` : ''}
        okText={t('users.disable')}
        label={t('users.disable.reason')}
        danger
        minLength={1}
        maxLength={500}
        onSubmit={(reason) => (disabling ? disable(disabling, reason) : Promise.resolve())}
        onClose={() => setDisabling(null)}
      />
    </>
  );
}
