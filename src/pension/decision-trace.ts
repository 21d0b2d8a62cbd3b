// What a pension decision stores besides its result: the parameter versions read (from the trace).
import type { TraceStep } from '../core/trace.ts';

export interface ParameterVersion {
  parameter: string;
  effectiveFrom: string | null;
}

/** Distinct parameters named by the trace, with the version (effective date) used. */
export function parameterVersions(steps: readonly TraceStep[]): ParameterVersion[] {
  const seen = new Map<string, ParameterVersion>();
  for (const s of steps) {
    if (s.parameter === undefined) continue;
    const key = `${s.parameter}@${s.effectiveFrom ?? ''}`;
    if (!seen.has(key)) seen.set(key, { parameter: s.parameter, effectiveFrom: s.effectiveFrom ?? null });
  }
  return [...seen.values()];
}
