// A clerk's proposed decision on a claim or a grant, checked before it goes to the reviewer.
import { SbError } from '../core/errors.ts';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  note?: string;
}

/** A refusal (claim or grant) is only proposed with the reason the applicant will read. */
export function requireRefusalReason(input: DecisionInput): void {
  if (input.decision === 'reject' && !input.note?.trim())
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'note',
      zh: '不予核准须说明理由',
      en: 'a refusal needs its reason',
    });
}
