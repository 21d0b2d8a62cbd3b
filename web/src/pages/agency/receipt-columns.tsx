// A bank receipt's five columns as the held list (HeldReceipts.tsx) and the find-a-payment search
// (PaymentReturn.tsx) both show them: bank reference (a link to the receipt's page), paid date, amount,
// bill · period (a link to the bill's page), payer. One definition, so the two tables of the same page
// cannot drift apart (they were copies).
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import type { HeldReceipt } from '../../api.ts';
import { BillLink } from '../../components/BillLink.tsx';
import { ReceiptLink } from '../../components/RecordLink.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import type { Lang, Translate } from '../../i18n/index.tsx';

type Receipt = Pick<
  HeldReceipt,
  'paymentId' | 'bankRef' | 'paidDate' | 'amountFen' | 'billId' | 'billPeriod' | 'payer'
>;

/** `billNote`: what a table says under a receipt's bill (the held list: taken off it as the wrong bill). */
export function receiptColumns<R extends Receipt>(
  t: Translate,
  lang: Lang,
  billNote?: (r: R) => ReactNode,
): ColumnsType<R> {
  return [
    {
      title: t('held.bankRef'),
      dataIndex: 'bankRef',
      // the receipt's own page: its bills, its history, its approvals
      render: (ref: string | null, r) => (
        <ReceiptLink id={r.paymentId}>{ref ?? `#${r.paymentId}`}</ReceiptLink>
      ),
    },
    {
      title: t('held.paidDate'),
      dataIndex: 'paidDate',
      render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(d, lang)}</span>,
    },
    {
      title: t('held.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
    },
    {
      title: t('held.bill'),
      dataIndex: 'billId',
      render: (id: number | null, r) => (
        <>
          {id === null ? t('held.noBill') : <BillLink id={id} period={r.billPeriod} />}
          {billNote?.(r)}
        </>
      ),
    },
    {
      title: t('held.payer'),
      dataIndex: 'payer',
      render: (p: R['payer']) => p?.name ?? t('held.unknownPayer'),
    },
  ];
}
