// 人员登记: register a person. The ID number is checked here with the server's own GB 11643 code
// (src/core/ids.ts) before sending, and the server's answer is shown on the field it names.
import { Alert, Button, Card, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { checkIdNumber } from '../../../../src/core/ids.ts';
import { api, ApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert, PageTitle } from '../../components/common.tsx';
import { useRegions } from '../../components/registry.tsx';
import { formatDate, todayIso } from '../../format.ts';
import { pickMessage, useI18n } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import { navigate } from '../../router.tsx';

interface RegisterForm {
  idNumber: string;
  name: string;
  region: string;
  hukouRegion?: string;
  phone?: string;
  address?: string;
}

const FIELDS: readonly (keyof RegisterForm)[] = [
  'idNumber',
  'name',
  'region',
  'hukouRegion',
  'phone',
  'address',
];

export function RegisterPersonPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const regions = useRegions();
  const [form] = Form.useForm<RegisterForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const idNumber = Form.useWatch('idNumber', form) ?? '';
  const parsed = idNumber.trim().length >= 15 ? checkIdNumber(idNumber, todayIso()) : null;

  const regionOptions = [...regions.values()].map((r) => ({
    value: r.code,
    label: `${r.code} ${lang === 'zh-CN' ? r.nameZh : r.nameEn}`,
  }));

  const submit = async (v: RegisterForm) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        idNumber: v.idNumber.trim(),
        name: v.name.trim(),
        region: v.region,
        ...(v.hukouRegion ? { hukouRegion: v.hukouRegion } : {}),
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      };
      const person = await api.createPerson(body);
      navigate(`/agency/persons/${person.id}?created=1`);
    } catch (e) {
      // A field the server names gets the message under it; anything else goes on top.
      const field =
        e instanceof ApiError ? (e.field?.split('.').pop() as keyof RegisterForm | undefined) : undefined;
      if (e instanceof ApiError && field && FIELDS.includes(field)) {
        form.setFields([{ name: field, errors: [pickMessage(e.message, lang)] }]);
      } else if (e instanceof ApiError && e.code === 'SB_ERR_INVALID_ID_NUMBER') {
        form.setFields([{ name: 'idNumber', errors: [pickMessage(e.message, lang)] }]);
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.agency.register')}</PageTitle>
      <Card style={{ maxWidth: 720 }}>
        <ErrorAlert error={error} />
        <Form<RegisterForm>
          form={form}
          layout="vertical"
          initialValues={{ region: user?.region ?? undefined }}
          onFinish={(v) => void submit(v)}
          scrollToFirstError
        >
          <Form.Item
            name="idNumber"
            label={t('person.idNumber')}
            extra={
              parsed?.valid
                ? t('register.idNumber.derived', {
                    birth: formatDate(parsed.birthDate, lang),
                    sex: t(parsed.sex === 'M' ? 'sex.M' : 'sex.F'),
                  })
                : t('register.idNumber.hint')
            }
            validateTrigger={['onBlur', 'onSubmit']}
            rules={idNumberRules(lang)}
          >
            <Input maxLength={18} autoComplete="off" className="money" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('person.name')}
            rules={[{ required: true, whitespace: true, message: t('register.name.required') }, { max: 100 }]}
          >
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="region"
            label={t('person.region')}
            rules={[{ required: true, message: t('register.region.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={regionOptions}
              placeholder={t('register.region.placeholder')}
            />
          </Form.Item>
          <Form.Item name="hukouRegion" label={t('person.hukouRegion')} extra={t('register.hukou.hint')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={regionOptions} />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('person.phone')}
            rules={[{ pattern: /^[0-9+\-\s]{7,20}$/, message: t('register.phone.invalid') }]}
          >
            <Input maxLength={32} autoComplete="off" inputMode="tel" />
          </Form.Item>
          <Form.Item name="address" label={t('person.address')}>
            <Input maxLength={300} autoComplete="off" />
          </Form.Item>
          {parsed && !parsed.valid ? null : parsed?.valid && parsed.converted ? (
            <Alert
              type="info"
              showIcon
              title={t('register.idNumber.converted', { id: parsed.normalized })}
              style={{ marginBottom: 16 }}
            />
          ) : null}
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('register.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
