// Assembly (floor 6): the words of the codes an audit entry's fields may hold, for the audit's
// before/after in words (src/audit/audit-fields.ts names which field reads which list, per record type):
// the code lists (src/code-lists.ts), and the statuses and detectors the capabilities name in words
// already, so a supervisor reads 已缴费 and 领取养老金期间死亡 where the entry stored a code.
import type { Words } from './core/bilingual.ts';
import { codeLabels } from './core/bilingual.ts';
import { CARD_STATUS_TEXT } from './cards/card.rules.ts';
import { codeWords } from './code-lists.ts';
import { BILL_STATUS_TEXT } from './contributions/bill-support.ts';
import { DETECTOR_TITLES } from './supervision/detector.rules.ts';
import { CLAIM_STATUS_WORDS } from './unemployment/unemployment-status.ts';

/** Every code's words in one language, keyed `<list>.<code>`. */
export function auditCodeWords(lang: keyof Words): Record<string, string> {
  return {
    ...codeWords(lang),
    ...codeLabels('supervision.detector', DETECTOR_TITLES, lang),
    ...codeLabels('bill.status', BILL_STATUS_TEXT, lang),
    ...codeLabels('card.status', CARD_STATUS_TEXT, lang),
    ...codeLabels('unemployment.claimStatus', CLAIM_STATUS_WORDS, lang),
  };
}
