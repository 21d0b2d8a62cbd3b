// A rule's trace as an explanation list: each step, its figure, and the parameter and document it came from.
import { Tag, Typography } from 'antd';
import type { TraceStep } from '../api.ts';
import { fenToYuan, formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';

/**
 * Traces carry money as integer fen without a unit field; a step whose figure names an amount
 * ("basic pension = …", "total = …", "benefit base wage C") is shown in yuan, with the fen kept.
 */
export function isMoneyStep(step: string, value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false;
  const subject = step.split(/=|\(/)[0] ?? '';
  return (
    /pension|wage|total|fen|balance|amount|grant|account|contribution|interest/i.test(subject) &&
    !/\b(divisor|index|months?|years?|age|rate|percent)\b/i.test(subject)
  );
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function TraceList({ steps }: { steps: TraceStep[] }) {
  const { t, lang } = useI18n();
  return (
    <ol className="trace-list">
      {steps.map((s, i) => {
        const label = lang === 'zh-CN' ? (s.stepZh ?? s.step) : s.step;
        const value = isMoneyStep(s.step, s.value) ? `¥${fenToYuan(s.value as number)}` : valueText(s.value);
        return (
          <li key={i}>
            <Typography.Text>{label}</Typography.Text>
            {value.length <= 120 ? (
              <>
                {' = '}
                <Typography.Text strong className="figure">
                  {value}
                </Typography.Text>
              </>
            ) : (
              <details>
                <summary>{t('trace.showValue')}</summary>
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(s.value, null, 2)}</pre>
              </details>
            )}
            {s.uncertain ? (
              <Tag color="orange" style={{ marginInlineStart: 8 }}>
                {t('trace.uncertain')}
              </Tag>
            ) : null}
            {s.reference || s.effectiveFrom ? (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s.effectiveFrom
                    ? t('trace.effectiveFrom', { date: formatDate(s.effectiveFrom, lang) })
                    : ''}
                  {s.reference ? ` ${t('trace.reference')}${s.reference}` : ''}
                </Typography.Text>
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
