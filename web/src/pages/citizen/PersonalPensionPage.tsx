// 个人养老金: the account (opened here if there is none), the balance, this year's contributions
// against the 12,000-yuan cap, paying in, and withdrawing for a lawful reason (taxed at 3%).
import { App, Button, Card, Col, Form, Progress, Row, Select, Statistic } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useState } from 'react';
import { api, ApiError, type PersonalPensionSummary } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { agencyYear, formatDate, formatMoney, yuanToFen } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

const newKey = () => `web-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
const REASONS = [
  'retirement',
  'disability',
  'emigration',
  'serious_illness',
  'long_unemployment',
  'minimum_living',
];

export function PersonalPensionPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const personId = useAuth().user?.personId ?? null;
  const { data, error, loading, reload } = useLoad(
    personId
      ? () =>
          api.personalPension(personId).catch((e: unknown) => {
            if (e instanceof ApiError && e.status === 404) return null; // no account yet
            throw e;
          })
      : null,
    [personId],
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [payForm] = Form.useForm<{ amount: string }>();
  const [drawForm] = Form.useForm<{ amount: string; reason: string }>();
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;

  async function act(name: string, fn: () => Promise<unknown>, done: string) {
    setBusy(name);
    setActionError(null);
    try {
      await fn();
      void message.success(done);
      reload();
      return true;
    } catch (e) {
      setActionError(e);
      return false;
    } finally {
      setBusy(null);
    }
  }

  const year = agencyYear();
  const thisYear: PersonalPensionSummary['years'][number] | undefined = data?.years.find(
    (y) => y.year === year,
  );
  const capFen = thisYear?.capFen ?? data?.years[0]?.capFen ?? 1_200_000;
  const usedFen = thisYear?.contributedFen ?? 0;
  const remainingFen = thisYear?.remainingFen ?? capFen - usedFen;

  return (
    <>
      <PageTitle>{t('page.citizen.personalPension')}</PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && data === undefined ? <Loading /> : null}
      {data === null ? (
        <Card>
          <EmptyState
            title={t('pp.none')}
            hint={t('pp.none.hint')}
            action={
              <Button
                type="primary"
                loading={busy === 'open'}
                onClick={() => void act('open', () => api.openPersonalPension(personId), t('pp.opened'))}
              >
                {t('pp.open')}
              </Button>
            }
          />
          <ErrorAlert error={actionError} />
        </Card>
      ) : null}
      {data ? (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('pp.balance')} value={formatMoney(data.balanceFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('pp.contributed')} value={formatMoney(data.contributedFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('pp.withdrawn')} value={formatMoney(data.withdrawnFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('pp.tax')} value={formatMoney(data.taxPaidFen)} />
              </Card>
            </Col>
          </Row>
          <ErrorAlert error={actionError} />
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} xl={12}>
              <Card title={t('pp.pay', { year })}>
                <div style={{ marginBottom: 12 }}>
                  {t('pp.cap', { used: formatMoney(usedFen), cap: formatMoney(capFen) })}
                  <Progress
                    percent={capFen > 0 ? Math.min(100, Math.round((usedFen * 100) / capFen)) : 0}
                    aria-label={t('pp.cap', { used: formatMoney(usedFen), cap: formatMoney(capFen) })}
                  />
                  {t('pp.remaining', { amount: formatMoney(remainingFen) })}
                </div>
                <Form
                  form={payForm}
                  layout="vertical"
                  onFinish={(v) => {
                    const fen = yuanToFen(v.amount);
                    if (fen === null) return;
                    void act(
                      'pay',
                      () => api.personalPensionContribute(personId, fen, newKey()),
                      t('pp.paid'),
                    ).then((ok) => ok && payForm.resetFields());
                  }}
                >
                  <Form.Item
                    name="amount"
                    label={t('pp.amount')}
                    rules={[
                      { required: true, message: t('pp.amount.required') },
                      {
                        validator: async (_, v: string | undefined) => {
                          if (!v) return;
                          const fen = yuanToFen(v);
                          if (fen === null || fen <= 0) throw new Error(t('pp.amount.invalid'));
                          if (fen > remainingFen)
                            throw new Error(t('pp.amount.overCap', { amount: formatMoney(remainingFen) }));
                        },
                      },
                    ]}
                  >
                    <MoneyInput placeholder="1,000.00" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy === 'pay'}>
                    {t('pp.payButton')}
                  </Button>
                </Form>
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('pp.withdraw')}>
                <p style={{ color: 'rgba(0,0,0,0.55)' }}>{t('pp.withdraw.hint')}</p>
                <Form
                  form={drawForm}
                  layout="vertical"
                  initialValues={{ reason: 'retirement' }}
                  onFinish={(v) => {
                    const fen = yuanToFen(v.amount);
                    if (fen === null) return;
                    void act(
                      'draw',
                      () =>
                        api.personalPensionWithdraw(personId, {
                          amountFen: fen,
                          reason: v.reason,
                          idempotencyKey: newKey(),
                        }),
                      t('pp.drawn'),
                    ).then((ok) => ok && drawForm.resetFields());
                  }}
                >
                  <Form.Item name="reason" label={t('pp.reason')} rules={[{ required: true }]}>
                    <Select options={REASONS.map((r) => ({ value: r, label: code('pp.reason', r) }))} />
                  </Form.Item>
                  <Form.Item
                    name="amount"
                    label={t('pp.amount')}
                    rules={[
                      { required: true, message: t('pp.amount.required') },
                      {
                        validator: async (_, v: string | undefined) => {
                          if (!v) return;
                          const fen = yuanToFen(v);
                          if (fen === null || fen <= 0) throw new Error(t('pp.amount.invalid'));
                          if (fen > data.balanceFen)
                            throw new Error(
                              t('pp.amount.overBalance', { amount: formatMoney(data.balanceFen) }),
                            );
                        },
                      },
                    ]}
                  >
                    <MoneyInput />
                  </Form.Item>
                  <Button htmlType="submit" loading={busy === 'draw'} disabled={data.balanceFen <= 0}>
                    {t('pp.withdrawButton')}
                  </Button>
                </Form>
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card title={t('pp.contributions')}>
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={[...data.contributions].reverse()}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  locale={{ emptyText: <EmptyState title={t('pp.contributions.empty')} /> }}
                  columns={[
                    { title: t('pp.date'), dataIndex: 'paidOn', render: (d: string) => formatDate(d, lang) },
                    {
                      title: t('pp.amount'),
                      dataIndex: 'amountFen',
                      align: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('pp.withdrawals')}>
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={[...data.withdrawals].reverse()}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  scroll={{ x: 480 }}
                  locale={{ emptyText: <EmptyState title={t('pp.withdrawals.empty')} /> }}
                  columns={[
                    {
                      title: t('pp.date'),
                      dataIndex: 'withdrawnOn',
                      render: (d: string) => formatDate(d, lang),
                    },
                    {
                      title: t('pp.reason'),
                      dataIndex: 'reason',
                      render: (r: string) => code('pp.reason', r),
                    },
                    {
                      title: t('pp.gross'),
                      dataIndex: 'grossFen',
                      align: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                    {
                      title: t('pp.taxCol'),
                      dataIndex: 'taxFen',
                      align: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                    {
                      title: t('pp.net'),
                      dataIndex: 'netFen',
                      align: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      ) : null}
    </>
  );
}
