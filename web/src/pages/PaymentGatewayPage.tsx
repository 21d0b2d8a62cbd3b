// The payment gateway SIMULATOR's page (demo only), standing in for a bank's or a payment company's
// checkout: it shows the merchant's order (number and amount, nothing about the person), and the
// payer confirms or cancels. The gateway then notifies the server (signed), and sends the payer back.
import { Alert, Button, Card, Descriptions, Space, Tag } from 'antd';
import { useState } from 'react';
import { paymentApi, safeReturnPath } from '../api-payment.ts';
import { ErrorAlert, Loading, useLoad } from '../components/common.tsx';
import { formatMoney } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { LanguageSwitch } from '../PortalLayout.tsx';
import { navigate } from '../router.tsx';

export function PaymentGatewayPage() {
  const { t } = useI18n();
  const [q] = useState(() => new URLSearchParams(window.location.search));
  const orderNo = q.get('order') ?? '';
  const back = safeReturnPath(q.get('back'));
  const order = useLoad(() => paymentApi.gatewayOrder(orderNo), [orderNo]);
  const [busy, setBusy] = useState<'success' | 'failed' | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function finish(outcome: 'success' | 'failed') {
    setBusy(outcome);
    setError(null);
    try {
      await paymentApi.gatewayConfirm(orderNo, outcome);
      navigate(`${back}?order=${encodeURIComponent(orderNo)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div style={{ maxWidth: 480, margin: '40px auto', padding: '0 16px' }}>
      <div style={{ textAlign: 'right' }}>
        <LanguageSwitch />
      </div>
      <Card
        title={
          <h1 style={{ fontSize: 20, margin: 0 }}>
            {t('gateway.title')} <Tag color="purple">{t('gateway.demo')}</Tag>
          </h1>
        }
      >
        <Alert type="info" showIcon title={t('gateway.intro')} style={{ marginBottom: 16 }} />
        {order.loading ? <Loading /> : null}
        <ErrorAlert error={order.error} onRetry={order.reload} />
        {order.data ? (
          <>
            <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('gateway.merchant')}>{t('gateway.merchantName')}</Descriptions.Item>
              <Descriptions.Item label={t('gateway.order')}>
                <span style={{ wordBreak: 'break-all' }}>{order.data.orderNo}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('gateway.amount')}>
                <strong className="money">{formatMoney(order.data.amountFen)}</strong>
              </Descriptions.Item>
            </Descriptions>
            <ErrorAlert error={error} />
            {order.data.status === 'pending' ? (
              <Space wrap>
                <Button type="primary" loading={busy === 'success'} onClick={() => void finish('success')}>
                  {t('gateway.confirm', { amount: formatMoney(order.data.amountFen) })}
                </Button>
                <Button loading={busy === 'failed'} onClick={() => void finish('failed')}>
                  {t('gateway.cancel')}
                </Button>
              </Space>
            ) : (
              <Space direction="vertical">
                <Alert type="warning" showIcon title={t('gateway.notPending')} />
                <Button onClick={() => navigate(`${back}?order=${encodeURIComponent(orderNo)}`)}>
                  {t('gateway.back')}
                </Button>
              </Space>
            )}
          </>
        ) : null}
      </Card>
    </div>
  );
}
