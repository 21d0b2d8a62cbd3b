// `resident-pension`: the monthly pension of the urban-rural residents' scheme (国发〔2014〕8号):
// the basic pension (the national minimum; regional top-ups are not encoded) + account ÷ 139.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import type { IsoDate } from '../core/dates.ts';
import type { FieldReader } from '../core/input.ts';
import { dec, fen, roundFen, sumFen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam, tableNumber, tableObject } from '../core/rule-support.ts';

export interface ResidentPensionInput {
  region: string;
  date: IsoDate;
  personalAccountFen: Fen;
  contributionMonths: number;
}

export interface ResidentPensionResult {
  eligible: boolean;
  basicPensionFen: Fen;
  accountPensionFen: Fen;
  totalFen: Fen;
  reason?: string;
}

const RULES = 'pension/resident-pension-rules';
const MINIMUM = 'pension/resident-pension-minimum';

export function computeResidentPension(
  input: ResidentPensionInput,
  params: ParamStore,
  trace: Trace,
): ResidentPensionResult {
  const rules = tableObject(
    RULES,
    getParam<unknown>(params, RULES, input.region, input.date, trace, 'date', '城乡居民养老保险待遇领取条件'),
    'the rules',
  );
  const minMonths = tableNumber(RULES, rules, 'minContributionMonths');
  const divisor = tableNumber(RULES, rules, 'accountDivisor');
  const basicStandard = getParam<Fen>(
    params,
    MINIMUM,
    input.region,
    input.date,
    trace,
    'date',
    '全国基础养老金最低标准（元/月）',
  );
  const eligible = input.contributionMonths >= minMonths;
  trace.add(
    `contribution months ${input.contributionMonths} ≥ ${minMonths}`,
    eligible,
    'boolean',
    `累计缴费满${minMonths / 12}年`,
  );
  if (!eligible) {
    const zero = fen(0);
    return {
      eligible: false,
      basicPensionFen: zero,
      accountPensionFen: zero,
      totalFen: zero,
      reason: `contributionMonths below ${minMonths}`,
    };
  }
  const basic = basicStandard;
  trace.add(
    'basic pension = national minimum (regional top-ups not encoded)',
    basic,
    'fen',
    '基础养老金 = 全国最低标准（地方提高部分未录入）',
  );
  const account = roundFen(dec(input.personalAccountFen).div(divisor));
  trace.add(
    `personal-account pension = account ÷ ${divisor}`,
    account,
    'fen',
    `个人账户养老金 = 个人账户全部储存额 ÷ ${divisor}`,
  );
  const total = sumFen(basic, account);
  trace.add('total = basic + personal-account', total, 'fen', '月养老金合计');
  return { eligible: true, basicPensionFen: basic, accountPensionFen: account, totalFen: total };
}

export function parseResidentPension(r: FieldReader, params: ParamStore): ResidentPensionInput {
  return {
    region: readRegion(r, params),
    date: r.date('date'),
    personalAccountFen: r.fen('personalAccountFen'),
    contributionMonths: r.months('contributionMonths'),
  };
}

export const residentPensionRule: RuleDefinition<ResidentPensionInput, ResidentPensionResult> = {
  name: 'resident-pension',
  title: { zh: '城乡居民基本养老金', en: "Urban-rural residents' basic pension" },
  parse: parseResidentPension,
  compute: (input, { params, trace }) => computeResidentPension(input, params, trace),
};
