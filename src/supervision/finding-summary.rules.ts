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
  const n = (v: unknown) => {
    const c = count(v);
    return c === null ? null : formatCount(c);
  };
  switch (f.detector) {
    case 'pension_after_death':
    case 'unemployment_after_death': {
      const died = date(e.deathDate);
      const months = n(e.payments);
      if (!died || !months) return null;
      const pension = f.detector === 'pension_after_death';
      return {
        zh: `${name}于${died}死亡，此后仍发放${pension ? '养老金' : '失业金'}${months}个月，共${money}`,
        en: `Died ${died}; ${pension ? 'pension' : 'unemployment benefit'} still paid for ${months} month(s) after, ${money}`,
      };
    }
    case 'double_pension': {
      const months = n(e.months);
      if (!months) return null;
      return {
        zh: `${name}同时领取职工和城乡居民基本养老金${months}个月，应退居民养老金${money}`,
        en: `Employee and resident basic pension both paid for ${months} month(s); the resident pension to refund is ${money}`,
      };
    }
    case 'pension_and_unemployment': {
      const months = n(e.periods);
      if (!months) return null;
      return {
        zh: `${name}领取养老金期间同月领取失业金${months}个月，共${money}`,
        en: `Unemployment benefit paid in ${months} month(s) the pension was also paid: ${money}`,
      };
    }
    case 'unemployment_while_employed': {
      const months = n(e.months);
      if (!months) return null;
      return {
        zh: `${name}被单位申报参保期间领取失业金${months}个月，共${money}`,
        en: `Unemployment benefit paid for ${months} month(s) another employer declared the person as employed: ${money}`,
      };
    }
    case 'pension_while_suspended': {
      const from = month(e.suspendedFrom);
      const months = n(e.periods);
      if (!from || !months) return null;
      return {
        zh: `${name}的养老金自${from}暂停，仍发放${months}个月，共${money}`,
        en: `Pension suspended from ${from} but paid for ${months} month(s): ${money}`,
      };
    }
    case 'late_career_hire': {
      if (!isIsoDate(e.startDate) || !isIsoDate(e.retirementDate)) return null;
      const days = formatCount(daysBetween(e.startDate, e.retirementDate));
      const back = count(e.backPaymentMonths) ?? 0;
      const high = n(e.ceilingMonths) ?? '0';
      return back > 0
        ? {
            zh: `${name}于退休前${days}天入职，补缴${formatCount(back)}个月`,
            en: `Hired ${days} days before retirement; ${formatCount(back)} month(s) paid back`,
          }
        : {
            zh: `${name}于退休前${days}天入职，按${high}个月高基数缴费`,
            en: `Hired ${days} days before retirement; ${high} month(s) at a base at or above the ceiling`,
          };
    }
    case 'back_payment_undocumented': {
      const months = n(e.months);
      const from = month(f.periodFrom);
      const to = month(f.periodTo);
      if (!months || !from || !to || typeof e.documented !== 'boolean') return null;
      return {
        zh: `${name}补缴${months}个月（${from}至${to}），${e.documented ? '一次性补缴年限过长' : '无补录审批材料'}，金额${money}`,
        en: `${months} month(s) paid back (${from} to ${to}), ${e.documented ? 'a lump of years' : 'with no approved back-entry'}, ${money}`,
      };
    }
    case 'staff_own_records': {
      const relation = typeof e.relation === 'string' ? RELATION[e.relation] : undefined;
      const times = n(e.auditIds);
      if (!relation || !times) return null;
      // The staff member by display name, or unnamed: never the username the scan stored.
      const who = f.staffName ?? '';
      return {
        zh: `经办人员${who}对${relation.zh}的记录办理业务${times}次`,
        en: `Staff member${who ? ` ${who}` : ''} acted ${times} time(s) on ${relation.en}`,
      };
    }
    case 'employer_injuries': {
      const cases = n(e.cases);
      const workers = n(e.workers);
      const from = month(f.periodFrom);
      const to = month(f.periodTo);
      if (!cases || !workers || !from || !to) return null;
      return {
        zh: `${f.employerName ?? ''}在${from}至${to}间发生工伤${cases}起，职工${workers}人`,
        en: `${cases} injury cases from ${from} to ${to} among ${workers} workers`,
      };
    }
    case 'shared_bank_account': {
      const persons = n(e.persons);
      const addresses = n(e.addresses);
      if (typeof e.accountTail !== 'string' || !persons || !addresses) return null;
      return {
        zh: `尾号${e.accountTail}的银行账户为${addresses}个不同住址的${persons}人领取待遇`,
        en: `The bank account ending ${e.accountTail} receives benefits for ${persons} persons at ${addresses} different addresses`,
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
