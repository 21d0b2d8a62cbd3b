// Small pieces the hall's pages share: status tags, the deadline clock, service names by language.
import { Tag } from 'antd';
import { formatDate, noteInLanguage } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { Application, AppStatus, ServiceItem } from './hallApi.ts';
import type { Words } from '../../../../src/core/bilingual.ts';

const STATUS_COLOR: Record<AppStatus, string> = {
  submitted: 'blue',
  accepted: 'cyan',
  returned: 'orange',
  approved: 'green',
  rejected: 'red',
  completed: 'green',
  withdrawn: 'default',
};

/** The status; with the stage the process reported within it (审核通过 · 发放中), in the reader's language. */
export function StatusTag({ status, stage }: { status: AppStatus; stage?: Words | null }) {
  const { t, lang } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]}>
      {t(`hall.status.${status}` as MessageKey)}
      {stage ? <span data-testid="app-stage"> · {noteInLanguage(stage, lang)}</span> : null}
    </Tag>
  );
}

export function DeadlineClock({ a }: { a: Application }) {
  const { t, lang } = useI18n();
  if (a.deadline === null) return <span>—</span>;
  return (
    <span>
      {formatDate(a.deadline, lang)}{' '}
      {a.overdue ? (
        <Tag color="red" data-testid="overdue">
          {t('hall.app.overdue')}
        </Tag>
      ) : a.workingDaysLeft !== null ? (
        <Tag>{t('hall.app.left', { n: a.workingDaysLeft })}</Tag>
      ) : null}
    </span>
  );
}

export function useServiceName() {
  const { lang } = useI18n();
  return (x: { nameZh?: string; nameEn?: string; serviceNameZh?: string; serviceNameEn?: string }) =>
    lang === 'zh-CN' ? (x.nameZh ?? x.serviceNameZh ?? '') : (x.nameEn ?? x.serviceNameEn ?? '');
}

export function useTimeLimitText() {
  const { t, lang } = useI18n();
  return (s: ServiceItem) => {
    const wd = s.timeLimit.workingDays;
    const base =
      wd === null
        ? t('hall.services.none')
        : wd === 0
          ? t('hall.services.immediate')
          : t('hall.services.workingDays', { n: wd });
    const note = lang === 'zh-CN' ? s.timeLimit.noteZh : s.timeLimit.noteEn;
    if (!note) return base;
    return lang === 'zh-CN' ? `${base}（${note}）` : `${base} (${note})`;
  };
}

/** A hall list's pager, 20 a page: none under a single page (or an empty list). */
export const pager = (current: number, total: number | undefined, onChange: (page: number) => void) => ({
  current,
  pageSize: 20,
  total: total ?? 0,
  onChange,
  hideOnSinglePage: true,
});
