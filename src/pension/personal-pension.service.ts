// Personal pension (个人养老金) use cases: open an account (covered by a basic pension scheme), pay in
// (12,000-yuan yearly cap, enforced under a row lock and by a CHECK), read the balance, withdraw for a
// lawful reason with the separate 3% tax. Each change is audited in its own transaction.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import { today } from '../core/clock.ts';
import { parseDate, yearOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { storedTrace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { EnrolmentService } from '../registry/enrolment.service.ts';
import { isUniqueViolation } from '../db/values.ts';
import type { PersonRow } from '../registry/person.repository.ts';
import { PersonService } from '../registry/person.service.ts';
import {
  accountTotals,
  addToYear,
  findAccountByPerson,
  findContributionByKey,
  findWithdrawalByKey,
  hasPensionAward,
  insertAccount,
  insertContribution,
  insertWithdrawal,
  isCapViolation,
  listContributions,
  listWithdrawals,
  listYears,
  lockYear,
  type AccountRow,
  type ContributionRow,
  type WithdrawalRow,
} from './personal-pension.repository.ts';
import {
  checkContribution,
  checkOpening,
  computeWithdrawalTax,
  PP_CAP,
  withdrawalReasons,
} from './personal-pension.rules.ts';

export interface PersonalPensionSummary {
  account: {
    id: number;
    personId: number;
    region: string;
    openedOn: string;
    bankName: string | null;
    status: string;
  };
  balanceFen: number;
  contributedFen: number;
  withdrawnFen: number;
  taxPaidFen: number;
  years: Array<{ year: number; capFen: number; contributedFen: number; remainingFen: number }>;
  contributions: Array<{ id: number; year: number; paidOn: string; amountFen: number }>;
  withdrawals: Array<{
    id: number;
    reason: string;
    withdrawnOn: string;
    grossFen: number;
    taxFen: number;
    netFen: number;
    taxRatePercent: number;
  }>;
}

export interface ContributionResult {
  id: number;
  year: number;
  paidOn: string;
  amountFen: number;
  yearContributedFen: number;
  yearCapFen: number;
  replayed: boolean;
  trace: TraceStep[];
}

export interface WithdrawalResult {
  id: number;
  reason: string;
  withdrawnOn: string;
  grossFen: number;
  taxRatePercent: number;
  taxFen: number;
  netFen: number;
  balanceAfterFen: number;
  replayed: boolean;
  trace: TraceStep[];
}

const KEY_RE = /^[A-Za-z0-9._:-]{8,100}$/;

/** No account yet: the person is named by the request's path, not repeated here. */
const noAccount = (): SbError =>
  new SbError('SB_ERR_NOT_FOUND', {
    zh: '尚未开立个人养老金账户',
    en: 'no personal pension account has been opened',
  });

function checkKey(key: string, field = 'idempotencyKey'): string {
  if (!KEY_RE.test(key))
    throw new SbError('SB_ERR_VALIDATION', {
      field,
      zh: '幂等键应为8至100位字母、数字或 ._:-',
      en: 'idempotency key: 8–100 letters, digits or ._:-',
    });
  return key;
}

const toWithdrawal = (w: WithdrawalRow, balanceAfterFen: number, replayed: boolean): WithdrawalResult => ({
  id: w.id,
  reason: w.reason,
  withdrawnOn: w.withdrawn_on,
  grossFen: w.gross_fen,
  taxRatePercent: Number(w.tax_rate_percent),
  taxFen: w.tax_fen,
  netFen: w.net_fen,
  balanceAfterFen,
  replayed,
  trace: storedTrace(w.trace),
});

export class PersonalPensionService {
  private readonly persons: PersonService;
  private readonly enrolments: EnrolmentService;

  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {
    this.persons = new PersonService(db);
    this.enrolments = new EnrolmentService(db, params);
  }

  private async account(db: Db, personId: number, forUpdate = false): Promise<AccountRow> {
    const a = await findAccountByPerson(db, personId, forUpdate);
    if (!a) throw noAccount();
    if (a.status !== 'open')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '个人养老金账户已关闭',
        en: 'the personal pension account is closed',
      });
    return a;
  }

  private alive(p: PersonRow): void {
    if (p.death_date !== null)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: `已登记死亡（${p.death_date}）`,
        en: `a death is recorded (${p.death_date})`,
      });
  }

  /** Eligible: covered by the employees' or the residents' basic pension (an open enrolment), or drawing a basic pension. */
  private async covered(actor: Actor, personId: number): Promise<boolean> {
    const enrolments = await this.enrolments.list(actor, personId);
    if (
      enrolments.some(
        (e) => (e.scheme === 'employee_pension' || e.scheme === 'resident_pension') && e.status !== 'ended',
      )
    )
      return true;
    return hasPensionAward(this.db, personId);
  }

  async open(
    actor: Actor,
    personId: number,
    input: { bankName?: string | undefined },
  ): Promise<PersonalPensionSummary> {
    authorize(actor, 'personal-pension.open');
    const person = await this.persons.target(this.db, actor, 'personal-pension.open', personId);
    this.alive(person);
    const on = today();
    checkOpening(this.params, person.region, on);
    if (!(await this.covered(actor, personId))) {
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: '未参加职工或城乡居民基本养老保险，不能开立个人养老金账户',
        en: 'not covered by the employees\u2019 or residents\u2019 basic pension, so no personal pension account can be opened',
      });
    }
    try {
      await this.db.transaction().execute(async (tx) => {
        const a = await insertAccount(tx, {
          person_id: personId,
          region: person.region,
          opened_on: on,
          bank_name: input.bankName?.trim() || null,
          created_by: actor.username,
        });
        await appendAudit(tx, actor, {
          action: 'personal-pension.open',
          entityType: 'personal_pension_account',
          entityId: a.id,
          region: a.region,
          subjectPersonId: personId,
          after: { openedOn: on, bankName: a.bank_name },
        });
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new SbError('SB_ERR_DUPLICATE', {
          zh: '已开立个人养老金账户',
          en: 'a personal pension account is already open',
        });
      throw e;
    }
    return this.summary(actor, personId);
  }

  /** The summary, or null when the person has not opened an account (a normal state, not an error). */
  async summaryIfOpened(actor: Actor, personId: number): Promise<PersonalPensionSummary | null> {
    authorize(actor, 'personal-pension.read');
    await this.persons.target(this.db, actor, 'personal-pension.read', personId);
    if (!(await findAccountByPerson(this.db, personId))) return null;
    return this.summary(actor, personId);
  }

  async summary(actor: Actor, personId: number): Promise<PersonalPensionSummary> {
    authorize(actor, 'personal-pension.read');
    const p = await this.persons.target(this.db, actor, 'personal-pension.read', personId);
    await auditStaffReads(this.db, actor, [{ action: 'personal-pension.read', personId, region: p.region }]);
    const a = await findAccountByPerson(this.db, personId);
    if (!a) throw noAccount();
    const [totals, years, contributions, withdrawals] = await Promise.all([
      accountTotals(this.db, a.id),
      listYears(this.db, a.id),
      listContributions(this.db, a.id),
      listWithdrawals(this.db, a.id),
    ]);
    return {
      account: {
        id: a.id,
        personId: a.person_id,
        region: a.region,
        openedOn: a.opened_on,
        bankName: a.bank_name,
        status: a.status,
      },
      balanceFen: totals.contributedFen - totals.withdrawnFen,
      contributedFen: totals.contributedFen,
      withdrawnFen: totals.withdrawnFen,
      taxPaidFen: totals.taxFen,
      years: years.map((y) => ({
        year: y.year,
        capFen: y.cap_fen,
        contributedFen: y.contributed_fen,
        remainingFen: Math.max(0, y.cap_fen - y.contributed_fen),
      })),
      contributions: contributions.map((c) => ({
        id: c.id,
        year: c.year,
        paidOn: c.paid_on,
        amountFen: c.amount_fen,
      })),
      withdrawals: withdrawals.map((w) => ({
        id: w.id,
        reason: w.reason,
        withdrawnOn: w.withdrawn_on,
        grossFen: w.gross_fen,
        taxFen: w.tax_fen,
        netFen: w.net_fen,
        taxRatePercent: Number(w.tax_rate_percent),
      })),
    };
  }

  /**
   * One payment. The year's row is locked before the cap is checked, so two concurrent payments are
   * checked one after the other; the CHECK on the row refuses an excess even if this code were wrong.
   * The same idempotency key returns the first result and pays nothing again.
   */
  async contribute(
    actor: Actor,
    personId: number,
    input: { amountFen: number; paidOn?: string | undefined; idempotencyKey: string },
  ): Promise<ContributionResult> {
    authorize(actor, 'personal-pension.contribute');
    const key = checkKey(input.idempotencyKey);
    const amount = fen(input.amountFen, 'amountFen');
    const paidOn: IsoDate = input.paidOn === undefined ? today() : parseDate(input.paidOn, 'paidOn');
    if (paidOn > today())
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'paidOn',
        zh: '缴费日期晚于今天',
        en: 'the payment date is in the future',
      });
    // The year's cap is a tax deduction of that year: a citizen's own payment is of today, not of a
    // year of their choosing; staff may record a payment received earlier (audited with its day).
    if (actor.role === 'citizen' && paidOn !== today())
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'paidOn',
        zh: '网上缴费的日期为当天，不能自选',
        en: 'a payment made online is dated today; its date cannot be chosen',
      });
    const person = await this.persons.target(this.db, actor, 'personal-pension.contribute', personId);
    this.alive(person);
    const replay = async (c: ContributionRow): Promise<ContributionResult> => {
      const a = await findAccountByPerson(this.db, personId);
      if (!a || a.id !== c.account_id || c.amount_fen !== amount) {
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'idempotencyKey',
          zh: '该幂等键已用于另一笔缴费',
          en: 'the idempotency key was used for another payment',
        });
      }
      const y = (await listYears(this.db, a.id)).find((r) => r.year === c.year);
      return {
        id: c.id,
        year: c.year,
        paidOn: c.paid_on,
        amountFen: c.amount_fen,
        yearContributedFen: y?.contributed_fen ?? 0,
        yearCapFen: y?.cap_fen ?? 0,
        replayed: true,
        trace: [],
      };
    };
    const earlier = await findContributionByKey(this.db, key);
    if (earlier) return replay(earlier);
    const year = yearOf(paidOn);
    const capFen = this.params.get<number>(PP_CAP, person.region, paidOn, undefined, 'paidOn');
    try {
      return await this.db.transaction().execute(async (tx) => {
        const a = await this.account(tx, personId);
        if (paidOn < a.opened_on)
          throw new SbError('SB_ERR_VALIDATION', {
            field: 'paidOn',
            zh: '缴费日期早于开户日期',
            en: 'the payment date is before the account was opened',
          });
        const locked = await lockYear(tx, a.id, year, capFen);
        const check = checkContribution(this.params, {
          region: person.region,
          paidOn,
          alreadyFen: locked.contributed_fen,
          amountFen: amount,
        });
        const y = await addToYear(tx, a.id, year, amount, check.capFen);
        const c = await insertContribution(tx, {
          account_id: a.id,
          year,
          paid_on: paidOn,
          amount_fen: amount,
          idempotency_key: key,
          created_by: actor.username,
        });
        await appendAudit(tx, actor, {
          action: 'personal-pension.contribute',
          entityType: 'personal_pension_contribution',
          entityId: c.id,
          region: a.region,
          subjectPersonId: personId,
          after: {
            year,
            amountFen: amount,
            paidOn,
            yearContributedFen: y.contributed_fen,
            capFen: y.cap_fen,
          },
        });
        return {
          id: c.id,
          year,
          paidOn,
          amountFen: amount,
          yearContributedFen: y.contributed_fen,
          yearCapFen: y.cap_fen,
          replayed: false,
          trace: check.trace.steps,
        };
      });
    } catch (e) {
      if (isCapViolation(e))
        throw new SbError('SB_ERR_CAP_EXCEEDED', {
          field: 'amountFen',
          zh: `${year} 年缴费将超过上限`,
          en: `the payments of ${year} would exceed the cap`,
        });
      if (isUniqueViolation(e)) {
        const again = await findContributionByKey(this.db, key);
        if (again) return replay(again);
      }
      throw e;
    }
  }

  /**
   * A withdrawal for a lawful reason. Retirement: the person draws a basic pension (a citizen may claim
   * it online); other reasons are claimed at the agency, where a clerk checks and names the evidence.
   */
  async withdraw(
    actor: Actor,
    personId: number,
    input: { amountFen: number; reason: string; evidence?: string | undefined; idempotencyKey: string },
  ): Promise<WithdrawalResult> {
    authorize(actor, 'personal-pension.withdraw');
    const key = checkKey(input.idempotencyKey);
    const amount = fen(input.amountFen, 'amountFen');
    const person = await this.persons.target(this.db, actor, 'personal-pension.withdraw', personId);
    this.alive(person);
    const on = today();
    const reasons = withdrawalReasons(this.params, person.region, on);
    const reason = reasons.find((r) => r.code === input.reason);
    if (!reason) {
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'reason',
        zh: `领取情形应为：${reasons.map((r) => `${r.code}（${r.zh}）`).join('、')}`,
        en: `reason must be one of ${reasons.map((r) => r.code).join(', ')}`,
      });
    }
    if (actor.role === 'citizen' && !reason.selfService) {
      throw new SbError('SB_ERR_FORBIDDEN', {
        field: 'reason',
        zh: `“${reason.zh}”须持证明材料到经办机构办理`,
        en: `“${reason.code}” is claimed at the agency with evidence`,
      });
    }
    const evidence = input.evidence?.trim() || null;
    if (actor.role !== 'citizen' && reason.code !== 'retirement' && evidence === null) {
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'evidence',
        zh: '请登记核验的证明材料',
        en: 'name the evidence checked',
      });
    }
    if (
      reason.code === 'retirement' &&
      !(await hasPensionAward(this.db, personId)) &&
      (actor.role === 'citizen' || evidence === null)
    ) {
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'reason',
        zh: '尚未领取基本养老金；达到领取年龄的，请持证明到经办机构办理',
        en: 'no basic pension is being drawn; a person who has reached pension age claims at the agency with evidence',
      });
    }
    const earlier = await findWithdrawalByKey(this.db, key);
    if (earlier) {
      const a = await findAccountByPerson(this.db, personId);
      if (!a || earlier.account_id !== a.id || earlier.gross_fen !== amount)
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'idempotencyKey',
          zh: '该幂等键已用于另一笔领取',
          en: 'the idempotency key was used for another withdrawal',
        });
      const t = await accountTotals(this.db, a.id);
      return toWithdrawal(earlier, t.contributedFen - t.withdrawnFen, true);
    }
    const tax = computeWithdrawalTax(this.params, {
      region: person.region,
      withdrawnOn: on,
      grossFen: amount,
    });
    return this.db.transaction().execute(async (tx) => {
      // The account row lock queues two withdrawals of one person; the balance is read under it.
      const a = await this.account(tx, personId, true);
      const t = await accountTotals(tx, a.id);
      const balance = t.contributedFen - t.withdrawnFen;
      if (amount > balance) {
        throw new SbError('SB_ERR_INSUFFICIENT_BALANCE', {
          field: 'amountFen',
          zh: `账户余额 ${balance} 分，领取 ${amount} 分`,
          en: `balance ${balance} fen, withdrawal ${amount} fen`,
        });
      }
      const w = await insertWithdrawal(tx, {
        account_id: a.id,
        reason: reason.code,
        withdrawn_on: on,
        gross_fen: tax.grossFen,
        tax_rate_percent: String(tax.taxRatePercent),
        tax_fen: tax.taxFen,
        net_fen: tax.netFen,
        evidence,
        trace: JSON.stringify(tax.trace.steps),
        idempotency_key: key,
        created_by: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'personal-pension.withdraw',
        entityType: 'personal_pension_withdrawal',
        entityId: w.id,
        region: a.region,
        subjectPersonId: personId,
        before: { balanceFen: balance },
        after: {
          reason: reason.code,
          grossFen: w.gross_fen,
          taxFen: w.tax_fen,
          netFen: w.net_fen,
          balanceFen: balance - amount,
          evidence,
        },
      });
      return toWithdrawal(w, balance - amount, false);
    });
  }
}
