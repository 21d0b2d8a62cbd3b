// Fund rules (central adjustment) of the calculation contract.
import type { RuleDefinition } from '../core/rule.ts';
import { centralAdjustmentRule } from './central-adjustment.rules.ts';

export const ledgerRules: Array<RuleDefinition<never, object>> = [centralAdjustmentRule] as Array<
  RuleDefinition<never, object>
>;
