// Contribution rules (assessment, account interest, late fee, contribution index Z) of the calculation contract.
import type { RuleDefinition } from '../core/rule.ts';
import { accountInterestRule } from './account-interest.rules.ts';
import { contributionIndexRule } from './contribution-index.rules.ts';
import { contributionRule } from './contribution.rules.ts';
import { lateFeeRule } from './late-fee.rules.ts';

export const contributionRules: Array<RuleDefinition<never, object>> = [
  contributionRule as unknown as RuleDefinition<never, object>,
  accountInterestRule as unknown as RuleDefinition<never, object>,
  lateFeeRule as unknown as RuleDefinition<never, object>,
  contributionIndexRule as unknown as RuleDefinition<never, object>,
];
