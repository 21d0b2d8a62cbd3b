// "#bill · period" where a receipt or an approval names a bill: a link to the bill's page
// (/agency/bills/:id) for staff who may open it, the same words as text for the others.
import { useCan } from '../auth.tsx';
import { formatPeriod } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.tsx';

export function BillLink({ id, period }: { id: number; period?: string | null }) {
  const { lang } = useI18n();
  const can = useCan();
  const text = `#${id}${period ? ` · ${formatPeriod(period, lang)}` : ''}`;
  return can('bill.history') ? <Link to={`/agency/bills/${id}`}>{text}</Link> : <>{text}</>;
}
