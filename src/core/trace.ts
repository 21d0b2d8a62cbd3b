// Explanation traces: every formula says which parameters it read and which figures it computed.

export interface TraceStep {
  /** English label of the step (an identifier-like phrase: "basic pension = (C + C×Z)/2 × N × 1%"). */
  step: string;
  /** Chinese label, shown by `--explain` in zh. */
  stepZh?: string;
  value: unknown;
  parameter?: string;
  effectiveFrom?: string;
  /** The legal source in English (a parameter's `reference.en`; some rules cite a Chinese document only). */
  reference?: string;
  /** The legal source in Chinese, shown in zh. */
  referenceZh?: string;
  /** The source marks this figure as uncertain (from memory, not verified against the text). */
  uncertain?: boolean;
}

export class Trace {
  readonly steps: TraceStep[] = [];

  /** An intermediate figure or input. */
  add(step: string, value: unknown, stepZh?: string): this {
    this.steps.push(stepZh === undefined ? { step, value } : { step, stepZh, value });
    return this;
  }

  push(step: TraceStep): this {
    this.steps.push(step);
    return this;
  }
}

/** The trace as readable lines, for `--explain` and the citizen's pension page. */
export function explainTrace(steps: readonly TraceStep[], lang: 'zh' | 'en' = 'zh'): string {
  return steps
    .map((s, i) => {
      const value = typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
      const extra: string[] = [];
      if (s.parameter) extra.push(`${lang === 'zh' ? '参数' : 'parameter'} ${s.parameter}`);
      if (s.effectiveFrom) extra.push(`${lang === 'zh' ? '自' : 'from'} ${s.effectiveFrom}`);
      const reference = lang === 'zh' ? (s.referenceZh ?? s.reference) : s.reference;
      if (reference) extra.push(`${lang === 'zh' ? '依据' : 'source'}: ${reference}`);
      if (s.uncertain) extra.push(lang === 'zh' ? '⚠ 待核实' : '⚠ unverified');
      const label = lang === 'zh' ? (s.stepZh ?? s.step) : s.step;
      return `${String(i + 1).padStart(2)}. ${label} = ${value}${extra.length ? `  (${extra.join('; ')})` : ''}`;
    })
    .join('\n');
}
