// Pension-family rules (retirement age, divisor, employee pension, adjustment, survivor, resident pension) of the calculation contract.
import type { RuleDefinition } from '../core/rule.ts';
import { annuityDivisorRule } from './annuity-divisor.rules.ts';
import { employeePensionRule } from './employee-pension.rules.ts';
import { pensionAdjustmentRule } from './pension-adjustment.rules.ts';
import { residentPensionRule } from './resident-pension.rules.ts';
import { retirementAgeRule } from './retirement-age.rules.ts';
import { survivorBenefitRule } from './survivor-benefit.rules.ts';

export const pensionRules: Array<RuleDefinition<never, object>> = [
  retirementAgeRule,
  annuityDivisorRule,
  employeePensionRule,
  pensionAdjustmentRule,
  survivorBenefitRule,
  residentPensionRule,
] as Array<RuleDefinition<never, object>>;
