// The unemployment fund's month in the fund report (基金收支): benefit paid and to how many people, the
// medical premiums the fund paid for them, one-off grants, and the claims waiting (overdue ones too).
import { Card, Col, Row, Statistic } from 'antd';
import { request, type Answer } from '../../api.ts';
import { ErrorAlert, useLoad } from '../../components/common.tsx';
import { formatCount, formatMoney } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

export function UnemploymentFundFigures({ period }: { period: string }) {
  const { t } = useI18n();
  const { data, error } = useLoad(
    () =>
      request<Answer<'/api/v1/unemployment/figures'>>('GET', '/api/v1/unemployment/figures', undefined, {
        period,
      }),
    [period],
  );
  return (
    <Card title={t('ue.figures.title')} style={{ marginTop: 16 }} data-testid="ue-fund-figures">
      <ErrorAlert error={error} />
      {data ? (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Statistic
              title={t('ue.figures.recipients')}
              value={formatCount(data.recipients)}
              suffix={t('unit.people')}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('ue.payroll.benefit')} value={formatMoney(data.benefitFen)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('ue.payroll.medical')} value={formatMoney(data.medicalFen)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('ue.figures.grants', { n: data.grants })}
              value={formatMoney(data.grantsFen)}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('ue.figures.inPayment')}
              value={formatCount(data.claimsInPayment)}
              suffix={t('unit.cases')}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('ue.figures.waiting')}
              value={formatCount(data.claimsWaiting)}
              suffix={t('unit.cases')}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('ue.figures.overdue')}
              value={formatCount(data.overdue)}
              suffix={t('unit.cases')}
            />
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}
