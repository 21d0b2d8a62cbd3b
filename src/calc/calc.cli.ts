// `shebao calc`: one rule on a JSON input, a batch, the list, or the trace explained.
import { readFileSync } from 'node:fs';
import { SbError, isSbError, type ErrorBody } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import { paramFieldsEn, paramFieldsZh } from '../core/param-fields.ts';
import { explainTrace, type FigureWords } from '../core/trace-text.ts';
import { codeWords } from '../code-lists.ts';
import { getRule, RULES } from './rules-catalogue.ts';
import { runRule, type RuleResult } from '../core/rule.ts';

export interface CalcCliOptions {
  input?: string;
  batch?: string;
  list?: boolean;
  explain?: boolean | string;
}

export interface CalcCliOutput {
  stdout: string;
  exitCode: 0 | 1;
}

function readJson(source: string, field: string, stdin: () => string): unknown {
  let text: string;
  try {
    text = source === '-' ? stdin() : readFileSync(source, 'utf8');
  } catch {
    throw new SbError('SB_ERR_VALIDATION', { field, zh: `无法读取 ${source}`, en: `cannot read ${source}` });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SbError('SB_ERR_VALIDATION', {
      field,
      zh: `${source} 不是合法的 JSON`,
      en: `${source} is not valid JSON`,
    });
  }
}

function errorOf(e: unknown): { error: ErrorBody } {
  if (isSbError(e)) return { error: e.toBody() };
  const internal = new SbError('SB_ERR_INTERNAL');
  return { error: internal.toBody() };
}

/** Pure with respect to the process: returns what to print and the exit code. */
export function runCalcCli(
  rule: string | undefined,
  opts: CalcCliOptions,
  params: ParamStore,
  stdin: () => string,
): CalcCliOutput {
  if (opts.list) {
    return {
      stdout: [...RULES.values()].map((r) => `${r.name}\t${r.title.zh} / ${r.title.en}`).join('\n'),
      exitCode: 0,
    };
  }
  try {
    if (opts.batch !== undefined) {
      const items = readJson(opts.batch, 'batch', stdin);
      if (!Array.isArray(items))
        throw new SbError('SB_ERR_INVALID_TYPE', {
          field: 'batch',
          zh: '应为 JSON 数组',
          en: 'expected a JSON array of {"rule", "input"}',
        });
      const answers = items.map((item: unknown) => {
        try {
          const o = (item ?? {}) as { rule?: unknown; input?: unknown };
          return runRule(getRule(o.rule), o.input, params);
        } catch (e) {
          return errorOf(e);
        }
      });
      return { stdout: JSON.stringify(answers), exitCode: 0 };
    }
    if (rule === undefined)
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'rule',
        zh: '请指定规则，或使用 --list',
        en: 'name a rule, or use --list',
      });
    const def = getRule(rule);
    const input = readJson(opts.input ?? '-', 'input', stdin);
    const result: RuleResult = runRule(def, input, params);
    if (opts.explain) {
      const lang = opts.explain === 'en' ? 'en' : 'zh';
      const { trace, ...values } = result;
      const head = lang === 'zh' ? `${def.title.zh}（${def.name}）` : `${def.title.en} (${def.name})`;
      // the words the web's trace view uses: a table's field names and a code list's words
      const fields: Record<string, string> = lang === 'zh' ? paramFieldsZh : paramFieldsEn;
      const codes = codeWords(lang);
      const words: FigureWords = {
        lang,
        fieldName: (k) => fields[`param.${k}`] ?? k,
        code: (list, c) => codes[`${list}.${c}`] ?? c,
      };
      return {
        stdout: `${head}\n${explainTrace(trace, words)}\n\n${JSON.stringify(values, null, 2)}`,
        exitCode: 0,
      };
    }
    return { stdout: JSON.stringify(result, null, 2), exitCode: 0 };
  } catch (e) {
    return { stdout: JSON.stringify(errorOf(e)), exitCode: 1 };
  }
}
