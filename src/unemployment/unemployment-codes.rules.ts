// The codes an unemployment calculation's trace carries, with their words in both languages: the web
// catalogue reads them from here, so a trace step of unit `code:unemployment.group` is said in words.
import { codeLabels, type Words } from '../core/bilingual.ts';

/** Who may claim the unemployment subsidy: the benefit ran out, or the person never qualified for it. */
export type SubsidyGroup = 'benefit-ended' | 'not-qualified';
const SUBSIDY_GROUP_WORDS: Readonly<Record<SubsidyGroup, Words>> = {
  'benefit-ended': {
    zh: '领取失业保险金期满仍未就业',
    en: 'unemployment benefit ran out, still unemployed',
  },
  'not-qualified': {
    zh: '不符合领取失业保险金条件的参保失业人员',
    en: 'insured unemployed person not qualified for the benefit',
  },
};

/** The web catalogue's words of these codes in one language, keyed as the pages look them up. */
export function unemploymentCodeLabels(lang: keyof Words) {
  return codeLabels('unemployment.group', SUBSIDY_GROUP_WORDS, lang);
}
