// The audit action codes the cards capability writes beyond its policy actions: a card's steps and
// its own codes. src/audit/audit-actions.ts composes every capability's list.
import { auditFamily } from '../core/audit-codes.ts';

/** A card's steps (card.service.ts), each audited as card.<step>. */
export const CARD_STEPS = [
  'apply',
  'produce',
  'issue',
  'activate',
  'temporary-loss',
  'unblock',
  'formal-loss',
  'reissue',
  'cancel-death',
] as const;
export type CardStep = (typeof CARD_STEPS)[number];

export const CARD_AUDIT_ACTIONS = [
  'card.bank',
  'card.batch-issue',
  'card.batch-produce',
  'card.search',
  'ecard.key-rotate',
  ...auditFamily('card.', CARD_STEPS),
] as const;
