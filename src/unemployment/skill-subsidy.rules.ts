// `skill-subsidy`: the skill-upgrade subsidy (技能提升补贴, 人社部发〔2017〕40号 and the relaxed
// threshold of 2019–2025). The certificate date selects the year's rule; the application is in
// time when applicationDate ≤ certificateDate + 12 months; the amount is the level's full standard.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { addMonths, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { asObject, FieldReader } from '../core/input.ts';
import { fen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam, optionalParam } from '../core/rule-support.ts';

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
    'date',
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
    'boolean',
    '缴费月数达到要求',
  );
  trace?.add('applied by the deadline', applicationDate <= deadline, 'boolean', '在申领期限内');
  if (reasons.length > 0) {
    const reason = reasons.map((r) => r[0]).join('; ');
    const reasonZh = reasons.map((r) => r[1]).join('；');
    trace?.add('not eligible', reason, 'text', reasonZh);
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
    'fen',
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

/** A subsidy the person already applied for and was not refused (any year). */
export interface EarlierSkillSubsidy {
  occupation: string;
  level: number;
  appliedOn: IsoDate;
}

export interface SkillSubsidyLimitsInput {
  region: string;
  applicationDate: IsoDate;
  occupation: string;
  level: number;
  earlier: readonly EarlierSkillSubsidy[];
}

/** Why the limits refuse: the same occupation and level again, a lower level after a higher one, or the year's count. */
export type SkillSubsidyLimitRefusal = 'same-occupation-level' | 'higher-level-held' | 'yearly-limit';

export interface SkillSubsidyLimitsResult {
  allowed: boolean;
  refusal?: SkillSubsidyLimitRefusal;
  /** null: no yearly limit in force on the application date */
  maxPerYear: number | null;
  /** subsidies already applied for in the application date's calendar year */
  thisYear: number;
}

/**
 * The limits on repeated subsidies, keyed by the application date (params/unemployment/skill-subsidy/):
 * each occupation at each level so many times (人社部发〔2017〕40号: once), from 2022 no lower level
 * after a higher one of the same occupation, and at most so many a calendar year. Levels: 5 (初级) is
 * the lowest, 3 (高级) the highest, so a held level number ≤ the new one is the same or higher.
 */
export function checkSkillSubsidyLimits(
  input: SkillSubsidyLimitsInput,
  params: ParamStore,
  trace?: Trace,
): SkillSubsidyLimitsResult {
  const { region, applicationDate, occupation, level, earlier } = input;
  // every limit is the one in force on the application date
  const read = <T>(name: string): T =>
    getParam<T>(params, `${P}${name}`, region, applicationDate, trace, 'applicationDate');
  const timesPerLevel = read<number>('times-per-occupation-level');
  const higherBarsLower = read<boolean>('higher-level-bars-lower');
  const maxPerYear =
    optionalParam<number>(params, `${P}max-per-year`, region, applicationDate, trace) ?? null;
  const sameOccupation = earlier.filter((e) => e.occupation === occupation);
  const sameLevel = sameOccupation.filter((e) => e.level === level).length;
  const higher = sameOccupation.filter((e) => e.level < level).length;
  const year = applicationDate.slice(0, 4);
  const thisYear = earlier.filter((e) => e.appliedOn.slice(0, 4) === year).length;
  trace?.add(
    'earlier subsidies, same occupation and level',
    sameLevel,
    'count',
    '同一职业（工种）同一等级已申领次数',
  );
  trace?.add(
    'earlier subsidies, same occupation at a higher level',
    higher,
    'count',
    '同一职业（工种）更高等级已申领次数',
  );
  trace?.add(`subsidies applied for in ${year}`, thisYear, 'count', `${year}年已申领次数`);
  if (maxPerYear === null) trace?.add('no yearly limit in force', null, 'text', '当时无每年次数限制');
  const refusal: SkillSubsidyLimitRefusal | undefined =
    sameLevel >= timesPerLevel
      ? 'same-occupation-level'
      : higherBarsLower && higher > 0
        ? 'higher-level-held'
        : maxPerYear !== null && thisYear >= maxPerYear
          ? 'yearly-limit'
          : undefined;
  trace?.add('within the limits', refusal === undefined, 'boolean', '未超过申领次数限制');
  return refusal === undefined
    ? { allowed: true, maxPerYear, thisYear }
    : { allowed: false, refusal, maxPerYear, thisYear };
}

/** Reads an occupation: a non-empty name, compared as given (trimmed). */
function readOccupation(r: FieldReader): string {
  const occupation = r.string('occupation').trim();
  if (occupation === '')
    throw new SbError('SB_ERR_REQUIRED', {
      field: r.path ? `${r.path}.occupation` : 'occupation',
      zh: '职业（工种）',
      en: 'occupation',
    });
  return occupation;
}

export function parseSkillSubsidyLimitsInput(r: FieldReader, params: ParamStore): SkillSubsidyLimitsInput {
  return {
    region: readRegion(r, params),
    applicationDate: r.date('applicationDate'),
    occupation: readOccupation(r),
    level: r.oneOf('level', CERTIFICATE_LEVELS),
    earlier: r.array('earlier').map((item, i): EarlierSkillSubsidy => {
      const path = `earlier[${i}]`;
      const e = new FieldReader(asObject(item, path), path);
      return {
        occupation: readOccupation(e),
        level: e.oneOf('level', CERTIFICATE_LEVELS),
        appliedOn: e.date('appliedOn'),
      };
    }),
  };
}

export const skillSubsidyLimitsRule: RuleDefinition<SkillSubsidyLimitsInput, SkillSubsidyLimitsResult> = {
  name: 'skill-subsidy-limits',
  title: { zh: '技能提升补贴申领次数限制', en: 'Skill-upgrade subsidy: limits on repeated subsidies' },
  parse: parseSkillSubsidyLimitsInput,
  compute: (input, { params, trace }) => checkSkillSubsidyLimits(input, params, trace),
};
