// The audit action codes the demo city's seeding writes beyond its policy actions (demo-city.ts, demo-cards.job.ts, demo-pensions.job.ts).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const DEMO_AUDIT_ACTIONS = [
  'card.demo-issue',
  'demo.seed',
  'pension.demo-awards',
  'person.demo-card-bank',
] as const;
