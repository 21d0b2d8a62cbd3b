// The one box for an amount in yuan. It holds the text as typed and, once left, shows it as the pages
// write money (18,480.00, not 18480.00); the page reads the exact fen back with yuanToFen (integer
// arithmetic, web/src/format.ts). Inside a Form.Item give it moneyRule; on its own (a table cell, a row
// of inputs) `explain` writes what is wrong with the text under the box.
import { Input, type FormRule, type InputProps } from 'antd';
import { fenToYuan, parseYuan, type YuanProblem } from '../format.ts';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';

const PROBLEM_TEXT: Record<Exclude<YuanProblem, 'empty'>, MessageKey> = {
  notAmount: 'form.money.invalid',
  decimals: 'form.money.decimals',
  negative: 'form.money.negative',
  tooLarge: 'form.money.tooLarge',
};

/** What is wrong with typed yuan, in words; null for an amount or an empty box (required is its own rule). */
export function moneyProblem(text: string | null | undefined, t: Translate): string | null {
  const r = parseYuan(text ?? '');
  return 'fen' in r || r.problem === 'empty' ? null : t(PROBLEM_TEXT[r.problem]);
}

/** A Form.Item rule: the box's text is an amount (or empty). */
export const moneyRule = (t: Translate): FormRule => ({
  validator: async (_, value: string | undefined) => {
    const problem = moneyProblem(value, t);
    if (problem) throw new Error(problem);
  },
});

type MoneyInputProps = Omit<InputProps, 'value' | 'onChange'> & {
  value?: string;
  onChange?: (text: string) => void;
  /** write the problem under the box (for a box outside a Form.Item) */
  explain?: boolean;
};

export function MoneyInput({ value, onChange, onBlur, explain = false, status, ...rest }: MoneyInputProps) {
  const { t } = useI18n();
  const problem = explain ? moneyProblem(value, t) : null;
  const box = (
    <Input
      inputMode="decimal"
      prefix="¥"
      autoComplete="off"
      {...rest}
      {...(problem ? { status: 'error' as const } : status === undefined ? {} : { status })}
      value={value ?? ''}
      onChange={(e) => onChange?.(e.target.value)}
      onBlur={(e) => {
        const r = parseYuan(value ?? '');
        if ('fen' in r && fenToYuan(r.fen) !== value) onChange?.(fenToYuan(r.fen));
        onBlur?.(e);
      }}
    />
  );
  if (!explain) return box;
  return (
    <>
      {box}
      {problem ? (
        <div className="ant-form-item-explain-error" role="alert">
          {problem}
        </div>
      ) : null}
    </>
  );
}
