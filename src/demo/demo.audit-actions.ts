// The audit codes the demo city's seeding writes (demo-city.ts, demo-cards.job.ts, demo-pensions.job.ts).
export const DEMO_AUDIT_ACTIONS = [
  'card.demo-issue',
  'demo.seed',
  'pension.demo-awards',
  'person.demo-card-bank',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    demo: (typeof DEMO_AUDIT_ACTIONS)[number];
  }
}
