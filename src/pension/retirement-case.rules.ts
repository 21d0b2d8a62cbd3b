// The figures of a retirement case, pure: the retirement date a case may be opened for (statutory,
// flexible early or late within 36 months, residents from 60), and a computation over the person's
// record — eligibility, the months missing, the pension by the employee-pension or resident-pension
// rule, and the lawful options of someone short of the minimum. The service reads the record and
// stores what this returns with the case.
import { addMonths, ageInMonths, parseDate, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import type { PensionScheme } from '../db/database.ts';
import { computeContributionIndex } from '../contributions/contribution-index.rules.ts';
import { computeEmployeePension, type EmployeePensionInput } from './employee-pension.rules.ts';
import type { PensionRecord } from './person-record.repository.ts';
import { computeResidentPension } from './resident-pension.rules.ts';
import {
  computeRetirementAge,
  ORIGINAL_AGE_MONTHS,
  type RetirementCategory,
} from './retirement-age.rules.ts';
import type { Words } from '../core/bilingual.ts';

/** Flexible retirement moves the date by at most this many months either way. */
export const FLEX_MONTHS = 36;

export type RetirementKind = 'statutory' | 'early' | 'late';

export function categoryOf(sex: 'M' | 'F', requested: RetirementCategory | undefined): RetirementCategory {
  if (sex === 'M') return 'male';
  return requested === 'female-55' ? 'female-55' : 'female-50';
}

/** The earliest and latest flexible dates around a statutory date (never before the original age). */
export function flexibleWindow(
  birthDate: IsoDate,
  category: RetirementCategory,
  statutoryDate: IsoDate,
): { earliest: IsoDate; latest: IsoDate } {
  const original = addMonths(birthDate, ORIGINAL_AGE_MONTHS[category]);
  const early = addMonths(statutoryDate, -FLEX_MONTHS);
  return { earliest: early > original ? early : original, latest: addMonths(statutoryDate, FLEX_MONTHS) };
}

/** The date a case is opened for; a chosen date outside the lawful window is refused. */
export function caseRetirementDate(
  input: {
    scheme: PensionScheme;
    kind: RetirementKind;
    birthDate: IsoDate;
    category: RetirementCategory;
    chosenDate: string | undefined;
  },
  params: ParamStore,
  trace: Trace,
): IsoDate {
  const { kind, birthDate } = input;
  if (input.scheme === 'resident_pension') {
    // Residents: from age 60 (国发〔2014〕8号).
    const at60 = addMonths(birthDate, 60 * 12);
    const date = input.chosenDate === undefined ? at60 : parseDate(input.chosenDate, 'retirementDate');
    if (date < at60)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'retirementDate',
        zh: '城乡居民养老金自60周岁起领取',
        en: "the residents' pension starts at 60",
      });
    trace.add('residents: from age 60', date, 'date', '城乡居民养老金：年满60周岁起领取');
    return date;
  }
  const age = computeRetirementAge({ birthDate, category: input.category }, params, trace);
  let date: IsoDate = age.retirementDate;
  if (kind !== 'statutory') {
    if (input.chosenDate === undefined)
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'retirementDate',
        zh: '弹性退休须提供退休日期',
        en: 'flexible retirement needs the chosen date',
      });
    date = parseDate(input.chosenDate, 'retirementDate');
    const w = flexibleWindow(birthDate, input.category, age.retirementDate);
    const lo = kind === 'early' ? w.earliest : age.retirementDate;
    const hi = kind === 'early' ? age.retirementDate : w.latest;
    if (date < lo || date > hi)
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'retirementDate',
        zh: `弹性${kind === 'early' ? '提前' : '延迟'}退休日期须在 ${lo} 至 ${hi} 之间`,
        en: `flexible ${kind} retirement must fall between ${lo} and ${hi}`,
      });
  }
  trace.add(
    `retirement (${kind})`,
    date,
    'date',
    kind === 'statutory' ? '法定退休' : kind === 'early' ? '弹性提前退休' : '弹性延迟退休',
  );
  return date;
}

export interface ComputeInput {
  version: number;
  /** 视同缴费年限 (deemed months, from the personnel file) */
  deemedMonths?: number;
  deemedIndex?: number;
  /** records before the electronic record (paper archive): months, average index, account balance */
  archivedMonths?: number;
  archivedIndex?: number;
  archivedAccountFen?: number;
  /** C, when the region has no published benefit base wage */
  benefitBaseWageFen?: number;
}

/** The clerk's figures only the employee-pension rule reads, by name (zh, en) for the refusal. */
const EMPLOYEE_ONLY_FIELDS = {
  deemedMonths: ['视同缴费月数', 'deemed months'],
  deemedIndex: ['视同缴费指数', 'deemed index'],
  archivedIndex: ['档案缴费指数', 'archived contribution index'],
  benefitBaseWageFen: ['计发基数', 'benefit base wage'],
} as const satisfies Partial<Record<keyof ComputeInput, readonly [string, string]>>;

/**
 * A residents' case reads months and the account only (basic pension + account ÷ 139, 国发〔2014〕8号):
 * a figure of the employee pension sent with it is refused, not silently ignored.
 */
function refuseEmployeeFields(input: ComputeInput): void {
  for (const [field, [zh, en]] of Object.entries(EMPLOYEE_ONLY_FIELDS))
    if (input[field as keyof typeof EMPLOYEE_ONLY_FIELDS] !== undefined)
      throw new SbError('SB_ERR_VALIDATION', {
        field,
        zh: `城乡居民养老保险不使用${zh}（待遇 = 基础养老金 + 个人账户储存额 ÷ 139），请勿填写`,
        en: `the residents' pension has no ${en} (it is the basic pension + the account ÷ 139); leave it out`,
      });
}

export interface LawfulOption extends Words {
  code: 'keep_contributing' | 'lump_sum' | 'transfer_to_residents';
}

/** What someone short of the minimum may do (a resident cannot move to the residents' scheme). */
export function lawfulOptions(scheme: PensionScheme, missing: number): LawfulOption[] {
  const all: LawfulOption[] = [
    {
      code: 'keep_contributing',
      zh: `延长缴费至满最低缴费年限（尚差 ${missing} 个月）`,
      en: `keep contributing until the minimum is reached (${missing} months missing)`,
    },
    {
      code: 'lump_sum',
      zh: `按规定一次性补缴 ${missing} 个月`,
      en: `pay the ${missing} missing months in one sum, as the rules allow`,
    },
    {
      code: 'transfer_to_residents',
      zh: '转入城乡居民基本养老保险，按其规定享受待遇',
      en: "move to the urban-rural residents' scheme and draw its pension",
    },
  ];
  return scheme === 'employee_pension' ? all : all.filter((o) => o.code !== 'transfer_to_residents');
}

export interface CaseFigures {
  eligible: boolean;
  missingMonths: number;
  monthlyFen: number;
  result: unknown;
  inputs: Record<string, unknown>;
  options: LawfulOption[];
}

/** A case computed over the person's record (and the clerk's figures for service before it). */
export function computeCaseFigures(
  c: {
    scheme: PensionScheme;
    region: string;
    retirementDate: IsoDate;
    retirementKind: RetirementKind;
    category: RetirementCategory;
    birthDate: IsoDate;
  },
  record: PensionRecord,
  /** the record as stored with the decision (its figures without the bill lines) */
  recordFigures: Omit<PensionRecord, 'indexLines'>,
  input: ComputeInput,
  params: ParamStore,
  trace: Trace,
): CaseFigures {
  let eligible: boolean;
  let missing = 0;
  let monthly = 0;
  let result: unknown;
  let inputs: Record<string, unknown>;
  if (c.scheme === 'employee_pension') {
    const age = computeRetirementAge({ birthDate: c.birthDate, category: c.category }, params, new Trace());
    // Deemed and archived service: the clerk's figures where given, else the person's recorded prior service.
    const archivedMonths = input.archivedMonths ?? record.archivedMonths;
    const deemedMonths = input.deemedMonths ?? record.deemedMonths;
    const archivedIndex = input.archivedIndex ?? record.archivedIndex ?? 0;
    const archivedAccountFen = input.archivedAccountFen ?? record.archivedAccountFen;
    if (input.deemedMonths === undefined && record.deemedMonths > 0)
      trace.add(
        'deemed months from the recorded prior service',
        record.deemedMonths,
        'months',
        '视同缴费月数（取自已记录的视同缴费年限）',
      );
    if (input.archivedMonths === undefined && record.archivedMonths > 0)
      trace.add(
        'archived months from the recorded paper archive',
        record.archivedMonths,
        'months',
        '档案缴费月数（取自已记录的档案）',
      );
    const actualMonths = record.contributionMonths + archivedMonths;
    const months = actualMonths + deemedMonths;
    // Z: the contribution-index rule over the record's lines and the archive (no months → the
    // pension formula's floor applies through its clamp).
    const zr = computeContributionIndex(
      {
        region: c.region,
        lines: record.indexLines,
        archived: archivedMonths > 0 ? { months: archivedMonths, index: String(archivedIndex) } : undefined,
      },
      params,
      trace,
    );
    const z = zr.averageIndex === null ? 0 : Number(zr.averageIndex);
    const accountFen = record.personalAccountFen + archivedAccountFen;
    const ageMonths = ageInMonths(c.birthDate, c.retirementDate);
    trace.add('contribution months on record', record.contributionMonths, 'months', '系统缴费月数');
    trace.add(
      'archived months + deemed months',
      archivedMonths + deemedMonths,
      'months',
      '档案缴费月数 + 视同缴费月数',
    );
    trace.add('minimum contribution months', age.minContributionMonths, 'months', '最低缴费月数');
    eligible = months >= age.minContributionMonths;
    missing = Math.max(0, age.minContributionMonths - months);
    if (c.retirementKind === 'early' && !eligible) {
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: `弹性提前退休须已满最低缴费年限（尚差 ${missing} 个月）`,
        en: `early retirement needs the minimum contribution period (${missing} months missing)`,
      });
    }
    const epInput: EmployeePensionInput = {
      region: c.region,
      retirementDate: c.retirementDate,
      averageContributionIndex: z,
      contributionMonths: months,
      personalAccountFen: fen(accountFen),
      ageMonths,
    };
    if (input.benefitBaseWageFen !== undefined) epInput.benefitBaseWageFen = fen(input.benefitBaseWageFen);
    if (deemedMonths > 0)
      epInput.transitional =
        input.deemedIndex === undefined ? { deemedMonths } : { deemedMonths, deemedIndex: input.deemedIndex };
    inputs = {
      category: c.category,
      record: { ...recordFigures, averageIndex: zr.averageIndex },
      ...epInput,
      archivedMonths,
      archivedIndex: archivedMonths > 0 ? archivedIndex : null,
      archivedAccountFen,
      deemedMonths,
    };
    if (eligible) {
      const r = computeEmployeePension(epInput, params, trace);
      result = r;
      monthly = r.totalFen;
    } else {
      trace.add(
        `short of the minimum by ${missing} months`,
        missing,
        'months',
        `距最低缴费年限尚差 ${missing} 个月`,
      );
      result = { eligible: false, missingMonths: missing };
    }
  } else {
    refuseEmployeeFields(input);
    // The record already holds the paper years it knows (prior_service); the clerk's figures are
    // paper-record months and account not yet on it, added to it.
    const addedMonths = input.archivedMonths ?? 0;
    const addedAccountFen = input.archivedAccountFen ?? 0;
    trace.add(
      'resident months on record',
      record.residentMonths,
      'months',
      '城乡居民养老保险缴费月数（本人记录）',
    );
    trace.add(
      'resident account on record',
      fen(record.residentAccountFen),
      'fen',
      '城乡居民养老保险个人账户储存额（本人记录）',
    );
    if (addedMonths > 0)
      trace.add(
        'paper-record months added by the clerk',
        addedMonths,
        'months',
        '经办人员补录的档案缴费月数',
      );
    if (addedAccountFen > 0)
      trace.add(
        'paper-record account added by the clerk',
        fen(addedAccountFen),
        'fen',
        '经办人员补录的档案个人账户储存额',
      );
    const months = record.residentMonths + addedMonths;
    const rpInput = {
      region: c.region,
      date: c.retirementDate,
      personalAccountFen: fen(record.residentAccountFen + addedAccountFen),
      contributionMonths: months,
    };
    inputs = {
      record: recordFigures,
      ...rpInput,
      archivedMonths: addedMonths,
      archivedAccountFen: addedAccountFen,
    };
    const r = computeResidentPension(rpInput, params, trace);
    eligible = r.eligible;
    result = r;
    monthly = r.totalFen;
    if (!eligible) missing = Math.max(0, 180 - months);
  }
  return {
    eligible,
    missingMonths: missing,
    monthlyFen: monthly,
    result,
    inputs,
    options: eligible ? [] : lawfulOptions(c.scheme, missing),
  };
}
