// The audit codes the cards capability writes beyond its policy actions: a card's steps and its own codes.
import { auditFamily } from '../audit/audit-actions.ts';

/** A card's steps (card.service.ts), each audited as card.<step>. */
const CARD_STEPS = [
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

export const CARDS_AUDIT_ACTIONS = [
  'card.bank',
  'card.batch-issue',
  'card.batch-produce',
  'card.search',
  'card.terminal-key',
  'card.terminal-old-key-end',
  'card.terminal-register',
  'card.terminal-retire',
  'ecard.key-rotate',
  ...auditFamily('card.', CARD_STEPS),
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    cards: (typeof CARDS_AUDIT_ACTIONS)[number];
  }
}
