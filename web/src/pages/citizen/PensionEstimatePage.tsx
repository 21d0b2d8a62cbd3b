// 养老金测算: the citizen's pension estimate, computed by the server's own rules (POST
// /api/v1/calc/retirement-age and /employee-pension) and explained step by step from their traces.
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Form,
  InputNumber,
  Row,
  Select,
  Statistic,
} from 'antd';
import { useEffect, useState } from 'react';
import { monthsBetween } from '../../../../src/core/dates.ts';
import { MAX_MONTHS } from '../../../../src/core/input.ts';
import type { RetirementCategory } from '../../../../src/pension/retirement-age.rules.ts';
import {
  api,
  ApiError,
  itemsOf,
  type EmployeePensionAnswer,
  type Enrolment,
  type Person,
  type RetirementAgeAnswer,
} from '../../api.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { MoneyInput, moneyProblem } from '../../components/MoneyInput.tsx';
import { TraceList } from '../../components/TraceList.tsx';
import {
  fenToYuan,
  formatAge,
  formatDate,
  formatMoney,
  formatMonths,
  todayIso,
  yuanToFen,
} from '../../format.ts';
import { pickMessage, useI18n } from '../../i18n/index.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { Link } from '../../router.tsx';

type Category = RetirementCategory;
/** The categories a woman may be in (a man's is `male`): offered in this order, tried for a pensioner. */
const WOMEN: readonly Category[] = ['female-50', 'female-55'];

/** The employee-pension formula's parameter (params/pension/employee-pension-formula.yaml): Z's bounds among its values, for the hint. */
const FORMULA_PARAM = 'pension/employee-pension-formula';

/** The bounds of the average contribution index in the formula's value, if it names them. */
function indexBounds(value: unknown): { min: number; max: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { indexMin, indexMax } = value as { indexMin?: unknown; indexMax?: unknown };
  return typeof indexMin === 'number' && typeof indexMax === 'number'
    ? { min: indexMin, max: indexMax }
    : null;
}

interface EstimateForm {
  category: Category;
  averageContributionIndex: number;
  contributionMonths: number;
  personalAccountYuan: string;
  benefitBaseWageYuan: string;
}

/** The form's field for each field of the calculation the server may refuse (its error shows there). */
const FORM_FIELD: Partial<Record<string, keyof EstimateForm>> = {
  averageContributionIndex: 'averageContributionIndex',
  contributionMonths: 'contributionMonths',
  personalAccountFen: 'personalAccountYuan',
  benefitBaseWageFen: 'benefitBaseWageYuan',
};

/** Months of employee-pension enrolment: past ones as recorded, an open one carried on to the retirement date. */
function projectedMonths(enrolments: Enrolment[], retirementDate: string): number {
  let months = 0;
  for (const e of enrolments) {
    if (e.scheme !== 'employee_pension') continue;
    const end = e.endDate ?? retirementDate;
    if (end > e.startDate) months += monthsBetween(e.startDate, end);
  }
  return months;
}

export function PensionEstimatePage() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const { user } = useAuth();
  const can = useCan();
  const personId = user?.personId ?? null;
  const [form] = Form.useForm<EstimateForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{
    age: RetirementAgeAnswer;
    pension: EmployeePensionAnswer;
    /** Z as the person entered it: the rule may count another (its bounds), which the result says. */
    enteredIndex: number;
  } | null>(null);

  const load = useLoad(
    personId
      ? async () => {
          const person: Person = await api.person(personId);
          const enrolments = can('enrolment.read') ? itemsOf(await api.personEnrolments(personId)) : [];
          // The contribution index and the account balance come from the person's own record.
          const record = can('record.read') ? await api.record(personId) : null;
          // a pensioner sees their award first (the same read as 我的养老金)
          const pension = can('pension.read') ? await api.pension(personId) : null;
          return { person, enrolments, record, pension };
        }
      : null,
    [personId],
  );

  const person = load.data?.person;
  const award = load.data?.pension?.awards.find((a) => a.status !== 'stopped');
  // The category is recorded nowhere a citizen can read; for a pensioner it is the one whose statutory
  // retirement date (the server's rule) is the award's retirement date, when exactly one is.
  const awardCategory = useLoad(
    person && award && person.sex !== 'M'
      ? async () => {
          const found: Category[] = [];
          for (const c of WOMEN) {
            const r = await api.calc<RetirementAgeAnswer>('retirement-age', {
              birthDate: person.birthDate,
              category: c,
            });
            if (r.retirementDate === award.retirementDate) found.push(c);
          }
          return found.length === 1 ? (found[0] ?? null) : null;
        }
      : null,
    [person?.birthDate, award?.retirementDate],
  );
  const recordedCategory: Category | null = person?.sex === 'M' ? 'male' : (awardCategory.data ?? null);
  const category: Category | undefined = Form.useWatch('category', form);
  const enteredIndex: number | null | undefined = Form.useWatch('averageContributionIndex', form);
  // "From your record" holds while the field shows the record's index, not once the person changes it.
  const recordIndex = load.data?.record?.totals.averageContributionIndex ?? null;
  const defaultCategory: Category = recordedCategory ?? (person?.sex === 'M' ? 'male' : 'female-50');

  useEffect(() => {
    if (recordedCategory && !form.isFieldTouched('category'))
      form.setFieldValue('category', recordedCategory);
  }, [recordedCategory, form]);

  // The retirement date shows as soon as the category is known, and sets the default months.
  const ageLoad = useLoad(
    person
      ? () =>
          api.calc<RetirementAgeAnswer>('retirement-age', {
            birthDate: person.birthDate,
            category: category ?? defaultCategory,
          })
      : null,
    [person?.birthDate, category ?? defaultCategory],
  );

  // The index's bounds are the formula's parameter in force for the person's region on the
  // retirement date, read from the server for the hint. Only the rule bounds Z: the page sends what
  // the person entered and shows the Z the rule counted.
  const retirementDate = ageLoad.data?.retirementDate;
  const boundsLoad = useLoad(
    person && retirementDate
      ? async () =>
          indexBounds(
            (await api.paramsInForce({ region: person.region, date: retirementDate })).parameters.find(
              (p) => p.path === FORMULA_PARAM,
            )?.value,
          )
      : null,
    [person?.region, retirementDate],
  );
  const bounds = boundsLoad.data ?? null;

  useEffect(() => {
    const record = load.data?.record;
    if (!record) return;
    if (!form.isFieldTouched('personalAccountYuan'))
      form.setFieldValue('personalAccountYuan', fenToYuan(record.personalAccount.employeePensionFen));
  }, [load.data, form]);

  // The record's index as it stands.
  useEffect(() => {
    const index = load.data?.record?.totals.averageContributionIndex ?? null;
    if (index === null || form.isFieldTouched('averageContributionIndex')) return;
    form.setFieldValue('averageContributionIndex', index);
  }, [load.data, form]);

  useEffect(() => {
    if (!ageLoad.data || !load.data) return;
    if (form.isFieldTouched('contributionMonths')) return;
    form.setFieldValue(
      'contributionMonths',
      projectedMonths(load.data.enrolments, ageLoad.data.retirementDate),
    );
  }, [ageLoad.data, load.data, form]);

  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;
  if (load.loading && !person) return <Loading />;
  if (load.error) return <ErrorAlert error={load.error} onRetry={load.reload} />;
  if (!person) return null;

  const submit = async (v: EstimateForm) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const age = await api.calc<RetirementAgeAnswer>('retirement-age', {
        birthDate: person.birthDate,
        category: v.category,
      });
      const base = yuanToFen(v.benefitBaseWageYuan);
      const pension = await api.calc<EmployeePensionAnswer>('employee-pension', {
        region: person.region,
        retirementDate: age.retirementDate,
        averageContributionIndex: v.averageContributionIndex,
        contributionMonths: v.contributionMonths,
        personalAccountFen: yuanToFen(v.personalAccountYuan) ?? 0,
        ageMonths: age.ageMonths,
        ...(base !== null ? { benefitBaseWageFen: base } : {}),
      });
      setResult({ age, pension, enteredIndex: v.averageContributionIndex });
    } catch (e) {
      // The server's refusal of a figure shows at the field it concerns; anything else above the result.
      const field = e instanceof ApiError && e.field ? FORM_FIELD[e.field] : undefined;
      if (field && e instanceof ApiError)
        form.setFields([{ name: field, errors: [pickMessage(e.message, lang)] }]);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const age = ageLoad.data;
  const moneyRule = (required: boolean) => ({
    validator: async (_: unknown, value: string | undefined) => {
      if (!value?.trim()) {
        if (required) throw new Error(t('estimate.base.required'));
        return;
      }
      const problem = moneyProblem(value, t);
      if (problem) throw new Error(problem);
    },
  });

  return (
    <>
      <PageTitle>{t('page.citizen.pension')}</PageTitle>
      {award ? (
        <Alert
          type="success"
          showIcon
          data-testid="estimate-retired"
          style={{ marginBottom: 16 }}
          title={t('estimate.retired', {
            date: formatDate(award.retirementDate, lang),
            amount: formatMoney(award.monthlyFen),
            status: code('pension.status', award.status),
          })}
          description={<Link to="/citizen/my-pension">{t('estimate.retired.link')}</Link>}
        />
      ) : null}
      <Alert type="info" showIcon title={t('estimate.intro')} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('estimate.inputs')}>
            {age ? (
              <Descriptions
                size="small"
                column={1}
                style={{ marginBottom: 16 }}
                items={[
                  {
                    key: 'birth',
                    label: t('person.birthDate'),
                    children: formatDate(person.birthDate, lang),
                  },
                  {
                    key: 'ret',
                    label: t('estimate.retirementDate'),
                    children: <strong>{formatDate(age.retirementDate, lang)}</strong>,
                  },
                  {
                    key: 'age',
                    label: t('estimate.retirementAge'),
                    children: formatAge(age.ageMonths, lang),
                  },
                  {
                    key: 'min',
                    label: t('estimate.minMonths'),
                    children: formatMonths(age.minContributionMonths, lang),
                  },
                ]}
              />
            ) : null}
            <ErrorAlert error={ageLoad.error} />
            <Form<EstimateForm>
              form={form}
              layout="vertical"
              initialValues={{
                category: defaultCategory,
                averageContributionIndex: 1,
                contributionMonths: 180,
                personalAccountYuan: '',
                benefitBaseWageYuan: '',
              }}
              onFinish={(v) => void submit(v)}
            >
              <Form.Item
                name="category"
                label={t('estimate.category')}
                extra={
                  person.sex === 'M'
                    ? undefined
                    : recordedCategory && category === recordedCategory && award
                      ? t('estimate.category.fromAward', { date: formatDate(award.retirementDate, lang) })
                      : t('estimate.category.assumed', {
                          category: t(`estimate.category.${category ?? defaultCategory}`),
                        })
                }
              >
                <Select
                  options={(person.sex === 'M' ? (['male'] as const) : WOMEN).map((c) => ({
                    value: c,
                    label: t(`estimate.category.${c}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="contributionMonths"
                label={t('estimate.months')}
                extra={t('estimate.months.hint')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber min={0} max={MAX_MONTHS} precision={0} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                name="averageContributionIndex"
                label={t('estimate.index')}
                extra={
                  recordIndex !== null && enteredIndex === recordIndex
                    ? t('estimate.fromRecord')
                    : bounds
                      ? t('estimate.index.hint', { min: bounds.min.toFixed(1), max: bounds.max.toFixed(1) })
                      : null
                }
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber step={0.1} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                name="personalAccountYuan"
                label={t('estimate.account')}
                extra={load.data?.record ? t('estimate.account.fromRecord') : t('estimate.account.hint')}
                rules={[moneyRule(false)]}
              >
                <MoneyInput />
              </Form.Item>
              <Form.Item
                name="benefitBaseWageYuan"
                label={t('estimate.base')}
                extra={t('estimate.base.hint')}
                rules={[moneyRule(false)]}
              >
                <MoneyInput />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                {t('estimate.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <ErrorAlert error={error} />
          {result ? (
            <Card title={t('estimate.result')}>
              {result.pension.averageContributionIndex !== result.enteredIndex ? (
                <Alert
                  type="warning"
                  showIcon
                  data-testid="estimate-index-counted"
                  style={{ marginBottom: 16 }}
                  title={t('estimate.index.counted', {
                    entered: String(result.enteredIndex),
                    used: String(result.pension.averageContributionIndex),
                  })}
                />
              ) : null}
              <Statistic
                title={t('estimate.total', { date: formatDate(result.age.retirementDate, lang) })}
                value={fenToYuan(result.pension.totalFen)}
                prefix="¥"
                className="money"
              />
              <Descriptions
                size="small"
                bordered
                column={1}
                style={{ marginTop: 16 }}
                items={[
                  {
                    key: 'basic',
                    label: t('estimate.basic'),
                    children: <span className="money">¥{fenToYuan(result.pension.basicPensionFen)}</span>,
                  },
                  {
                    key: 'account',
                    label: t('estimate.accountPension'),
                    children: <span className="money">¥{fenToYuan(result.pension.accountPensionFen)}</span>,
                  },
                  {
                    key: 'trans',
                    label: t('estimate.transitional'),
                    children: (
                      <span className="money">¥{fenToYuan(result.pension.transitionalPensionFen)}</span>
                    ),
                  },
                  { key: 'div', label: t('estimate.divisor'), children: result.pension.divisor },
                ]}
              />
              <Collapse
                style={{ marginTop: 16 }}
                defaultActiveKey={['pension']}
                items={[
                  {
                    key: 'pension',
                    label: t('estimate.explain.pension'),
                    children: <TraceList steps={result.pension.trace} />,
                  },
                  {
                    key: 'age',
                    label: t('estimate.explain.age'),
                    children: <TraceList steps={result.age.trace} />,
                  },
                ]}
              />
              <Alert
                type="warning"
                showIcon
                title={t('estimate.disclaimer', { today: formatDate(todayIso(), lang) })}
                style={{ marginTop: 16 }}
              />
            </Card>
          ) : (
            <Card>
              <EmptyState title={t('estimate.empty')} hint={t('estimate.empty.hint')} />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
