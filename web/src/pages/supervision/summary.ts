// A finding's summary as the supervisor reads it, told from its structured evidence by the same rules
// the scan stores it with (src/supervision/finding-summary.rules.ts), so findings stored in the old
// wording (ISO dates, "7650.00元", a staff member's username) read as new ones do. A finding whose
// evidence lacks what its sentence needs is shown with the stored summary.
import { tellFinding, type FindingFacts } from '../../../../src/supervision/finding-summary.rules.ts';
import type { Lang } from '../../i18n/lang.ts';

export interface SummarySource extends FindingFacts {
  summaryZh: string;
  summaryEn: string;
}

/** The summary in the reader's language: from the evidence, or the stored one when it cannot be told. */
export function findingSummary(f: SummarySource, lang: Lang): string {
  const text = tellFinding(f);
  if (text) return lang === 'zh-CN' ? text.zh : text.en;
  return lang === 'zh-CN' ? f.summaryZh : f.summaryEn;
}
