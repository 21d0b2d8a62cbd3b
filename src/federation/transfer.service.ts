// Pension relation transfer across provinces (国办发〔2009〕66号 Art. 8; domain-2.md §1.5–1.6):
// the person (or the new province's clerk) applies at the new place, which sends the 同意接收函 to the
// old place; the old place computes the funds (`pension-transfer-funds`), posts them out of its fund
// and sends the record and the money; the new place posts them in, credits the record lines and the
// account, and confirms. Every step is one message taken in exactly once (fed.messaging.ts).
import { regionName } from '../core/regions.ts';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { cleanForeignText } from '../core/text.ts';
import { noteText, readNote, type Note, type Words } from '../core/bilingual.ts';
import { Trace } from '../core/trace.ts';
import { calendarFrom, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { enqueue, idHash, NATIONAL, type Envelope, type Handler } from './fed.messaging.ts';
import { temporaryAccountCheck } from './temporary-account.rules.ts';
import { ProvinceFederationService } from './fed.context.ts';
import { applicant, stillToAsk } from './transfer-support.ts';
import {
  accountKeptFacts,
  activeEmployeePensionEnrolment,
  completePensionIn,
  creditAccountIn,
  creditedSegmentsForUpdate,
  employeeAccountHeld,
  hasTransferredOut,
  insertCreditedSegments,
  insertRefusedOut,
  insertRequestedIn,
  insertSentOut,
  markCompleted,
  markRefused,
  markRefusedByOrigin,
  moveOnCreditedSegments,
  noteLine,
  openTransferIn,
  ownPaidMonths,
  paidMonthsHere,
  personRegion,
  recordStep,
  setOrigin,
  stepDay,
  transferByRef,
  transferCaseStatus,
  transferSteps,
  transfersWithRegion,
  transferWithRegion,
  type TransferKind,
  type TransferRow,
  type TransferStatus,
} from './transfer.repository.ts';
import { findPerson, findPersonByIdNumber } from '../registry/person.repository.ts';
import { CollectionService } from './transfer-collect.service.ts';
import { CreditedWageRepair } from './transfer-wages.service.ts';
import { UnemploymentTransferService } from './transfer-unemployment.service.ts';
import { CrossProvinceService } from './cross-province.service.ts';
import { bridgingShape } from './scheme-bridging-support.ts';
import { SchemeBridgingService } from './scheme-bridging.service.ts';
import {
  pensionTransferFunds,
  toSegments,
  TRANSFER_STEP_LIMITS,
  type PaidSegment,
} from './transfer.rules.ts';

export type { TransferStatus, TransferKind } from './transfer.repository.ts';

/** Why an old place refused, for the new place to act on: `moved-out` — everything there already moved on. */
type RefusalCode = 'moved-out';

/** The months of a segment (its first and last month included). */
const monthsOf = (s: { from: string; to: string }): number =>
  (Number(s.to.slice(0, 4)) - Number(s.from.slice(0, 4))) * 12 +
  Number(s.to.slice(5, 7)) -
  Number(s.from.slice(5, 7)) +
  1;

/** The province where a segment's months were paid: named by the sender, else the sender itself (a
 * node before onward transfers named none); only a province code is taken. */
const originOf = (s: PaidSegment, sender: string): string =>
  typeof s.province === 'string' && PROVINCE.test(s.province) ? s.province : sender;

export interface TransferRequestBody {
  ref: string;
  idNumber: string;
  toProvince: string;
  appliedOn: string;
}
export interface TransferFundsBody {
  ref: string;
  segments: PaidSegment[];
  months: number;
  pooledByYear: Record<string, number>;
  pooledFen: number;
  accountFen: number;
  totalFen: number;
  sentOn: string;
}
/** The national exchange's answer to `index.locate`: the other provinces holding segments of the person. */
export interface IndexLocatedBody {
  ref: string;
  provinces: Array<{ province: string; months: number; lastPeriod: string | null; relationHeld: boolean }>;
}

const PROVINCE = /^[1-8]\d0000$/;

/** The person of a transfer in here (a transfer that reached its funds step has one). */
async function personOf(tx: Db, t: TransferRow) {
  const person = await findPerson(tx, Number(t.person_id));
  if (!person) throw new Error(`fed_transfer ${t.id}: its person is not in the registry`);
  return person;
}

/** A stored note for the reader, in each language (rows before migration 1582 read as readNote does). */
const noteOf = (v: unknown): Words | null => {
  const n = readNote(v);
  return n === null ? null : noteText(n);
};

const step = (
  tx: Db,
  cal: HolidayCalendar,
  transferId: number,
  name: keyof typeof TRANSFER_STEP_LIMITS,
  node: string,
  from: string,
  note?: Note,
) => recordStep(tx, cal, transferId, name, TRANSFER_STEP_LIMITS[name], node, from, note);

/** The request message of each kind, sent to the old place once the exchange has located it. */
export const REQUEST_KIND: Record<TransferKind, string> = {
  pension: 'transfer.request',
  unemployment: 'ui-transfer.request',
  'scheme-bridging': 'bridging.request',
};

export class TransferService extends ProvinceFederationService {
  /** The message handlers of a province: each runs inside the transaction that takes the message in. */
  static handlers(self: string, params: ParamStore): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    const cal = calendarFrom(params);
    return {
      ...UnemploymentTransferService.handlers(self, cal),
      ...SchemeBridgingService.handlers(self, cal),
      ...CrossProvinceService.handlers(self),
      ...CreditedWageRepair.handlers(self),

      // Step 2 at the new place, when the exchange has answered: the old place is the province of the
      // index holding the person's latest segment not yet transferred here (or the applicant's hint
      // when the index confirms it); the letter of acceptance goes to it.
      'index.located': async (tx, env) => {
        if (env.from !== NATIONAL) return;
        const b = env.body as IndexLocatedBody;
        const t = await transferByRef(tx, b.ref, 'in');
        if (!t || t.status !== 'requested' || t.from_province !== null) return;
        const id = int(t.id);
        const region = await personRegion(tx, t.person_id, self);
        const stillThere = await stillToAsk(tx, t.person_id, t.kind, ['sent', 'credited']);
        const candidates = (Array.isArray(b.provinces) ? b.provinces : [])
          .filter((p) => p.province !== self && p.months > 0 && stillThere(p))
          .sort((x, y) => ((x.lastPeriod ?? '') < (y.lastPeriod ?? '') ? 1 : -1));
        const hint = (t.funds?.['hint'] as string | null | undefined) ?? null;
        const chosen = hint === null ? candidates[0] : candidates.find((p) => p.province === hint);
        if (!chosen) {
          const reason =
            hint === null
              ? {
                  zh: '全国参保人员索引中没有此人在其他省份尚未转移的参保记录',
                  en: 'the national index shows no segment of this person in another province still to transfer',
                }
              : {
                  zh: `全国参保人员索引中没有此人在 ${hint} 的参保记录`,
                  en: `the national index shows no segment of this person in ${hint}`,
                };
          await markRefused(tx, id, reason);
          await appendAudit(tx, actor, {
            action: 'transfer.refuse',
            entityType: 'fed_transfer',
            entityId: id,
            region,
            subjectPersonId: t.person_id === null ? null : Number(t.person_id),
            before: { status: t.status },
            after: { status: 'refused', reason },
          });
          await transferCaseStatus(tx, t, 'rejected', actor.username, region, {
            zh: `不予转移：${reason.zh}`,
            en: `transfer refused: ${reason.en}`,
          });
          return;
        }
        const on = today();
        await setOrigin(tx, id, chosen.province);
        await step(tx, cal, id, 'located', NATIONAL, on, {
          zh: `全国平台：转出地 ${regionName(chosen.province)}`,
          en: `old place located: ${regionName(chosen.province, 'en')}`,
        });
        const appliedOn = String((await stepDay(tx, id, 'applied')) ?? on).slice(0, 10);
        // 66号 Art. 8: the letter within 15 working days of the application.
        await step(tx, cal, id, 'letter-sent', self, appliedOn, {
          zh: '同意接收函',
          en: 'letter of acceptance',
        });
        const person = await personOf(tx, t);
        const body: TransferRequestBody = {
          ref: t.ref,
          idNumber: person.id_number,
          toProvince: self,
          appliedOn,
        };
        await enqueue(tx, chosen.province, REQUEST_KIND[t.kind], body);
        await transferCaseStatus(tx, t, 'accepted', actor.username, region, {
          zh: `已向转出地（${regionName(chosen.province)}）发出联系函`,
          en: `letter sent to ${regionName(chosen.province, 'en')}`,
        });
      },
      // Step 3 at the old place: compute the funds, post them out, send record and money.
      'transfer.request': async (tx, env: Envelope) => {
        const b = env.body as TransferRequestBody;
        if (await transferByRef(tx, b.ref, 'out')) return;
        const person = await findPersonByIdNumber(tx, b.idNumber);
        const on = today();
        const refuse = async (reason: Note, code?: RefusalCode) => {
          await insertRefusedOut(tx, {
            ref: b.ref,
            idHash: idHash(b.idNumber),
            personId: person?.id ?? null,
            self,
            to: env.from,
            note: reason,
          });
          // the message between provinces still carries one line
          await enqueue(tx, env.from, 'transfer.refused', {
            ref: b.ref,
            reason: noteLine(reason),
            ...(code ? { code } : {}),
          });
        };
        if (!person) return refuse({ zh: '转出地无此人参保记录', en: 'no record of this person here' });
        // The whole insured history held here moves (人社部发〔2016〕5号; 66号 Art. 4): the months paid
        // here and those credited here by an earlier transfer in, less what a transfer already took
        // (the record's moved-out rule: movedOutMonths, creditedMonths), so nothing moves twice.
        // A month's lines share the region's average wage of the month: max() names it once.
        const months = await ownPaidMonths(tx, person.id);
        // The segments credited here from elsewhere, as received: their province of origin, bases and
        // average wage (none for those booked before the old place sent it, migration 1070).
        const credited = await creditedSegmentsForUpdate(tx, person.id);
        if (months.length === 0 && credited.length === 0) {
          return (await hasTransferredOut(tx, person.id))
            ? refuse(
                {
                  zh: '此人在转出地的参保记录已全部转出',
                  en: 'everything of this person here has already transferred out',
                },
                'moved-out',
              )
            : refuse({ zh: '转出地无缴费记录', en: 'no paid months here' });
        }
        // The whole account held here: the credits and interest of the months paid here, what earlier
        // transfers in and bridgings credited (pension_record_credit), less what a transfer already took
        // — the employee account as the award counts it (pensionRecord): a residents' account stays.
        const accountFen = await employeeAccountHeld(tx, person.id);
        const own = toSegments(months).map((s) => ({ ...s, province: self }));
        const carried: PaidSegment[] = credited.map((c) => ({
          from: c.from_period,
          to: c.to_period,
          monthlyBaseFen: int(c.monthly_base_fen),
          ...(c.average_wage_fen === null ? {} : { averageWageFen: int(c.average_wage_fen) }),
          province: c.from_province.trim(),
        }));
        const segments = [...carried, ...own].sort((x, y) =>
          x.from < y.from ? -1 : x.from > y.from ? 1 : 0,
        );
        // Which account this province kept (domain-2.md §1.2): a temporary account (66号 Art. 5, the
        // person past 50/40 away from the hukou province when contributions began here) moves its
        // pooled part at the employer's actual rate when above 12%; an individually insured person's
        // at 12%; a regular account at 12%.
        const k = await accountKeptFacts(tx, person.id);
        const temporary =
          k.start !== null &&
          temporaryAccountCheck(
            {
              sex: person.sex === 'F' ? 'F' : 'M',
              birthDate: person.birth_date,
              hukou: `${person.hukou_region.slice(0, 2)}0000`,
              newProvince: self,
              startDate: k.start.slice(0, 10),
              approvedTransfer: false,
            },
            params,
          ).temporaryAccount;
        const empFen = k.employerFen;
        const baseFen = k.baseFen;
        // The employer's rate in whole percent, half up, in integers.
        const employerRatePercent = baseFen > 0 ? Math.floor((empFen * 200 + baseFen) / (2 * baseFen)) : 0;
        const trace = new Trace();
        const funds = pensionTransferFunds(
          temporary
            ? { segments, accountFen, accountType: 'temporary', employerRatePercent }
            : { segments, accountFen, accountType: k.flexible ? 'flexible' : 'regular' },
          trace,
        );
        const totalFen = funds.totalFen ?? funds.pooledFen + accountFen;
        const id = await insertSentOut(tx, {
          ref: b.ref,
          idHash: idHash(b.idNumber),
          personId: person.id,
          self,
          to: env.from,
          months: funds.months,
          pooledFen: funds.pooledFen,
          accountFen,
          totalFen,
          funds: {
            segments,
            pooledByYear: funds.pooledByYear,
            accountType: temporary ? 'temporary' : k.flexible ? 'flexible' : 'regular',
            pooledRatePercent: funds.pooledRatePercent,
            trace: trace.steps,
          },
        });
        // What was credited here moves on with this transfer: from now on it counts there, not here.
        if (credited.length > 0) await moveOnCreditedSegments(tx, person.id, id);
        await step(tx, cal, id, 'letter-sent', env.from, b.appliedOn, {
          zh: '收到同意接收函',
          en: 'letter received',
        });
        await step(tx, cal, id, 'funds-sent', self, on, {
          zh: '转出关系和基金',
          en: 'relation and funds sent',
        });
        await postEntry(tx, actor, {
          fund: 'employee_pension',
          region: person.region,
          period: periodOf(on),
          entryDate: on,
          kind: 'transfer-out',
          description: `养老保险关系转出至${regionName(env.from)} / pension relation transferred to ${regionName(env.from, 'en')}`,
          idempotencyKey: `fed-transfer-out:${b.ref}`,
          source: { type: 'fed_transfer', id },
          lines: [
            { account: ACCOUNTS.transferExpenditure, debitFen: totalFen },
            { account: ACCOUNTS.bank, creditFen: totalFen },
          ],
        });
        await appendAudit(tx, actor, {
          action: 'transfer.send',
          entityType: 'fed_transfer',
          entityId: id,
          region: person.region,
          subjectPersonId: Number(person.id),
          after: {
            ref: b.ref,
            toProvince: env.from,
            months: funds.months,
            pooledFen: funds.pooledFen,
            accountFen,
            totalFen,
            // the segments credited here from elsewhere that move on with it (their province of origin)
            carriedOn: carried.map((c) => ({
              province: c.province,
              from: c.from,
              to: c.to,
              months: monthsOf(c),
            })),
          },
        });
        const body: TransferFundsBody = {
          ref: b.ref,
          segments,
          months: funds.months,
          pooledByYear: funds.pooledByYear,
          pooledFen: funds.pooledFen,
          accountFen,
          totalFen,
          sentOn: on,
        };
        await enqueue(tx, env.from, 'transfer.funds', body);
        // The index counts the months paid in each province (the place of payment's years), so this
        // province's own, not those it carried on.
        await enqueue(tx, NATIONAL, 'index.update', {
          idHash: idHash(b.idNumber),
          province: self,
          months: own.reduce((n, s) => n + monthsOf(s), 0),
          lastPeriod: own.at(-1)?.to ?? null,
          relationHeld: false,
        });
      },

      // Step 4 at the new place: post the money in, credit the record lines, confirm.
      'transfer.funds': async (tx, env) => {
        const b = env.body as TransferFundsBody;
        const t = await transferByRef(tx, b.ref, 'in');
        if (!t || t.kind !== 'pension' || t.status !== 'requested' || t.from_province?.trim() !== env.from)
          return;
        const person = await personOf(tx, t);
        const on = today();
        const id = int(t.id);
        await completePensionIn(tx, id, b);
        await step(tx, cal, id, 'funds-sent', env.from, b.sentOn, {
          zh: '转出地已划转基金',
          en: 'funds sent by the old place',
        });
        await step(tx, cal, id, 'credited', self, on, {
          zh: '记录个人权益',
          en: 'record and account credited',
        });
        if (b.segments.length > 0)
          // Each segment under its province of origin: the old place's own, or one it had credited from
          // an earlier place and carries on (A → B → C: A's months arrive at C marked as A's).
          await insertCreditedSegments(
            tx,
            id,
            person.id,
            b.segments.map((s) => ({ ...s, origin: originOf(s, env.from) })),
          );
        await CreditedWageRepair.markIfMissing(tx, id);
        // The account moved joins the person's record here (the months are the lines above); one row per
        // transfer by the unique key, so a message handled twice credits it once.
        const creditId = await creditAccountIn(tx, {
          personId: person.id,
          transferId: id,
          accountFen: b.accountFen,
          period: periodOf(on),
          note: `养老保险关系自${regionName(env.from)}转入的个人账户 / personal account transferred in from ${regionName(env.from, 'en')}`,
          createdBy: actor.username,
        });
        await postEntry(tx, actor, {
          fund: 'employee_pension',
          region: person.region,
          period: periodOf(on),
          entryDate: on,
          kind: 'transfer-in',
          description: `养老保险关系自${regionName(env.from)}转入 / pension relation transferred in from ${regionName(env.from, 'en')}`,
          idempotencyKey: `fed-transfer-in:${b.ref}`,
          source: { type: 'fed_transfer', id },
          lines: [
            { account: ACCOUNTS.bank, debitFen: b.totalFen },
            { account: ACCOUNTS.transferIncome, creditFen: b.totalFen },
          ],
        });
        await enqueue(tx, env.from, 'transfer.booked', { ref: b.ref, bookedOn: on });
        const held = await paidMonthsHere(tx, person.id);
        await enqueue(tx, NATIONAL, 'index.update', {
          idHash: idHash(person.id_number),
          province: self,
          months: held,
          lastPeriod: null,
          relationHeld: true,
        });
        await transferCaseStatus(tx, t, 'completed', actor.username, person.region, {
          zh: `养老保险关系已从${regionName(env.from)}转入：${b.months} 个月，转入资金 ${formatMoney(b.totalFen)}`,
          en: `pension insurance moved in from ${regionName(env.from, 'en')}: ${b.months} months, ${formatMoney(b.totalFen)} of funds`,
        });
        if (t.collection_id !== null) await new CollectionService(tx).settle(int(t.collection_id), self);
        // Last: the audit chain's lock (appendAudit) is then held only from here to the commit, not
        // through the postings and messages above; in the same transaction, so still all or nothing.
        await appendAudit(tx, actor, {
          action: 'transfer.credit',
          entityType: 'fed_transfer',
          entityId: id,
          region: person.region,
          subjectPersonId: Number(person.id),
          before: { status: t.status },
          after: {
            status: 'completed',
            months: b.months,
            pooledFen: b.pooledFen,
            accountFen: b.accountFen,
            totalFen: b.totalFen,
          },
        });
        if (creditId !== undefined)
          await appendAudit(tx, actor, {
            action: 'pension.record.credit',
            entityType: 'pension_record_credit',
            entityId: int(creditId),
            region: person.region,
            subjectPersonId: Number(person.id),
            after: {
              fund: 'employee_pension',
              months: b.months,
              accountFen: b.accountFen,
              transferRef: b.ref,
              transferId: id,
            },
          });
      },

      // The old place learns that the new place booked it: the transfer is complete on both sides.
      'transfer.booked': async (tx, env) => {
        const b = env.body as { ref: string; bookedOn: string };
        const t = await transferByRef(tx, b.ref, 'out');
        if (!t || t.status !== 'sent' || t.to_province.trim() !== env.from) return;
        await markCompleted(tx, int(t.id));
        await step(tx, cal, int(t.id), 'completed', env.from, b.bookedOn, {
          zh: '转入地已记录',
          en: 'booked at the new place',
        });
      },

      'transfer.refused': async (tx, env) => {
        const b = env.body as { ref: string; reason: string; code?: unknown };
        const t = await transferByRef(tx, b.ref, 'in');
        if (!t || t.status !== 'requested' || t.from_province?.trim() !== env.from) return;
        // Everything there moved on (A → B) while the place of payment gathers from both: A's months
        // come with B's transfer (66号 Art. 4, the whole history moves), so what the hall shows of this
        // part is decided when the collection settles, from what actually arrived.
        const movedOn = b.code === 'moved-out' && t.collection_id !== null;
        // shown to the applicant and the clerk: the other province's one line, in its halves when it has both
        const said = readNote(cleanForeignText(String(b.reason)));
        const reason = said === null ? { zh: '', en: '' } : noteText(said);
        await markRefusedByOrigin(tx, int(t.id), said, movedOn);
        if (movedOn) return new CollectionService(tx).settle(int(t.collection_id), self);
        const region = await personRegion(tx, t.person_id, self);
        await transferCaseStatus(tx, t, 'rejected', actor.username, region, {
          zh: `转出地不予转移：${reason.zh}`,
          en: `the province of origin refused the transfer: ${reason.en}`,
        });
        if (t.collection_id !== null) await new CollectionService(tx).settle(int(t.collection_id), self);
      },
    };
  }

  /**
   * Step 1 at the new place: the application. The old place is not taken from the applicant: the
   * national exchange is asked which other provinces hold segments of the person (`index.locate`),
   * and the answer (`index.located`) sends the letter of acceptance to the one that holds the
   * relation. A province the applicant names is only a hint that the index must confirm.
   */
  async apply(
    actor: Actor,
    input: {
      idNumber?: string;
      personId?: number;
      fromProvince?: string;
      kind?: TransferKind;
      /** 66号 Art. 5(3): a move approved by an organisation or HR department (clerk only) */
      approvedTransfer?: boolean;
    },
  ): Promise<{ id: number; status: TransferStatus }> {
    const kind = input.kind ?? 'pension';
    if (kind === 'scheme-bridging')
      return new SchemeBridgingService(this.db, this.self, this.provinces, this.params).apply(actor, input);
    const hint = input.fromProvince;
    if (hint !== undefined && (!PROVINCE.test(hint) || !this.provinces.includes(hint) || hint === this.self))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'fromProvince',
        zh: '所填转出省份不是联网的其他省份',
        en: 'the old province given is not another province of the federation',
      });
    if (input.approvedTransfer === true && actor.role === 'citizen')
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'approvedTransfer',
        zh: '组织调动须由经办机构核实',
        en: 'an approved transfer is attested by the agency, not the applicant',
      });
    return this.db.transaction().execute(async (tx) => {
      const person = await applicant(tx, actor, input);
      if (person.death_date !== null)
        throw new SbError('SB_ERR_CONFLICT', { zh: '参保人已死亡', en: 'the person has died' });
      const on = today();
      if (kind === 'pension') {
        const insured = await activeEmployeePensionEnrolment(tx, person.id);
        if (!insured)
          throw new SbError('SB_ERR_CONFLICT', {
            zh: '申请转入须先在本省参加职工基本养老保险',
            en: 'the person must be insured in this province before applying to transfer in',
          });
        // 66号 Art. 5(2): past the age limits and away from the hukou province, this province keeps
        // a temporary account and the relation stays where it is: nothing to transfer in.
        const temp = temporaryAccountCheck(
          {
            sex: person.sex === 'F' ? 'F' : 'M',
            birthDate: person.birth_date,
            hukou: `${person.hukou_region.slice(0, 2)}0000`,
            newProvince: this.self,
            startDate: String(insured.start_date).slice(0, 10),
            approvedTransfer: input.approvedTransfer === true,
          },
          this.params,
        );
        if (temp.temporaryAccount)
          throw new SbError('SB_ERR_NOT_ELIGIBLE', {
            zh: `参保人在本省开始缴费时已满 ${temp.ageYears} 周岁且非户籍地，本省建立临时基本养老保险缴费账户，养老保险关系不转入（国办发〔2009〕66号 第五条）`,
            en: `the person was ${temp.ageYears} when contributions began here, away from the hukou province: this province keeps a temporary account and the relation does not move in (66号 Art. 5)`,
          });
      }
      const open = await openTransferIn(tx, person.id, kind);
      if (open !== undefined)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `已有办理中的转移申请 ${open}`,
          en: `transfer ${open} is in progress`,
        });
      const ref = crypto.randomUUID();
      const hash = idHash(person.id_number);
      const id = await insertRequestedIn(tx, {
        ref,
        kind,
        idHash: hash,
        personId: person.id,
        self: this.self,
        appliedBy: actor.username,
        hint: hint ?? null,
      });
      await step(tx, this.cal, id, 'applied', this.self, on);
      await enqueue(tx, NATIONAL, 'index.locate', { ref, idHash: hash });
      const what =
        kind === 'pension'
          ? { zh: '养老保险关系转入申请', en: 'pension insurance transfer' }
          : { zh: '失业保险关系转入申请', en: 'unemployment insurance transfer' };
      await transferCaseStatus(
        tx,
        { id, person_id: Number(person.id), kind },
        'submitted',
        actor.username,
        person.region,
        {
          zh: `${what.zh}已受理，正在经全国平台查找转出地`,
          en: `${what.en} accepted; the national platform is finding where the records are`,
        },
      );
      await appendAudit(tx, actor, {
        action: 'transfer.apply',
        entityType: 'fed_transfer',
        entityId: id,
        region: person.region,
        subjectPersonId: Number(person.id),
        after: { ref, kind, fromProvinceHint: hint ?? null, toProvince: this.self, status: 'requested' },
      });
      return { id, status: 'requested' as const };
    });
  }

  async get(actor: Actor, id: number) {
    // another person's or region's transfer answers as an unknown id, neither repeating it
    const t = foundInScope(actor, 'transfer.read', await transferWithRegion(this.db, id), (x) => ({
      personId: x.person_id === null ? null : Number(x.person_id),
      region: x.region ?? this.self,
    }));
    return this.shape(t);
  }

  async list(actor: Actor, q: { ref?: string }) {
    const scope = authorize(actor, 'transfer.read');
    const own = actor.role === 'citizen' ? actor.personId : null;
    // A clerk sees the transfers of the people of their region (and those of nobody here: refused strangers).
    const region = scope === 'region' ? actor.region : null;
    const rows = await transfersWithRegion(this.db, { ref: q.ref ?? null, personId: own });
    const out = [];
    for (const t of rows) {
      if (region !== null && t.region !== null) {
        try {
          authorize(actor, 'transfer.read', { region: t.region });
        } catch {
          continue;
        }
      }
      out.push(await this.shape(t));
    }
    return out;
  }

  private async shape(t: TransferRow) {
    const steps = await transferSteps(this.db, int(t.id));
    const funds = t.funds ?? null;
    const n = (v: unknown) => (v === null || v === undefined ? null : int(v));
    const pooledByYear = funds?.['pooledByYear'] as Record<string, number> | undefined;
    return {
      id: int(t.id),
      ref: t.ref,
      kind: t.kind,
      direction: t.direction,
      status: t.status,
      personId: n(t.person_id),
      fromProvince: t.from_province?.trim() ?? null,
      toProvince: t.to_province.trim(),
      appliedBy: t.applied_by,
      months: n(t.months),
      pooledFen: n(t.pooled_fen),
      accountFen: n(t.account_fen),
      totalFen: n(t.total_fen),
      pooledByYear: pooledByYear ?? null,
      unemployment:
        t.kind === 'unemployment' && funds !== null && funds['remainingMonths'] !== undefined
          ? {
              contribMonths: int(funds['contribMonths']),
              carriedContribMonths: int(funds['carriedContribMonths']),
              remainingMonths: int(funds['remainingMonths']),
              outMonthlyFen: int(funds['outMonthlyFen']),
              benefitFen: int(funds['benefitFen']),
              subsidiesFen: int(funds['subsidiesFen']),
              fundsMove: funds['fundsMove'] === true,
            }
          : null,
      bridging: bridgingShape(t),
      note: noteOf(t.note),
      steps: steps.map((s) => ({
        step: s.step,
        on: String(s.on_day).slice(0, 10),
        dueBy: s.due_by === null ? null : String(s.due_by).slice(0, 10),
        node: s.node,
        note: noteOf(s.note),
      })),
    };
  }
}
