// `skill-subsidy`: the skill-upgrade subsidy (技能提升补贴, 人社部发〔2017〕40号 and the relaxed
// threshold of 2019–2025). The certificate date selects the year's rule; the application is in
// time when applicationDate ≤ certificateDate + 12 months; the amount is the level's full standard.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { addMonths, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { fen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam } from '../core/rule-support.ts';

export type CertificateLevel = 5 | 4 | 3;
export const CERTIFICATE_LEVELS: readonly CertificateLevel[] = [5, 4, 3];

export interface SkillSubsidyInput {
  region: string;
  certificateLevel: CertificateLevel;
  certificateDate: IsoDate;
  applicationDate: IsoDate;
  contributionMonths: number;
}

export interface SkillSubsidyResult {
  eligible: boolean;
  amountFen: Fen;
  standardFen: Fen;
  minContributionMonths: number;
  deadline: IsoDate;
  reason?: string;
  reasonZh?: string;
}

const P = 'unemployment/skill-subsidy/';

export function assessSkillSubsidy(
  input: SkillSubsidyInput,
  params: ParamStore,
  trace?: Trace,
): SkillSubsidyResult {
  const { region, certificateLevel, certificateDate, applicationDate, contributionMonths } = input;
  if (applicationDate < certificateDate) {
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'applicationDate',
      zh: '申请日期早于证书核发日期',
      en: 'the application date is before the certificate date',
    });
  }
  const minContributionMonths = getParam<number>(
    params,
    `${P}min-contribution-months`,
    region,
    certificateDate,
    trace,
    'certificateDate',
  );
  const windowMonths = getParam<number>(
    params,
    `${P}application-window-months`,
    region,
    certificateDate,
    trace,
    'certificateDate',
  );
  const standardFen = getParam<Fen>(
    params,
    `${P}level-${certificateLevel}`,
    region,
    certificateDate,
    trace,
    'certificateDate',
  );
  const deadline = addMonths(certificateDate, windowMonths);
  trace?.add(
    `deadline = certificate date + ${windowMonths} months`,
    deadline,
    `申领截止日 = 证书核发日 + ${windowMonths}个月`,
  );
  const reasons: Array<[string, string]> = [];
  if (contributionMonths < minContributionMonths) {
    reasons.push([
      `${contributionMonths} months of contributions, fewer than ${minContributionMonths}`,
      `失业保险缴费${contributionMonths}个月，不足${minContributionMonths}个月`,
    ]);
  }
  if (applicationDate > deadline) {
    reasons.push([
      `applied on ${applicationDate}, after the deadline ${deadline}`,
      `${applicationDate}申请，已超过申领期限${deadline}`,
    ]);
  }
  trace?.add(
    'contribution months ≥ threshold',
    contributionMonths >= minContributionMonths,
    '缴费月数达到要求',
  );
  trace?.add('applied by the deadline', applicationDate <= deadline, '在申领期限内');
  if (reasons.length > 0) {
    const reason = reasons.map((r) => r[0]).join('; ');
    const reasonZh = reasons.map((r) => r[1]).join('；');
    trace?.add('not eligible', reason, reasonZh);
    return {
      eligible: false,
      amountFen: fen(0),
      standardFen,
      minContributionMonths,
      deadline,
      reason,
      reasonZh,
    };
  }
  trace?.add(
    `subsidy = the level-${certificateLevel} standard`,
    standardFen,
    `补贴 = ${certificateLevel}级证书标准`,
  );
  return { eligible: true, amountFen: standardFen, standardFen, minContributionMonths, deadline };
}

export function parseSkillSubsidyInput(r: FieldReader, params: ParamStore): SkillSubsidyInput {
  return {
    region: readRegion(r, params),
    certificateLevel: r.oneOf('certificateLevel', CERTIFICATE_LEVELS),
    certificateDate: r.date('certificateDate'),
    applicationDate: r.date('applicationDate'),
    contributionMonths: r.months('contributionMonths'),
  };
}

export const skillSubsidyRule: RuleDefinition<SkillSubsidyInput, SkillSubsidyResult> = {
  name: 'skill-subsidy',
  title: { zh: '技能提升补贴', en: 'Skill-upgrade subsidy' },
  parse: parseSkillSubsidyInput,
  compute: (input, { params, trace }) => assessSkillSubsidy(input, params, trace),
};
