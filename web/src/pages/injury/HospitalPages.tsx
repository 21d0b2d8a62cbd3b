// The hospital simulator (role `hospital`, a hospital's staff): submit a work-injury bill as the
// hospital's system would, see the check item by item, the hospital's bills and what the settlement
// runs paid; the hospital's API keys (made, rotated, revoked; a key shown once).
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { IsoDatePicker } from '../../components/DatePicker.tsx';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import {
  formatCountOf,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPeriod,
  todayIso,
  yuanToFen,
} from '../../format.ts';
import { useRegionName } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';
import {
  hospitalApi,
  type Bill,
  type BillItemIn,
  type BillRow,
  type NewKey,
  type Submitted,
} from './hospitalApi.ts';

const STATUS_COLOR: Record<string, string> = { accepted: 'green', partly_accepted: 'orange', refused: 'red' };

export function BillStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'}>
      {t(`hosp.status.${status}` as 'hosp.status.accepted')}
    </Tag>
  );
}

export function BillResult({
  bill,
  replayed,
  englishNames,
}: {
  bill: Bill;
  replayed?: boolean;
  /** the catalogue's English names by code: the bill carries only the Chinese one */
  englishNames: ReadonlyMap<string, string>;
}) {
  const { t, lang } = useI18n();
  return (
    <Card title={`${t('hosp.result')} · ${bill.billNo}`} style={{ marginTop: 16 }} data-testid="bill-result">
      {replayed ? (
        <Alert type="info" showIcon title={t('hosp.replayed')} style={{ marginBottom: 12 }} />
      ) : null}
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('hosp.caseId')}>{bill.caseId}</Descriptions.Item>
        <Descriptions.Item label={t('hosp.claimed')}>{formatMoney(bill.claimedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('hosp.accepted')}>
          <Space>
            {formatMoney(bill.acceptedFen)}
            <BillStatusTag status={bill.status} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('hosp.settled')}>
          {bill.settlementPeriod ? formatPeriod(bill.settlementPeriod, lang) : t('hosp.unsettled')}
        </Descriptions.Item>
      </Descriptions>
      {bill.reasonZh ? (
        <Alert
          type="error"
          showIcon
          title={lang === 'en' ? bill.reasonEn : bill.reasonZh}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table
        size="small"
        rowKey="lineNo"
        pagination={false}
        dataSource={bill.items}
        columns={[
          { title: '#', dataIndex: 'lineNo', width: 48 },
          {
            title: t('hosp.item.code'),
            render: (_: unknown, r: Bill['items'][number]) =>
              `${r.code} ${(lang === 'en' ? englishNames.get(r.code) : r.nameZh) ?? r.nameZh ?? ''}`,
          },
          {
            title: t('hosp.item.date'),
            dataIndex: 'serviceDate',
            render: (d: string) => formatDate(d, lang),
          },
          { title: t('hosp.item.qty'), dataIndex: 'quantity', align: 'right' },
          { title: t('hosp.claimed'), align: 'right', render: (_: unknown, r) => formatMoney(r.claimedFen) },
          {
            title: t('hosp.accepted'),
            align: 'right',
            render: (_: unknown, r) => formatMoney(r.acceptedFen),
          },
          {
            title: t('hosp.reason'),
            render: (_: unknown, r) =>
              r.reason === null ? (
                <Tag color="green">{t('hosp.ok')}</Tag>
              ) : (
                <span>{lang === 'en' ? r.reasonEn : r.reasonZh}</span>
              ),
          },
        ]}
      />
    </Card>
  );
}

interface Line {
  key: number;
  code: string;
  serviceDate: string;
  quantity: number;
  price: string;
}

export function HospitalBillsPage() {
  const { t, lang } = useI18n();
  const me = useLoad(() => hospitalApi.me(), []);
  const catalogue = useLoad(() => hospitalApi.catalogue(), []);
  const [refresh, setRefresh] = useState(0);
  const bills = useLoad(() => hospitalApi.bills(), [refresh]);
  const [caseId, setCaseId] = useState<number | null>(null);
  const [idNumber, setIdNumber] = useState('');
  const [billNo, setBillNo] = useState(() => `HIS-${Date.now().toString(36).toUpperCase()}`);
  const [admission, setAdmission] = useState(todayIso());
  const [discharge, setDischarge] = useState('');
  const [lines, setLines] = useState<Line[]>([
    { key: 1, code: 'T0101', serviceDate: todayIso(), quantity: 1, price: '25.00' },
  ]);
  const [result, setResult] = useState<Submitted | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const update = (key: number, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const items: BillItemIn[] = lines.map((l) => ({
        code: l.code,
        serviceDate: l.serviceDate,
        quantity: l.quantity,
        unitPriceFen: yuanToFen(l.price) ?? -1,
      }));
      const r = await hospitalApi.submit({
        billNo,
        caseId: caseId ?? 0,
        idNumber: idNumber.trim().toUpperCase(),
        admissionDate: admission,
        dischargeDate: discharge === '' ? null : discharge,
        items,
      });
      setResult(r);
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function view(id: number) {
    setError(null);
    try {
      setResult({ bill: await hospitalApi.bill(id), replayed: false });
    } catch (e) {
      setError(e);
    }
  }

  // Built once per catalogue load, not on every keystroke in the bill form.
  const englishNames = useMemo(
    () => new Map((catalogue.data?.items ?? []).map((i) => [i.code, i.nameEn])),
    [catalogue.data],
  );
  const options = (catalogue.data?.items ?? []).map((i) => ({
    value: i.code,
    label: `${i.code} ${lang === 'en' ? i.nameEn : i.nameZh}${i.covered ? '' : ' ✕'}`,
  }));

  return (
    <>
      <PageTitle>{t('page.hospital.bills')}</PageTitle>
      {me.data ? (
        <Typography.Paragraph strong>
          {me.data.name}（{me.data.code}）
        </Typography.Paragraph>
      ) : null}
      <Typography.Paragraph type="secondary">{t('hosp.intro')}</Typography.Paragraph>
      <ErrorAlert error={me.error ?? catalogue.error} />
      <Card title={t('hosp.submit')}>
        <Space wrap align="end" style={{ marginBottom: 12 }}>
          <label>
            <div>{t('hosp.caseId')}</div>
            <InputNumber
              aria-label={t('hosp.caseId')}
              min={1}
              style={{ width: 160 }}
              value={caseId}
              onChange={(v) => setCaseId(v)}
            />
          </label>
          <label>
            <div>{t('hosp.idNumber')}</div>
            <Input
              aria-label={t('hosp.idNumber')}
              value={idNumber}
              maxLength={18}
              style={{ width: 200 }}
              onChange={(e) => setIdNumber(e.target.value)}
            />
          </label>
          <label>
            <div>{t('hosp.billNo')}</div>
            <Input
              aria-label={t('hosp.billNo')}
              value={billNo}
              style={{ width: 180 }}
              onChange={(e) => setBillNo(e.target.value)}
            />
          </label>
          <label>
            <div>{t('hosp.admission')}</div>
            <IsoDatePicker
              upToToday
              aria-label={t('hosp.admission')}
              allowClear={false}
              value={admission}
              onChange={setAdmission}
              style={{ width: 160 }}
            />
          </label>
          <label>
            <div>{t('hosp.discharge')}</div>
            <IsoDatePicker
              upToToday
              aria-label={t('hosp.discharge')}
              value={discharge}
              onChange={setDischarge}
              style={{ width: 160 }}
            />
          </label>
        </Space>
        <div>
          <Typography.Text strong>{t('hosp.items')}</Typography.Text>
        </div>
        {lines.map((l, i) => (
          <Space key={l.key} wrap style={{ display: 'flex', marginTop: 8 }} data-testid={`line-${i + 1}`}>
            <Select
              aria-label={`${t('hosp.item.code')} ${i + 1}`}
              showSearch
              optionFilterProp="label"
              style={{ width: 280, maxWidth: '80vw' }}
              value={l.code}
              options={options}
              onChange={(v: string) => update(l.key, { code: v })}
            />
            <IsoDatePicker
              upToToday
              aria-label={`${t('hosp.item.date')} ${i + 1}`}
              allowClear={false}
              value={l.serviceDate}
              onChange={(d) => update(l.key, { serviceDate: d })}
              style={{ width: 160 }}
            />
            <InputNumber
              aria-label={`${t('hosp.item.qty')} ${i + 1}`}
              // the line's boxes have no headings: a bare "1" beside the date said nothing
              prefix={t('hosp.item.qty')}
              min={1}
              value={l.quantity}
              onChange={(v) => update(l.key, { quantity: v ?? 1 })}
            />
            <MoneyInput
              aria-label={`${t('hosp.item.price')} ${i + 1}`}
              value={l.price}
              explain
              style={{ width: 130 }}
              onChange={(price) => update(l.key, { price })}
            />
            {lines.length > 1 ? (
              <Button onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>
                {t('hosp.item.remove')}
              </Button>
            ) : null}
          </Space>
        ))}
        <Space style={{ marginTop: 12 }} wrap>
          <Button
            onClick={() =>
              setLines((ls) => [
                ...ls,
                {
                  key: Math.max(...ls.map((x) => x.key)) + 1,
                  code: 'D0101',
                  serviceDate: admission,
                  quantity: 1,
                  price: '1.50',
                },
              ])
            }
          >
            {t('hosp.item.add')}
          </Button>
          <Button
            type="primary"
            loading={busy}
            disabled={caseId === null || idNumber.length !== 18}
            onClick={() => void submit()}
          >
            {t('hosp.submit')}
          </Button>
        </Space>
      </Card>
      <div style={{ marginTop: 16 }}>
        <ErrorAlert error={error} />
      </div>
      {result ? (
        <BillResult bill={result.bill} replayed={result.replayed} englishNames={englishNames} />
      ) : null}
      <Card title={t('hosp.myBills')} style={{ marginTop: 16 }}>
        <ErrorAlert error={bills.error} onRetry={bills.reload} />
        <Table<BillRow>
          size="small"
          rowKey="id"
          loading={bills.loading}
          dataSource={bills.data?.items ?? []}
          locale={emptyTable(t('empty.hospital.bills'), t('empty.hospital.bills.hint'))}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('hosp.billNo'), dataIndex: 'billNo' },
            { title: t('hosp.caseId'), dataIndex: 'caseId' },
            {
              title: t('hosp.admission'),
              dataIndex: 'submittedOn',
              render: (d: string) => formatDate(d, lang),
            },
            {
              title: t('hosp.claimed'),
              align: 'right',
              render: (_: unknown, r) => formatMoney(r.claimedFen),
            },
            {
              title: t('hosp.accepted'),
              align: 'right',
              render: (_: unknown, r) => formatMoney(r.acceptedFen),
            },
            { title: t('hosp.result'), render: (_: unknown, r) => <BillStatusTag status={r.status} /> },
            {
              title: t('hosp.settled'),
              render: (_: unknown, r) =>
                r.settlementPeriod ? formatPeriod(r.settlementPeriod, lang) : t('hosp.unsettled'),
            },
            {
              title: '',
              render: (_: unknown, r) => (
                <Button size="small" onClick={() => void view(r.id)}>
                  {t('hosp.view')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}

export function HospitalAccountPage() {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const me = useLoad(() => hospitalApi.me(), []);
  const settlements = useLoad(() => hospitalApi.settlements(), []);
  const [refresh, setRefresh] = useState(0);
  const hospitalId = me.data?.id ?? null;
  const keys = useLoad(hospitalId === null ? null : () => hospitalApi.keys(hospitalId), [
    hospitalId,
    refresh,
  ]);
  const [label, setLabel] = useState('HIS');
  const [shown, setShown] = useState<NewKey | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function act(fn: () => Promise<NewKey | { revoked: boolean }>) {
    setError(null);
    try {
      const r = await fn();
      setShown('key' in r ? r : null);
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <PageTitle>{t('page.hospital.account')}</PageTitle>
      <ErrorAlert error={me.error ?? settlements.error} />
      <Card title={t('hosp.settlements')}>
        <Table
          size="small"
          rowKey={(r) => `${r.runId}-${r.region}`}
          loading={settlements.loading}
          dataSource={settlements.data?.items ?? []}
          locale={emptyTable(t('empty.hospital.settlements'), t('empty.hospital.settlements.hint'))}
          pagination={false}
          columns={[
            { title: t('settle.period'), dataIndex: 'period', render: (p: string) => formatPeriod(p, lang) },
            { title: t('settle.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
            {
              title: t('hosp.bills'),
              dataIndex: 'bills',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'bills', lang),
            },
            { title: t('hosp.amount'), align: 'right', render: (_: unknown, r) => formatMoney(r.amountFen) },
          ]}
        />
      </Card>
      <Card title={t('hosp.keys')} style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary">{t('hosp.keys.hint')}</Typography.Paragraph>
        <ErrorAlert error={error ?? keys.error} />
        {shown ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('hosp.keys.shown')}
            description={
              <Typography.Text code copyable data-testid="new-key">
                {shown.key}
              </Typography.Text>
            }
          />
        ) : null}
        <Space wrap style={{ marginBottom: 12 }}>
          <Input
            aria-label={t('hosp.keys.label')}
            value={label}
            maxLength={60}
            onChange={(e) => setLabel(e.target.value)}
          />
          <Button
            type="primary"
            disabled={hospitalId === null || label.trim() === ''}
            onClick={() => void act(() => hospitalApi.createKey(hospitalId ?? 0, label.trim()))}
          >
            {t('hosp.keys.create')}
          </Button>
        </Space>
        <Table
          size="small"
          rowKey="id"
          dataSource={keys.data?.items ?? []}
          locale={emptyTable(t('empty.hospital.keys'), t('empty.hospital.keys.hint'))}
          pagination={false}
          columns={[
            { title: t('hosp.keys.prefix'), dataIndex: 'prefix' },
            { title: t('hosp.keys.label'), dataIndex: 'label' },
            {
              title: t('hosp.keys.created'),
              render: (_: unknown, r) => formatDateTime(r.createdAt, lang),
            },
            {
              title: t('hosp.keys.lastUsed'),
              render: (_: unknown, r) => formatDateTime(r.lastUsedAt, lang),
            },
            {
              title: t('hosp.keys.state'),
              render: (_: unknown, r) =>
                r.revokedAt ? (
                  <Tag>{t('hosp.keys.revoked')}</Tag>
                ) : (
                  <Tag color="green">{t('hosp.keys.active')}</Tag>
                ),
            },
            {
              title: '',
              render: (_: unknown, r) =>
                r.revokedAt ? null : (
                  <Space>
                    <Button size="small" onClick={() => void act(() => hospitalApi.rotateKey(r.id))}>
                      {t('hosp.keys.rotate')}
                    </Button>
                    <Popconfirm
                      title={t('hosp.keys.revoke')}
                      onConfirm={() => void act(() => hospitalApi.revokeKey(r.id))}
                    >
                      <Button size="small" danger>
                        {t('hosp.keys.revoke')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
