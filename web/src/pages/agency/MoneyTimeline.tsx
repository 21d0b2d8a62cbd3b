// What happened to money on bills, oldest first, as the bill's page (缴费账单详情) and the receipt's page
// (缴费到账记录) both show it — one timeline, so the same audit entry reads the same on both (they were
// copies): what happened (each page in its own words) with a reversal's kind, what it concerns (the
// receipt on the bill's page, the bill on the receipt's), when and by whom, the reason, what a reversal did
// to the money, and the approval whose release did it with its reviewer.
import { Timeline } from 'antd';
import type { ReactNode } from 'react';
import type { BillHistory } from '../../api.ts';
import { ReleasedBy } from '../../components/RecordLink.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatDateTime } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

/** One step (money-history.service.ts on the server): the same shape on both routes. */
export type MoneyEvent = BillHistory['events'][number];

export function MoneyTimeline({
  events,
  title,
  subject,
}: {
  events: readonly MoneyEvent[];
  /** what happened, in the page's words */
  title: (e: MoneyEvent) => string;
  /** what it concerns, after the title; null for nothing */
  subject: (e: MoneyEvent) => ReactNode;
}) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  return (
    <Timeline
      items={events.map((e) => {
        const about = subject(e);
        return {
          children: (
            <>
              <strong>
                {title(e)}
                {e.reasonKind && (e.action === 'payment.reverse' || e.action === 'payment.refund')
                  ? ` · ${t(`reversal.kind.${e.reasonKind}`)}`
                  : null}
              </strong>
              {about === null ? null : (
                <>
                  {' · '}
                  {about}
                </>
              )}
              <div className="muted">
                {formatDateTime(e.at, lang)}
                {e.actorUsername
                  ? // a batch run (the monthly assessment) has an operator, not a staff member
                    e.actorRole === 'system' && e.action.startsWith('assessment.')
                    ? ` · ${t('billPage.byBatch', { who: e.actorUsername })}`
                    : ` · ${t('billPage.by', { who: e.actorUsername })}${e.actorRole ? ` · ${code('role', e.actorRole)}` : ''}`
                  : null}
              </div>
              {e.reason ? <div>{t('billPage.reason', { reason: e.reason })}</div> : null}
              {e.money ? (
                <div>{t('reversal.moneyLine', { money: t(`reversal.money.${e.money}` as MessageKey) })}</div>
              ) : null}
              {e.releasedBy && e.approvalId !== null ? (
                <div className="muted">
                  <ReleasedBy who={e.releasedBy} approvalId={e.approvalId} />
                </div>
              ) : null}
            </>
          ),
        };
      })}
    />
  );
}
