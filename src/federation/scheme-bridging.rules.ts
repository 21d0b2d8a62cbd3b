// Bridging the employee scheme and the urban and rural residents' scheme (城乡养老保险制度衔接,
// 人社部发〔2014〕17号, from 2014-07-01; domain-2.md §1.7), decided when the person reaches the
// employee scheme's pension age, at the place of payment:
// - employee years ≥ 15 → residents' → employee: the resident account joins the employee account;
//   resident years are not added or converted;
// - employee years < 15 → employee → residents': the employee personal account joins the resident
//   account and the employee years are added to the resident years (the pooled fund stays behind [D]);
// - overlapping months: only the employee months count; the resident personal and collective
//   contributions of those months are refunded, the government subsidy stays;
// - both pensions already drawn: keep the employee pension, end the resident relation, refund the
//   resident account less government subsidies, and the resident pension paid is returned or offset.
// Pure: no database or clock.
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import type { RuleDefinition } from '../core/rule.ts';
import type { Trace } from '../core/trace.ts';

/** 《城乡养老保险制度衔接暂行办法》 (人社部发〔2014〕17号), an article of it in both languages. */
const REF = (art: string | undefined, artEn: string | undefined) => ({
  referenceZh: `《城乡养老保险制度衔接暂行办法》（人社部发〔2014〕17号）${art ?? ''}`,
  reference: `Interim Measures on Linking the Urban and Rural Pension Schemes (Renshebufa [2014] No. 17)${artEn ? `, ${artEn}` : ''}`,
});
/** 15 years (社会保险法 Art. 16): "满15年" includes 180 months. */
const FIFTEEN_YEARS = 180;

export interface SchemeBridgingInput {
  employeeMonths: number;
  residentMonths: number;
  employeeAccountFen: number;
  residentAccountFen: number;
  /** resident contributions of months also paid in the employee scheme */
  overlap?: {
    months: number;
    residentPersonalFen: number;
    residentCollectiveFen: number;
    residentGovSubsidyFen: number;
  };
  /** both pensions are already being drawn */
  bothPensionsPaid?: { govSubsidyInAccountFen: number; residentBasicPaidFen: number };
}

export interface SchemeBridgingResult {
  direction: 'resident→employee' | 'employee→resident' | 'end resident relation';
  employeeMonths: number;
  residentMonths: number;
  employeeAccountFen: number;
  residentAccountFen: number;
  /** refunded to the person (overlap contributions, or the resident account less subsidies) */
  refundFen: number;
  /** government subsidy that stays in the account (overlap) */
  subsidyStaysFen: number;
  /** resident pension already paid, to return or offset (both drawn) */
  toReturnOrOffsetFen: number;
}

export function schemeBridging(input: SchemeBridgingInput, trace?: Trace): SchemeBridgingResult {
  let refundFen = 0;
  let subsidyStaysFen = 0;
  let residentMonths = input.residentMonths;
  let residentAccountFen = input.residentAccountFen;
  if (input.overlap) {
    const o = input.overlap;
    refundFen = fen(o.residentPersonalFen + o.residentCollectiveFen);
    subsidyStaysFen = o.residentGovSubsidyFen;
    residentMonths = Math.max(0, residentMonths - o.months);
    residentAccountFen = fen(residentAccountFen - refundFen);
    trace?.push({
      step: `overlap of ${o.months} months counts as employee; personal + collective contributions refunded`,
      stepZh: '重复缴费期间按职工保险计算，退还城乡居民个人缴费和集体补助',
      value: refundFen,
      unit: 'fen',
      ...REF('第八条', 'art. 8'),
    });
    trace?.add('government subsidy stays in the account', subsidyStaysFen, 'fen', '政府补贴不退还');
  }
  if (input.bothPensionsPaid) {
    const b = input.bothPensionsPaid;
    const refund = fen(residentAccountFen - b.govSubsidyInAccountFen);
    trace?.push({
      step: 'both pensions drawn: keep the employee pension, refund the resident account less subsidies',
      stepZh: '同时领取两种待遇：保留职工养老保险，退还城乡居民个人账户（扣除政府补贴）',
      value: refund,
      unit: 'fen',
      ...REF(undefined, undefined),
    });
    trace?.add(
      'resident pension paid, to return or offset',
      b.residentBasicPaidFen,
      'fen',
      '已领取的城乡居民基础养老金应退还或抵扣',
    );
    return {
      direction: 'end resident relation',
      employeeMonths: input.employeeMonths,
      residentMonths: 0,
      employeeAccountFen: input.employeeAccountFen,
      residentAccountFen: 0,
      refundFen: fen(refundFen + refund),
      subsidyStaysFen,
      toReturnOrOffsetFen: b.residentBasicPaidFen,
    };
  }
  trace?.add(
    'employee months (15 years = 180)',
    input.employeeMonths,
    'months',
    '职工养老保险缴费月数（满15年即180个月）',
  );
  if (input.employeeMonths >= FIFTEEN_YEARS) {
    const employeeAccountFen = fen(input.employeeAccountFen + residentAccountFen);
    trace?.push({
      step: 'employee ≥ 15 years: resident account joins the employee account; resident years not converted',
      stepZh: '职工养老保险缴费满15年：城乡居民个人账户储存额并入职工个人账户，缴费年限不合并计算或折算',
      value: employeeAccountFen,
      unit: 'fen',
      ...REF('第五条', 'art. 5'),
    });
    return {
      direction: 'resident→employee',
      employeeMonths: input.employeeMonths,
      residentMonths: 0,
      employeeAccountFen,
      residentAccountFen: 0,
      refundFen,
      subsidyStaysFen,
      toReturnOrOffsetFen: 0,
    };
  }
  const months = residentMonths + input.employeeMonths;
  const account = fen(residentAccountFen + input.employeeAccountFen);
  trace?.push({
    step: 'employee < 15 years: employee account joins the resident account; employee years added',
    stepZh:
      '职工养老保险缴费不足15年：职工个人账户储存额并入城乡居民个人账户，职工缴费年限合并计算为城乡居民缴费年限',
    value: account,
    unit: 'fen',
    ...REF('第六条', 'art. 6'),
  });
  trace?.add('resident months after bridging', months, 'months', '衔接后城乡居民缴费月数');
  return {
    direction: 'employee→resident',
    employeeMonths: 0,
    residentMonths: months,
    employeeAccountFen: 0,
    residentAccountFen: account,
    refundFen,
    subsidyStaysFen,
    toReturnOrOffsetFen: 0,
  };
}

export const schemeBridgingRule: RuleDefinition<SchemeBridgingInput, SchemeBridgingResult> = {
  name: 'scheme-bridging',
  title: { zh: '城乡养老保险制度衔接', en: 'Bridging the employee and residents\u2019 pension schemes' },
  parse(r) {
    const input: SchemeBridgingInput = {
      employeeMonths: r.months('employeeMonths', { max: 1200 }),
      residentMonths: r.months('residentMonths', { max: 1200 }),
      employeeAccountFen: r.fen('employeeAccountFen'),
      residentAccountFen: r.fen('residentAccountFen'),
    };
    if (r.has('overlap')) {
      const o = r.object('overlap');
      input.overlap = {
        months: o.months('months', { max: 1200 }),
        residentPersonalFen: o.fen('residentPersonalFen'),
        residentCollectiveFen: o.fen('residentCollectiveFen'),
        residentGovSubsidyFen: o.fen('residentGovSubsidyFen'),
      };
      if (input.overlap.months > input.residentMonths)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'overlap.months',
          zh: '重复月数多于城乡居民缴费月数',
          en: 'more overlapping months than resident months',
        });
      if (input.overlap.residentPersonalFen + input.overlap.residentCollectiveFen > input.residentAccountFen)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'overlap',
          zh: '退还金额多于城乡居民个人账户',
          en: 'the refund exceeds the resident account',
        });
    }
    if (r.has('bothPensionsPaid')) {
      const b = r.object('bothPensionsPaid');
      input.bothPensionsPaid = {
        govSubsidyInAccountFen: b.fen('govSubsidyInAccountFen'),
        residentBasicPaidFen: b.fen('residentBasicPaidFen'),
      };
      if (input.bothPensionsPaid.govSubsidyInAccountFen > input.residentAccountFen)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'bothPensionsPaid.govSubsidyInAccountFen',
          zh: '政府补贴多于个人账户',
          en: 'the subsidy exceeds the resident account',
        });
    }
    return input;
  },
  compute: (input, ctx) => schemeBridging(input, ctx.trace),
};
