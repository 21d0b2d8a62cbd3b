// Temporary basic pension contribution accounts (临时基本养老保险缴费账户), 国办发〔2009〕66号 Art. 5
// (domain-2.md §1.3): a man aged 50 or more, or a woman aged 40 or more, who starts contributing in a
// province that is not the hukou province gets a temporary account there; the relation stays at the
// old place and the place of payment collects the temporary accounts at retirement. Not when the
// person returns to the hukou province (Art. 5(1)) or moves in a transfer approved by an organisation
// or HR department with a labour relation at the new place (Art. 5(3)). The two ages are dated
// parameters (params/federation/temporary-account-age-*.yaml), read at the start date for the new
// province. Pure: no database or clock.
import { ageInYears, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { RuleDefinition } from '../core/rule.ts';
import type { Trace } from '../core/trace.ts';

const REF = {
  referenceZh: '《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）第五条',
  reference: 'Interim Measures on Transferring Basic Pension Insurance (Guobanfa [2009] No. 66), art. 5',
};
export const TEMPORARY_AGE_MALE = 'federation/temporary-account-age-male';
export const TEMPORARY_AGE_FEMALE = 'federation/temporary-account-age-female';

export interface TemporaryAccountInput {
  sex: 'M' | 'F';
  birthDate: IsoDate;
  /** hukou province (6 digits, `..0000`) */
  hukou: string;
  /** the province where contributions start */
  newProvince: string;
  /** the day contributions start there */
  startDate: IsoDate;
  /** Art. 5(3): the move was approved by a county-level (or higher) organisation or HR department */
  approvedTransfer?: boolean;
}

export interface TemporaryAccountResult {
  temporaryAccount: boolean;
  ageYears: number;
  /** the age limit that applies on the start date (params: 50 for men, 40 for women since 2010) */
  ageLimit: number;
  reason: string;
  /** where the basic relation stays: the old province, or moves here */
  relationStays: 'old province' | 'moves';
}

/** Does contributing in `newProvince` from `startDate` open a temporary account (and leave the relation behind)? */
export function temporaryAccountCheck(
  input: TemporaryAccountInput,
  params: ParamStore,
  trace?: Trace,
): TemporaryAccountResult {
  const ageYears = ageInYears(input.birthDate, input.startDate);
  trace?.add(
    'age when contributions start (birthday included)',
    ageYears,
    'age',
    '开始缴费时年龄（含生日当天）',
  );
  const ageLimit = params.get<number>(
    input.sex === 'M' ? TEMPORARY_AGE_MALE : TEMPORARY_AGE_FEMALE,
    input.newProvince,
    input.startDate,
    trace,
    'startDate',
  );
  const out = (temporaryAccount: boolean, reason: string): TemporaryAccountResult => {
    trace?.push({ step: `temporary account: ${reason}`, value: temporaryAccount, unit: 'boolean', ...REF });
    return {
      temporaryAccount,
      ageYears,
      ageLimit,
      reason,
      relationStays: temporaryAccount ? 'old province' : 'moves',
    };
  };
  if (input.newProvince === input.hukou) return out(false, 'return to hukou province');
  if (input.approvedTransfer === true) return out(false, 'approved transfer (调动)');
  if (ageYears < ageLimit) return out(false, 'under the age limit');
  return out(true, 'past the age limit, away from the hukou province');
}

const PROVINCE = /^[1-8]\d0000$/;

function province(v: string, field: string): string {
  if (!PROVINCE.test(v)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field });
  return v;
}

export const temporaryAccountRule: RuleDefinition<TemporaryAccountInput, TemporaryAccountResult> = {
  name: 'temporary-account-check',
  title: { zh: '临时基本养老保险缴费账户', en: 'Temporary pension contribution account' },
  parse(r) {
    const sex = r.string('sex');
    if (sex !== 'M' && sex !== 'F')
      throw new SbError('SB_ERR_VALIDATION', { field: 'sex', zh: 'M 或 F', en: 'M or F' });
    const input: TemporaryAccountInput = {
      sex,
      birthDate: r.date('birthDate'),
      hukou: province(r.string('hukou'), 'hukou'),
      newProvince: province(r.string('newProvince'), 'newProvince'),
      startDate: r.date('startDate'),
    };
    if (input.startDate < input.birthDate)
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'startDate',
        zh: '开始缴费日期早于出生日期',
        en: 'startDate is before birthDate',
      });
    if (r.has('approvedTransfer')) input.approvedTransfer = r.boolean('approvedTransfer');
    return input;
  },
  compute: (input, ctx) => temporaryAccountCheck(input, ctx.params, ctx.trace),
};
