// The payment receipt (缴费凭证) of a paid bill: downloads the PDF and shows its verification code
// with a link to the public verification page. Used on the employer's and the citizen's bill lists.
import { App as AntApp, Button, Space } from 'antd';
import { useState } from 'react';
import { errorText } from '../../components/common.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { downloadCertificate } from './hallApi.ts';

export function ReceiptButton({ billId }: { billId: number }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState<string | null>(null);
  return (
    <Space size={4} wrap>
      <Button
        size="small"
        loading={busy}
        data-testid={`receipt-${billId}`}
        onClick={() => {
          setBusy(true);
          downloadCertificate(`/api/v1/bills/${billId}/receipt.pdf`, `receipt-${billId}`)
            .then(setCode)
            .catch((e: unknown) => void message.error(errorText(e, t, lang).message))
            .finally(() => setBusy(false));
        }}
      >
        {t('hall.receipt.download')}
      </Button>
      {/* broken only at its hyphens (a table cell breaks anywhere: 3XL / 8PPB-NU2H / BQRB) */}
      {code ? (
        <Link to={`/verify/${code}`} style={{ overflowWrap: 'normal', wordBreak: 'normal' }}>
          {t('hall.cert.code', { code })}
        </Link>
      ) : null}
    </Space>
  );
}
