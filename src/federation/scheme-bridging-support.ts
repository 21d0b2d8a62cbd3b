// The scheme bridging's pure pieces (no use case): the decision from the provinces' figures, and its
// shape for the transfer's view. The service (scheme-bridging.service.ts) gathers the figures and moves
// the funds.
import { mulDiv } from '../core/money.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import type { Fund } from '../db/database.ts';
import {
  schemeBridging,
  type SchemeBridgingInput,
  type SchemeBridgingResult,
} from './scheme-bridging.rules.ts';

/** One province's records of a person in the two schemes. */
export interface SchemeFigures {
  /** months paid as an employee ('YYYY-MM'), with those credited from other provinces */
  employeePeriods: string[];
  employeeAccountFen: number;
  /** resident years paid: the person's part, and the government subsidy in the account */
  residentYears: Array<{ year: number; personalFen: number; subsidyFen: number }>;
  residentAccountFen: number;
  employeePensionDrawn: boolean;
  residentPensionDrawn: boolean;
  /** resident basic pension paid so far (what was paid less what the account paid) */
  residentBasicPaidFen: number;
}

export interface BridgingDecision {
  input: SchemeBridgingInput;
  result: SchemeBridgingResult;
  overlapMonths: number;
  /** the account that moves between the schemes' funds */
  movedFen: number;
  fromFund: Fund | null;
  toFund: Fund | null;
  trace: TraceStep[];
}

/**
 * The rule's input from the figures of one or two provinces: employee months are the distinct months
 * paid as an employee anywhere; a resident year counts 12 months; in a year paid in both, each month
 * paid as an employee counts only there and its resident contributions (the person's part, pro rata)
 * are refunded while the subsidy stays (17号 Art. 8).
 */
export function bridgingDecision(parts: SchemeFigures[]): BridgingDecision {
  const employee = new Set(parts.flatMap((p) => p.employeePeriods));
  const byYear = new Map<number, { personalFen: number; subsidyFen: number }>();
  for (const p of parts)
    for (const y of p.residentYears) {
      const e = byYear.get(y.year) ?? { personalFen: 0, subsidyFen: 0 };
      byYear.set(y.year, {
        personalFen: e.personalFen + y.personalFen,
        subsidyFen: e.subsidyFen + y.subsidyFen,
      });
    }
  let overlapMonths = 0;
  let refund = 0;
  let subsidy = 0;
  for (const [year, y] of byYear) {
    const m = Math.min(12, [...employee].filter((p) => p.startsWith(`${year}-`)).length);
    if (m === 0) continue;
    overlapMonths += m;
    refund += mulDiv(y.personalFen, m, 12);
    subsidy += mulDiv(y.subsidyFen, m, 12);
  }
  const sum = (f: (p: SchemeFigures) => number) => parts.reduce((s, p) => s + f(p), 0);
  const input: SchemeBridgingInput = {
    employeeMonths: employee.size,
    residentMonths: byYear.size * 12,
    employeeAccountFen: sum((p) => p.employeeAccountFen),
    residentAccountFen: sum((p) => p.residentAccountFen),
  };
  if (overlapMonths > 0)
    input.overlap = {
      months: overlapMonths,
      residentPersonalFen: Math.min(refund, input.residentAccountFen),
      residentCollectiveFen: 0,
      residentGovSubsidyFen: subsidy,
    };
  if (parts.some((p) => p.employeePensionDrawn) && parts.some((p) => p.residentPensionDrawn)) {
    const subsidyInAccount = [...byYear.values()].reduce((s, y) => s + y.subsidyFen, 0);
    input.bothPensionsPaid = {
      govSubsidyInAccountFen: Math.min(
        subsidyInAccount,
        input.residentAccountFen - (input.overlap?.residentPersonalFen ?? 0),
      ),
      residentBasicPaidFen: sum((p) => p.residentBasicPaidFen),
    };
  }
  const trace = new Trace();
  const result = schemeBridging(input, trace);
  const moved =
    result.direction === 'resident→employee'
      ? {
          movedFen: result.employeeAccountFen - input.employeeAccountFen,
          fromFund: 'resident_pension' as const,
          toFund: 'employee_pension' as const,
        }
      : result.direction === 'employee→resident'
        ? {
            movedFen: input.employeeAccountFen,
            fromFund: 'employee_pension' as const,
            toFund: 'resident_pension' as const,
          }
        : { movedFen: 0, fromFund: null, toFund: null };
  return { input, result, overlapMonths, ...moved, trace: trace.steps };
}

/** The bridging's decision and amounts for GET /api/v1/transfers/{id} (null for other kinds). */
export function bridgingShape(t: { kind: string; funds: Record<string, unknown> | null }) {
  const d = t.funds?.['bridging'] as BridgingDecision | undefined;
  if (t.kind !== 'scheme-bridging' || !d) return null;
  const r = d.result;
  return {
    direction: r.direction,
    employeeMonths: r.employeeMonths,
    residentMonths: r.residentMonths,
    employeeAccountFen: r.employeeAccountFen,
    residentAccountFen: r.residentAccountFen,
    overlapMonths: d.overlapMonths,
    movedFen: d.movedFen,
    fromFund: d.fromFund,
    toFund: d.toFund,
    refundFen: r.refundFen,
    subsidyStaysFen: r.subsidyStaysFen,
    toReturnOrOffsetFen: r.toReturnOrOffsetFen,
  };
}
