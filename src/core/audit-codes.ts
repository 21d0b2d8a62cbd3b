// A step list's audit codes: each step of a process audited as <prefix><step> (card.apply,
// home-visit.assign). Each capability lists its own codes (its *.audit.ts); src/audit composes them.
export const auditFamily = <P extends string, S extends string>(prefix: P, steps: readonly S[]) =>
  steps.map((s): `${P}${S}` => `${prefix}${s}`);
