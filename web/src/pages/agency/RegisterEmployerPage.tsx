// 单位登记: a clerk registers an employer (credit code, name, region, work-injury risk class, size).
import { Button, Card, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert, PageTitle } from '../../components/common.tsx';
import { useRegions } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { navigate } from '../../router.tsx';

interface EmployerForm {
  creditCode: string;
  name: string;
  region: string;
  industryClass: number;
  size: 'large' | 'sme';
  address?: string;
  contactPhone?: string;
}

export function RegisterEmployerPage() {
  const { t, lang } = useI18n();
  const regions = useRegions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const regionOptions = [...regions.values()].map((r) => ({
    value: r.code,
    label: lang === 'zh-CN' ? r.nameZh : r.nameEn,
  }));

  const submit = async (v: EmployerForm) => {
    setBusy(true);
    setError(null);
    try {
      const e = await api.createEmployer({
        creditCode: v.creditCode.trim().toUpperCase(),
        name: v.name.trim(),
        region: v.region,
        industryClass: v.industryClass,
        size: v.size,
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
        ...(v.contactPhone?.trim() ? { contactPhone: v.contactPhone.trim() } : {}),
      });
      navigate(`/agency/employers/${e.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.agency.registerEmployer')}</PageTitle>
      <Card style={{ maxWidth: 640 }}>
        <ErrorAlert error={error} />
        <Form<EmployerForm>
          layout="vertical"
          initialValues={{ industryClass: 1, size: 'sme' }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            name="creditCode"
            label={t('employer.creditCode')}
            extra={t('registerEmployer.creditCode.hint')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }, { len: 18 }]}
          >
            <Input maxLength={18} autoComplete="off" className="money" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('employer.name')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }]}
          >
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="region"
            label={t('employer.region')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} options={regionOptions} />
          </Form.Item>
          <Form.Item
            name="industryClass"
            label={t('employer.industryClass')}
            extra={t('registerEmployer.class.hint')}
          >
            <Select
              options={[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ value: n, label: t('employer.class', { n }) }))}
            />
          </Form.Item>
          <Form.Item name="size" label={t('employer.size')}>
            <Select
              options={[
                { value: 'sme', label: t('employer.size.sme') },
                { value: 'large', label: t('employer.size.large') },
              ]}
            />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('employer.contactPhone')}>
            <Input maxLength={32} inputMode="tel" />
          </Form.Item>
          <Form.Item name="address" label={t('employer.address')}>
            <Input maxLength={300} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('registerEmployer.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
