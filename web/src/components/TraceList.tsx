// A rule's trace as an explanation list: each step, its figure, and the document it came from, in the reader's language.
import { Tag, Typography } from 'antd';
import { shownReference } from '../../../src/core/trace.ts';
import { figureText, valueText, type FigureWords } from '../../../src/core/trace-text.ts';
import type { TraceStep } from '../api.ts';
import { formatDate } from '../format.ts';
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
  // each figure by the unit its formula gave it (the CLI's --explain writes it the same way): ¥ for fen, % for a
  // rate, months and days with their word, a code's words from the server's lists
  const words: FigureWords = {
    lang: lang === 'zh-CN' ? 'zh' : 'en',
    fieldName: (key) => code('param', key),
    code,
  };
  return (
    <ol className="trace-list">
      {distinct(steps).map((s, i) => {
        const label = lang === 'zh-CN' ? (s.stepZh ?? s.step) : s.step;
        const reference = shownReference(s, lang === 'zh-CN' ? 'zh' : 'en');
        const value = figureText(s, words);
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
