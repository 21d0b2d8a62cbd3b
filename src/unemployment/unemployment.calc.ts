// Unemployment rules (benefit, skill subsidy and its limits, stable-employment refund) of the calculation contract.
import type { RuleDefinition } from '../core/rule.ts';
import { skillSubsidyLimitsRule, skillSubsidyRule } from './skill-subsidy.rules.ts';
import { stableEmploymentRefundRule } from './stable-employment-refund.rules.ts';
import { unemploymentBenefitRule } from './unemployment-benefit.rules.ts';
import { unemploymentEntitlementRule } from './unemployment-entitlement.rules.ts';
import {
  deathGrantRule,
  migrantAllowanceRule,
  unemploymentSubsidyRule,
} from './unemployment-grants.rules.ts';

export const unemploymentRules: Array<RuleDefinition<never, object>> = [
  unemploymentBenefitRule as unknown as RuleDefinition<never, object>,
  skillSubsidyRule as unknown as RuleDefinition<never, object>,
  skillSubsidyLimitsRule as unknown as RuleDefinition<never, object>,
  stableEmploymentRefundRule as unknown as RuleDefinition<never, object>,
  unemploymentEntitlementRule as unknown as RuleDefinition<never, object>,
  unemploymentSubsidyRule as unknown as RuleDefinition<never, object>,
  migrantAllowanceRule as unknown as RuleDefinition<never, object>,
  deathGrantRule as unknown as RuleDefinition<never, object>,
];
