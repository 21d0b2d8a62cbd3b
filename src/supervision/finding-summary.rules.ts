// A finding's summary in the current wording (money as ¥ with separators, days and months in words, a
// staff member by display name), told from its structured evidence. The scan stores it in both
// languages for new findings; the supervision pages tell every finding the same way, so those stored
// in the old wording (ISO dates, "7650.00元", a username) read alike. Pure: the web imports it too.
import { dateInWords, isIsoDate, monthInWords } from '../core/dates.ts';
import { formatMoney } from '../core/money-text.ts';
import type { Words } from '../core/bilingual.ts';

/** What a finding's sentence is told from: its stored facts and the names of whom it is about. */
export interface FindingFacts {
  detector: string;
  evidence: unknown;
  amountAtRiskFen: number;
  periodFrom: string | null;
  periodTo: string | null;
  /** the finding's person, employer and (staff_own_records) staff member, by name */
  personName: string | null;
  employerName: string | null;
  staffName: string | null;
}

/** A count as the pages write one: 1234 → "1,234". */
const formatCount = (n: number): string => n.toLocaleString('en-US');

/** An English count with its noun: "1 month", "3 months" ("acted 1 time(s)" read as a form). */
const counted = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

type Ev = Record<string, unknown>;

const count = (v: unknown): number | null =>
  Array.isArray(v) ? v.length : typeof v === 'number' && Number.isSafeInteger(v) ? v : null;

/** Whole days from one calendar date to another (UTC midnights, so no zone or DST can shift a day). */
const daysBetween = (from: string, to: string): number =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

const RELATION: Record<string, Words> = {
  self: { zh: '本人', en: 'their own record' },
  same_address: { zh: '同住址人员', en: 'the record of a person at their address' },
  same_bank_account: { zh: '同银行账户人员', en: 'the record of a person with their bank account' },
};

/** The sentence of each detector, or null when the evidence does not hold what it needs. */
function told(f: FindingFacts, e: Ev, lang: 'zh' | 'en'): Words | null {
  const name = f.personName ?? '';
  const money = formatMoney(f.amountAtRiskFen);
  const date = (v: unknown) => (isIsoDate(v) ? dateInWords(v, lang) : null);
  const month = (v: unknown) => (typeof v === 'string' ? monthInWords(v, lang) : null);
  switch (f.detector) {
    case 'pension_after_death':
    case 'unemployment_after_death': {
      const died = date(e.deathDate);
      const months = count(e.payments);
      if (!died || months === null) return null;
      const pension = f.detector === 'pension_after_death';
      return {
        zh: `${name}于${died}死亡，此后仍发放${pension ? '养老金' : '失业金'}${formatCount(months)}个月，共${money}`,
        en: `Died ${died}; ${pension ? 'pension' : 'unemployment benefit'} still paid for ${counted(months, 'month')} after, ${money}`,
      };
    }
    case 'double_pension': {
      const months = count(e.months);
      if (months === null) return null;
      return {
        zh: `${name}同时领取职工和城乡居民基本养老金${formatCount(months)}个月，应退居民养老金${money}`,
        en: `Employee and resident basic pension both paid for ${counted(months, 'month')}; the resident pension to refund is ${money}`,
      };
    }
    case 'pension_and_unemployment': {
      const months = count(e.periods);
      if (months === null) return null;
      return {
        zh: `${name}领取养老金期间同月领取失业金${formatCount(months)}个月，共${money}`,
        en: `Unemployment benefit paid in ${counted(months, 'month')} the pension was also paid: ${money}`,
      };
    }
    case 'unemployment_while_employed': {
      const months = count(e.months);
      if (months === null) return null;
      return {
        zh: `${name}被单位申报参保期间领取失业金${formatCount(months)}个月，共${money}`,
        en: `Unemployment benefit paid for ${counted(months, 'month')} another employer declared the person as employed: ${money}`,
      };
    }
    case 'pension_while_suspended': {
      const from = month(e.suspendedFrom);
      const months = count(e.periods);
      if (!from || months === null) return null;
      return {
        zh: `${name}的养老金自${from}暂停，仍发放${formatCount(months)}个月，共${money}`,
        en: `Pension suspended from ${from} but paid for ${counted(months, 'month')}: ${money}`,
      };
    }
    case 'late_career_hire': {
      if (!isIsoDate(e.startDate) || !isIsoDate(e.retirementDate)) return null;
      const days = daysBetween(e.startDate, e.retirementDate);
      const back = count(e.backPaymentMonths) ?? 0;
      const high = count(e.ceilingMonths) ?? 0;
      return back > 0
        ? {
            zh: `${name}于退休前${formatCount(days)}天入职，补缴${formatCount(back)}个月`,
            en: `Hired ${counted(days, 'day')} before retirement; ${counted(back, 'month')} paid back`,
          }
        : {
            zh: `${name}于退休前${formatCount(days)}天入职，按${formatCount(high)}个月高基数缴费`,
            en: `Hired ${counted(days, 'day')} before retirement; ${counted(high, 'month')} at a base at or above the ceiling`,
          };
    }
    case 'back_payment_undocumented': {
      const months = count(e.months);
      const from = month(f.periodFrom);
      const to = month(f.periodTo);
      if (months === null || !from || !to || typeof e.documented !== 'boolean') return null;
      return {
        zh: `${name}补缴${formatCount(months)}个月（${from}至${to}），${e.documented ? '一次性补缴年限过长' : '无补录审批材料'}，金额${money}`,
        en: `${counted(months, 'month')} paid back (${from} to ${to}), ${e.documented ? 'a lump of years' : 'with no approved back-entry'}, ${money}`,
      };
    }
    case 'staff_own_records': {
      const relation = typeof e.relation === 'string' ? RELATION[e.relation] : undefined;
      const times = count(e.auditIds);
      if (!relation || times === null) return null;
      // The staff member by display name, or unnamed: never the username the scan stored.
      const who = f.staffName ?? '';
      return {
        zh: `经办人员${who}对${relation.zh}的记录办理业务${formatCount(times)}次`,
        en: `Staff member${who ? ` ${who}` : ''} acted ${counted(times, 'time')} on ${relation.en}`,
      };
    }
    case 'employer_injuries': {
      const cases = count(e.cases);
      const workers = count(e.workers);
      const from = month(f.periodFrom);
      const to = month(f.periodTo);
      if (cases === null || workers === null || !from || !to) return null;
      return {
        zh: `${f.employerName ?? ''}在${from}至${to}间发生工伤${formatCount(cases)}起，职工${formatCount(workers)}人`,
        en: `${counted(cases, 'injury case')} from ${from} to ${to} among ${counted(workers, 'worker')}`,
      };
    }
    case 'shared_bank_account': {
      const persons = count(e.persons);
      const addresses = count(e.addresses);
      if (typeof e.accountTail !== 'string' || persons === null || addresses === null) return null;
      return {
        zh: `尾号${e.accountTail}的银行账户为${formatCount(addresses)}个不同住址的${formatCount(persons)}人领取待遇`,
        en: `The bank account ending ${e.accountTail} receives benefits for ${counted(persons, 'person')} at ${counted(addresses, 'different address', 'different addresses')}`,
      };
    }
    default:
      return null;
  }
}

/** The sentence in both languages, or null when the evidence does not hold what it needs. */
export function tellFinding(f: FindingFacts): Words | null {
  const e = f.evidence;
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return null;
  // told writes both sentences, its dates and months in the language asked: each half in its own.
  const zh = told(f, e as Ev, 'zh')?.zh;
  const en = told(f, e as Ev, 'en')?.en;
  return zh && en ? { zh, en } : null;
}
