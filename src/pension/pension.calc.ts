// Pension-family rules (retirement age, divisor, employee pension, adjustment, survivor, resident pension) of the calculation contract.
import type { RuleDefinition } from '../calc/rule.ts';

export const pensionRules: Array<RuleDefinition<never, object>> = [];
