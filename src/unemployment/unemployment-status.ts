// The unemployment claims' and grants' statuses in words, in both languages: the one place that names
// them. The server's conflict messages say them, and the web's catalogue takes its labels from here
// (web/src/pages/unemployment/messages.ts), so a status reads the same on the page and in an error.
import type { Words } from '../core/bilingual.ts';
import { SbError } from '../core/errors.ts';
import type { UnemploymentClaimStatus, UnemploymentGrantTable } from '../db/database.ts';

export type UnemploymentGrantStatus = UnemploymentGrantTable['status'];

export const CLAIM_STATUS_WORDS: Readonly<Record<UnemploymentClaimStatus, Words>> = {
  submitted: { zh: '待核定', en: 'Awaiting decision' },
  ineligible: { zh: '不符合条件', en: 'Not eligible' },
  approved: { zh: '发放中', en: 'Being paid' },
  rejected: { zh: '不予核准', en: 'Refused' },
  interrupted: { zh: '中止', en: 'Interrupted' },
  stopped: { zh: '已停发', en: 'Stopped' },
  ended: { zh: '已期满', en: 'Ended' },
};

export const GRANT_STATUS_WORDS: Readonly<Record<UnemploymentGrantStatus, Words>> = {
  submitted: { zh: '待核定', en: 'Awaiting decision' },
  ineligible: { zh: '不符合条件', en: 'Not eligible' },
  paid: { zh: '已发放', en: 'Paid' },
  rejected: { zh: '不予核准', en: 'Refused' },
};

/** A step the claim's status does not allow: names the status in words, not its code. */
export function claimStatusConflict(status: UnemploymentClaimStatus): SbError {
  const w = CLAIM_STATUS_WORDS[status];
  return new SbError('SB_ERR_CONFLICT', {
    zh: `该申领当前状态为“${w.zh}”，不能办理此项`,
    en: `the claim is “${w.en}”, which does not allow this`,
  });
}

/** A step the grant application's status does not allow, in words. */
export function grantStatusConflict(status: UnemploymentGrantStatus): SbError {
  const w = GRANT_STATUS_WORDS[status];
  return new SbError('SB_ERR_CONFLICT', {
    zh: `该申请当前状态为“${w.zh}”，不能办理此项`,
    en: `the application is “${w.en}”, which does not allow this`,
  });
}

/** The web catalogue's status labels of one language, keyed as the pages look them up. */
export function statusLabels(lang: keyof Words): {
  [K in UnemploymentClaimStatus as `ue.status.${K}`]: string;
} & { [K in UnemploymentGrantStatus as `ue.grants.status.${K}`]: string } {
  const claim = Object.fromEntries(
    Object.entries(CLAIM_STATUS_WORDS).map(([k, w]) => [`ue.status.${k}`, w[lang]]),
  );
  const grant = Object.fromEntries(
    Object.entries(GRANT_STATUS_WORDS).map(([k, w]) => [`ue.grants.status.${k}`, w[lang]]),
  );
  return { ...claim, ...grant } as ReturnType<typeof statusLabels>;
}
