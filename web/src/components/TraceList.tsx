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

/** A figure in words: lists joined, records as "name: value" pairs — never raw JSON. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (Array.isArray(v)) return v.map(valueText).join('、');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${valueText(x)}`)
      .join('; ');
  return typeof v === 'bigint' ? v.toString() : '—';
}

/** The same step with the same figure shown once (a rule that reads a parameter twice traces it twice). */
function distinct(steps: TraceStep[]): TraceStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = `${s.stepZh ?? s.step}\u0000${valueText(s.value)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function TraceList({ steps }: { steps: TraceStep[] }) {
  const { t, lang } = useI18n();
  return (
    <ol className="trace-list">
      {distinct(steps).map((s, i) => {
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
                <p style={{ fontSize: 12, overflowWrap: 'anywhere' }}>{value}</p>
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
