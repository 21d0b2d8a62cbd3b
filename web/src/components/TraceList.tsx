// A rule's trace as an explanation list: each step, its figure, and the document it came from, in the reader's language.
import { Tag, Typography } from 'antd';
import type { TraceStep } from '../api.ts';
import { shownReference } from '../../../src/core/trace.ts';
import { formatDate, formatMoney, isIsoDate } from '../format.ts';
import { isMoneyStep, TRACE_VALUE_CODES, valueText } from './trace-text.ts';
import { useI18n } from '../i18n/index.tsx';
import { useCodeText } from './registry.tsx';

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
  const code = useCodeText();
  const fieldName = (key: string): string => code('param', key);
  return (
    <ol className="trace-list">
      {distinct(steps).map((s, i) => {
        const label = lang === 'zh-CN' ? (s.stepZh ?? s.step) : s.step;
        const reference = shownReference(s, lang === 'zh-CN' ? 'zh' : 'en');
        // "allowance paid by = employer": a code in the figure, said in the reader's words
        const codes = TRACE_VALUE_CODES[s.parameter ?? s.step];
        const value = isMoneyStep(s.step, s.value, s.parameter)
          ? formatMoney(s.value as number)
          : isIsoDate(s.value)
            ? formatDate(s.value, lang)
            : valueText(s.value, fieldName, codes === undefined ? undefined : (c) => code(codes, c));
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
            {reference || s.effectiveFrom ? (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s.effectiveFrom
                    ? t('trace.effectiveFrom', { date: formatDate(s.effectiveFrom, lang) })
                    : ''}
                  {reference ? ` ${t('trace.reference')}${reference}` : ''}
                </Typography.Text>
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
