// The card's life (社会保障卡): which state change is allowed from which state. Pure.
//   applied → produced → issued → activated
//   activated|issued → temp_lost (临时挂失, online, at once) → activated (解挂) | lost
//   activated|issued|temp_lost|produced → lost (正式挂失: permanent; a reissue with a new card number follows)
//   any live state → cancelled (death, or the agency)
import { SbError } from '../core/errors.ts';
import type { CardStatus } from './card.tables.ts';
import type { Words } from '../core/bilingual.ts';

/** A card's status in words, as the card pages name it (card.status.*), never by its code. */
export const CARD_STATUS_TEXT: Record<CardStatus, Words> = {
  applied: { zh: '已申领', en: 'applied for' },
  produced: { zh: '已制卡', en: 'produced' },
  issued: { zh: '已发放', en: 'issued' },
  activated: { zh: '已启用', en: 'activated' },
  temp_lost: { zh: '临时挂失', en: 'temporarily lost' },
  lost: { zh: '正式挂失', en: 'lost (formal)' },
  cancelled: { zh: '已注销', en: 'cancelled' },
};

export type CardTransition =
  'produce' | 'issue' | 'activate' | 'temporary-loss' | 'unblock' | 'formal-loss' | 'cancel';

const FROM: Record<CardTransition, readonly CardStatus[]> = {
  produce: ['applied'],
  issue: ['produced'],
  activate: ['issued'],
  'temporary-loss': ['issued', 'activated'],
  unblock: ['temp_lost'],
  'formal-loss': ['produced', 'issued', 'activated', 'temp_lost'],
  cancel: ['applied', 'produced', 'issued', 'activated', 'temp_lost'],
};

const TO: Record<CardTransition, CardStatus> = {
  produce: 'produced',
  issue: 'issued',
  activate: 'activated',
  'temporary-loss': 'temp_lost',
  unblock: 'activated',
  'formal-loss': 'lost',
  cancel: 'cancelled',
};

export const LIVE_STATUSES: readonly CardStatus[] = [
  'applied',
  'produced',
  'issued',
  'activated',
  'temp_lost',
];
/** Cards a terminal must refuse: in the revocation snapshot. */
export const REVOKED_STATUSES: readonly CardStatus[] = ['temp_lost', 'lost', 'cancelled'];

/** The state after `t`, or null when `t` is not allowed from `from`. */
export function nextStatus(from: CardStatus, t: CardTransition): CardStatus | null {
  return FROM[t].includes(from) ? TO[t] : null;
}

/**
 * The first day a card use may be dated, whatever its card: a life sign older than it counts for no
 * certification (the certification capability's EARLIEST_LIFE_SIGN), so an older use is a mistake or made up.
 */
export const EARLIEST_CARD_USE = '2015-01-01';

/**
 * Who registered the terminals migration 0530 found in the stored uses. Their registration day is the day
 * of their first upload, and that upload held uses of the days before it: such a terminal was in service
 * before its registration, so its uses are not bounded by that day (a resent old batch stays a duplicate).
 */
export const REGISTERED_BY_MIGRATION = 'migration 0530';

/**
 * The first record (index) dated, in the agency's day, before the terminal's registration — a use the
 * terminal cannot have seen; null when none is, or the terminal was registered by the migration.
 */
export function firstUseBeforeRegistration(
  terminal: { registered_on: string; registered_by: string },
  usedOn: readonly string[],
): number | null {
  if (terminal.registered_by === REGISTERED_BY_MIGRATION) return null;
  const i = usedOn.findIndex((day) => day < terminal.registered_on);
  return i < 0 ? null : i;
}

/** Days a temporary (verbal) loss report holds (5 Shanghai, 7 Wuxi/Yancheng/Xi'an, 10 Yongkang); default 7. */
export const TEMPORARY_LOSS_DAYS_DEFAULT = 7;

/** The reason on the person's audit entry when an activated card's account becomes theirs. */
export const CARD_BANK_REASON = '社保卡金融功能账户 / card\u2019s bank account';

/** A card's bank account: 16–19 digits; the spaces and dashes people type between groups are dropped. */
export function normalizeCardBankAccount(raw: string): string {
  const s = raw.replace(/[\s-]/g, '');
  if (/^\d{16,19}$/.test(s)) return s;
  throw new SbError('SB_ERR_INVALID_CARD_BANK_ACCOUNT', { field: 'bankAccount' });
}
