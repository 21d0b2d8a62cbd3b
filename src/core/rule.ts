// The shape every calculation rule shares, so the CLI, the API, the cases harness, the simulator
// and the live processes call rules the same way.
import { SbError } from './errors.ts';
import { asObject, FieldReader } from './input.ts';
import { NATIONAL, type ParamStore } from './params.ts';
import { isKnownRegion } from './regions.ts';
import { Trace, type TraceStep } from './trace.ts';
import type { Words } from './bilingual.ts';

export interface RuleContext {
  params: ParamStore;
  trace: Trace;
}

export interface RuleDefinition<I = unknown, O extends object = object> {
  /** The contract name: `employee-pension`. */
  name: string;
  title: Words;
  /** Validates raw JSON into typed input, throwing SbError with the field name. */
  parse(input: FieldReader, params: ParamStore): I;
  /** Pure: no database, clock or network. Records what it read and computed in ctx.trace. */
  compute(input: I, ctx: RuleContext): O;
}

export type RuleResult = Record<string, unknown> & { trace: TraceStep[] };

/** Reads `region` (6 digits, default national): a region in the GB/T 2260 list or one that carries parameters. */
export function readRegion(r: FieldReader, params: ParamStore, key = 'region'): string {
  if (!r.has(key)) return NATIONAL;
  const region = r.string(key);
  if (!/^\d{6}$/.test(region) || !(isKnownRegion(region) || knownRegions(params).has(region))) {
    // the field only: the code sent is not repeated back (docs/security.md, wave 7)
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: key });
  }
  return region;
}

const regionCache = new WeakMap<ParamStore, Set<string>>();

/** Regions that carry parameters of their own. */
export function knownRegions(params: ParamStore): Set<string> {
  let set = regionCache.get(params);
  if (!set) {
    set = new Set([NATIONAL]);
    for (const def of params.definitions.values()) for (const code of def.regions.keys()) set.add(code);
    regionCache.set(params, set);
  }
  return set;
}

/** Runs one rule on raw JSON input: parse, compute, attach the trace. Throws SbError on bad input. */
export function runRule(
  rule: RuleDefinition<unknown, object>,
  rawInput: unknown,
  params: ParamStore,
): RuleResult {
  const input = rule.parse(new FieldReader(asObject(rawInput, '(input)')), params);
  const trace = new Trace();
  const output = rule.compute(input, { params, trace });
  if (trace.steps.length === 0) throw new Error(`rule ${rule.name} produced an empty trace`);
  return { ...(output as Record<string, unknown>), trace: trace.steps };
}
