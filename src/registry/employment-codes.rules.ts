// Why an employment ended, in words: the one list the employer's form, the staff table, the audit page,
// the unemployment claim and the API description all read, so the reason reads the same everywhere.
import { codeLabels, type Words } from '../core/bilingual.ts';
import type { EndReason } from '../db/database.ts';

/** The reasons in the order the employer's form offers them. */
export const END_REASONS = [
  'voluntary',
  'involuntary',
  'retirement',
  'death',
] as const satisfies readonly EndReason[];

export const END_REASON_WORDS: Readonly<Record<EndReason, Words>> = {
  voluntary: { zh: '本人申请离职', en: 'Resigned' },
  // the words of Social Insurance Law Art. 45: only this reason opens unemployment benefit
  involuntary: { zh: '非本人意愿中断就业', en: 'Involuntary loss of the job' },
  retirement: { zh: '退休', en: 'Retired' },
  death: { zh: '死亡', en: 'Died' },
};

/** The list for an API description: "voluntary 本人申请离职 Resigned · …". */
export const endReasonsDescribed = (): string =>
  END_REASONS.map((r) => `${r} ${END_REASON_WORDS[r].zh} ${END_REASON_WORDS[r].en}`).join(' · ');

/** The web catalogue's words of these codes in one language, keyed as the pages look them up. */
export function employmentCodeLabels(lang: keyof Words) {
  return codeLabels('employment.end', END_REASON_WORDS, lang);
}
