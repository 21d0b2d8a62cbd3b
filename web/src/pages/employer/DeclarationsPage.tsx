// 缴费申报: the month's wages of the current staff as a form, or a CSV file (template from the
// server); a refused declaration lists every bad line (line, field, reason) and writes nothing.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Input, Row, Space, Typography } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type DeclareAnswer, type StaffItem } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { LineErrorTable } from '../../components/LineErrorTable.tsx';
import { fenToYuan, formatPeriod, todayIso, yuanToFen } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

/** The month before today: the one usually declared. */
function lastMonth(): string {
  const [y, m] = todayIso().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function Outcome({ answer, error }: { answer: DeclareAnswer | null; error: unknown }) {
  const { t } = useI18n();
  if (answer)
    return (
      <Alert
        type="success"
        showIcon
        role="status"
        style={{ marginTop: 16 }}
        title={answer.duplicateUpload ? t('declare.duplicate') : t('declare.ok')}
        description={t('declare.counts', {
          inserted: answer.inserted,
          replaced: answer.replaced,
          unchanged: answer.unchanged,
        })}
      />
    );
  return error ? (
    <div style={{ marginTop: 16 }}>
      <ErrorAlert error={error} />
    </div>
  ) : null;
}

export function DeclarationsPage() {
  const { t, lang } = useI18n();
  const employerId = useAuth().user?.employerId ?? null;
  const staff = useLoad(employerId ? () => api.staff(employerId, { pageSize: 200 }) : null, [employerId]);
  const [period, setPeriod] = useState(lastMonth);
  const [wages, setWages] = useState<Record<number, string>>({});
  const [formBusy, setFormBusy] = useState(false);
  const [formAnswer, setFormAnswer] = useState<DeclareAnswer | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [csvBusy, setCsvBusy] = useState(false);
  const [csvAnswer, setCsvAnswer] = useState<DeclareAnswer | null>(null);
  const [csvError, setCsvError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const items = staff.data?.items ?? [];
  useEffect(() => {
    const w: Record<number, string> = {};
    for (const s of staff.data?.items ?? [])
      w[s.personId] = s.monthlyWageFen === null ? '' : fenToYuan(s.monthlyWageFen).replaceAll(',', '');
    setWages(w);
  }, [staff.data]);

  if (!employerId) return <EmptyState title={t('employer.noEmployer')} />;
  const periodOk = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const badWage = (s: StaffItem) => yuanToFen(wages[s.personId] ?? '') === null;
  const lineErrors = formError instanceof ApiError ? formError.lines : [];
  const csvLines = csvError instanceof ApiError ? csvError.lines : [];

  async function submitForm(id: number) {
    setFormBusy(true);
    setFormAnswer(null);
    setFormError(null);
    try {
      setFormAnswer(
        await api.declare(
          id,
          items.map((s) => ({
            personId: s.personId,
            name: s.name,
            period,
            wageFen: yuanToFen(wages[s.personId] ?? '') ?? 0,
          })),
        ),
      );
    } catch (e) {
      setFormError(e);
    } finally {
      setFormBusy(false);
    }
  }

  async function upload(id: number) {
    if (!file) return;
    setCsvBusy(true);
    setCsvAnswer(null);
    setCsvError(null);
    try {
      setCsvAnswer(await api.declareCsv(id, file.text, file.name));
    } catch (e) {
      setCsvError(e);
    } finally {
      setCsvBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('page.employer.declarations')}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('declare.form')}>
            <Space wrap style={{ marginBottom: 12 }}>
              <label htmlFor="declare-period">{t('declare.period')}</label>
              <Input
                id="declare-period"
                value={period}
                onChange={(e) => setPeriod(e.target.value.trim())}
                placeholder="2026-10"
                style={{ width: 120 }}
                status={periodOk ? '' : 'error'}
              />
              <Typography.Text type="secondary">
                {periodOk ? formatPeriod(period, lang) : t('declare.period.hint')}
              </Typography.Text>
            </Space>
            <ErrorAlert error={staff.error} onRetry={staff.reload} />
            <Table<StaffItem>
              size="small"
              rowKey="personId"
              loading={staff.loading}
              dataSource={items}
              pagination={false}
              scroll={{ x: 480, y: 420 }}
              locale={{ emptyText: <EmptyState title={t('staff.empty')} hint={t('staff.empty.hint')} /> }}
              columns={[
                { title: t('person.name'), dataIndex: 'name' },
                { title: t('person.idNumber'), dataIndex: 'idNumber', className: 'money' },
                {
                  title: t('declare.wage'),
                  key: 'wage',
                  width: 160,
                  render: (_: unknown, s) => (
                    <Input
                      aria-label={t('declare.wageOf', { name: s.name })}
                      value={wages[s.personId] ?? ''}
                      inputMode="decimal"
                      status={badWage(s) ? 'error' : ''}
                      onChange={(e) => setWages((w) => ({ ...w, [s.personId]: e.target.value }))}
                    />
                  ),
                },
              ]}
            />
            <Button
              type="primary"
              style={{ marginTop: 12 }}
              loading={formBusy}
              disabled={!periodOk || items.length === 0 || items.some(badWage)}
              onClick={() => void submitForm(employerId)}
            >
              {t('declare.submit', { n: items.length })}
            </Button>
            <Outcome answer={formAnswer} error={formError} />
            <LineErrorTable lines={lineErrors} label={(line) => items[line - 1]?.name ?? ''} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('declare.csv')}>
            <p>{t('declare.csv.hint')}</p>
            <Space wrap>
              <Button icon={<DownloadOutlined />} href="/api/v1/contributions/declarations/template.csv">
                {t('declare.template')}
              </Button>
              <Button icon={<UploadOutlined />} onClick={() => fileInput.current?.click()}>
                {t('declare.choose')}
              </Button>
              <input
                ref={fileInput}
                type="file"
                accept=".csv,text/csv"
                aria-label={t('declare.choose')}
                style={{ display: 'none' }}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (!f) return;
                  setCsvAnswer(null);
                  setCsvError(null);
                  void f.text().then((text) => setFile({ name: f.name, text }));
                }}
              />
            </Space>
            {file ? (
              <div style={{ marginTop: 12 }}>
                <Typography.Text>{t('declare.chosen', { name: file.name })}</Typography.Text>
                <div>
                  <Button
                    type="primary"
                    style={{ marginTop: 8 }}
                    loading={csvBusy}
                    onClick={() => void upload(employerId)}
                  >
                    {t('declare.upload')}
                  </Button>
                </div>
              </div>
            ) : null}
            <Outcome answer={csvAnswer} error={csvError} />
            <LineErrorTable lines={csvLines} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
