// Bridging the employee and residents' pension schemes (城乡养老保险制度衔接, 人社部发〔2014〕17号;
// domain-2.md §1.7) as a case: the person (or a clerk) applies at the place of payment
// (POST /api/v1/transfers {"kind":"scheme-bridging"}); rule `scheme-bridging` decides the direction
// from the 15-year condition at the employee pension age; the account of one scheme joins the other.
// - Both schemes' records here: one transaction posts the account out of one fund and into the other
//   (transfer expenditure / transfer income, each with an idempotency key), refunds the resident
//   contributions of months also paid as an employee, and completes the case.
// - The other scheme's records in another province (`fromProvince`): the same fed_transfer rows, steps
//   and messages as a relation transfer (fed.messaging.ts, exactly once): `bridging.request` carries
//   this province's figures there, that province decides with the rule on both, posts its part out and
//   answers `bridging.funds` (or `transfer.refused`); this province posts in and answers
//   `transfer.booked` (both handled by transfer.service.ts as for a pension).
// Each province writes its side onto the person's record (pension_record_credit, read by the pension
// record the award computes on) and tells the national index which employee relation it still holds;
// with both pensions drawn the resident award stops and the resident pension paid is recovered from the
// refund (a recovery case of src/pension, the rest left open for a clerk).
// Each step on the 15-working-day limits of the draft text; the hall reports through `case.status`
// (service `scheme-bridging`); every posting and status change audited.
import type { Note } from '../core/bilingual.ts';
import { ProvinceFederationService } from './fed.context.ts';
import { applicant } from './transfer-support.ts';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { addMonths, addPeriods, periodOf } from '../core/dates.ts';
import { regionName } from '../core/regions.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import type { HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { AwardService } from '../pension/award.service.ts';
import { updateAward } from '../pension/pension.repository.ts';
import { computeRetirementAge, ORIGINAL_AGE_MONTHS } from '../pension/retirement-age.rules.ts';
import { enqueue, idHash, NATIONAL, type Handler } from './fed.messaging.ts';
import type { IndexUpdate } from './national.service.ts';
import {
  completeBridging,
  employeePaidMonths,
  idNumberOfPerson,
  insertRecordCredit,
  insertRefusedBridging,
  insertRequestedBridging,
  insertSentBridging,
  lastPaidPeriod,
  offsetRecovery,
  openBridging,
  personByIdNumber,
  regionOfPerson,
  residentAwardForUpdate,
  schemeFigures,
} from './scheme-bridging.repository.ts';
import { bridgingDecision, type BridgingDecision, type SchemeFigures } from './scheme-bridging-support.ts';
import type { SchemeBridgingResult } from './scheme-bridging.rules.ts';
import { noteJson, noteLine, recordStep, transferByRef, transferCaseStatus } from './transfer.repository.ts';

/** 15 working days a step (the draft text, domain-2.md §1.7; the final text is [M]). */
const BRIDGING_STEP_LIMITS = {
  applied: 0,
  'letter-sent': 15,
  decided: 15,
  'funds-sent': 15,
  credited: 15,
  completed: 0,
} as const;
type BridgingStep = keyof typeof BRIDGING_STEP_LIMITS;
const bridgingStep = (
  tx: Db,
  cal: HolidayCalendar,
  id: number,
  name: BridgingStep,
  node: string,
  from: string,
  note?: Note,
) => recordStep(tx, cal, id, name, BRIDGING_STEP_LIMITS[name], node, from, note);

interface BridgingRequestBody {
  ref: string;
  idNumber: string;
  toProvince: string;
  appliedOn: string;
  figures: SchemeFigures;
}

interface BridgingFundsBody {
  ref: string;
  decision: BridgingDecision;
  /** posted out at the sending province (the moving account) */
  movedFen: number;
  /** refunded at the sending province (it holds the resident contributions) */
  refundedThereFen: number;
  sentOn: string;
}

/** An open bridging's status as its page says it (fed.status.*): a clerk reads words, not a code. */
const OPEN_BRIDGING_STATUS = {
  requested: { zh: '待转出地划转', en: 'waiting for the old place' },
  sent: { zh: '已划转，待转入地记录', en: 'sent, waiting for the new place' },
  completed: { zh: '已完成', en: 'completed' },
} as const;

const hasEmployee = (f: SchemeFigures) => f.employeePeriods.length > 0 || f.employeeAccountFen > 0;
const hasResident = (f: SchemeFigures) => f.residentYears.length > 0;

const DIRECTION_ZH: Record<SchemeBridgingResult['direction'], string> = {
  'resident→employee': '城乡居民养老保险转入职工养老保险',
  'employee→resident': '职工养老保险转入城乡居民养老保险',
  'end resident relation': '保留职工养老保险、终止城乡居民养老保险关系',
};

const DIRECTION_EN: Record<SchemeBridgingResult['direction'], string> = {
  'resident→employee': 'residents’ pension moved into the employees’ pension',
  'employee→resident': 'employees’ pension moved into the residents’ pension',
  'end resident relation': 'employees’ pension kept, residents’ pension ended',
};

function figuresValid(f: unknown): f is SchemeFigures {
  const x = f as SchemeFigures | null;
  const n = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  return (
    x !== null &&
    typeof x === 'object' &&
    Array.isArray(x.employeePeriods) &&
    x.employeePeriods.length <= 1200 &&
    x.employeePeriods.every((p) => typeof p === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(p)) &&
    n(x.employeeAccountFen) &&
    n(x.residentAccountFen) &&
    n(x.residentBasicPaidFen) &&
    Array.isArray(x.residentYears) &&
    x.residentYears.length <= 100 &&
    x.residentYears.every((y) => n(y.year) && n(y.personalFen) && n(y.subsidyFen)) &&
    typeof x.employeePensionDrawn === 'boolean' &&
    typeof x.residentPensionDrawn === 'boolean'
  );
}

async function postMove(
  tx: Db,
  actor: Actor,
  p: {
    fund: Fund;
    region: string;
    side: 'out' | 'in';
    amountFen: number;
    ref: string;
    id: number;
    what: string;
  },
) {
  if (p.amountFen <= 0) return;
  const on = today();
  await postEntry(tx, actor, {
    fund: p.fund,
    region: p.region,
    period: periodOf(on),
    entryDate: on,
    kind: p.side === 'out' ? 'transfer-out' : 'transfer-in',
    description: p.what,
    idempotencyKey: `fed-bridging-${p.side}:${p.ref}:${p.fund}`,
    source: { type: 'fed_transfer', id: p.id },
    lines:
      p.side === 'out'
        ? [
            { account: ACCOUNTS.transferExpenditure, debitFen: p.amountFen },
            { account: ACCOUNTS.bank, creditFen: p.amountFen },
          ]
        : [
            { account: ACCOUNTS.bank, debitFen: p.amountFen },
            { account: ACCOUNTS.transferIncome, creditFen: p.amountFen },
          ],
  });
}

async function postRefund(
  tx: Db,
  actor: Actor,
  p: { region: string; amountFen: number; ref: string; id: number; offsetFen?: number },
) {
  if (p.amountFen <= 0) return null;
  const on = today();
  // Part of the refund may settle the resident basic pension already paid (17号: returned or offset):
  // that part clears the recovery case's receivable instead of leaving the bank.
  const offset = Math.min(p.offsetFen ?? 0, p.amountFen);
  const posted = await postEntry(tx, actor, {
    fund: 'resident_pension',
    region: p.region,
    period: periodOf(on),
    entryDate: on,
    kind: 'refund',
    description:
      offset > 0
        ? `制度衔接退还城乡居民养老保险个人账户，抵扣已领基础养老金 ${formatMoney(offset)} / scheme bridging: resident account refunded, resident pension paid offset`
        : '制度衔接退还城乡居民养老保险个人缴费 / scheme bridging: resident contributions refunded',
    idempotencyKey: `fed-bridging-refund:${p.ref}`,
    source: { type: 'fed_transfer', id: p.id },
    lines: [
      { account: ACCOUNTS.refundExpenditure, debitFen: p.amountFen },
      ...(p.amountFen > offset ? [{ account: ACCOUNTS.bank, creditFen: p.amountFen - offset }] : []),
      ...(offset > 0 ? [{ account: ACCOUNTS.overpaymentsReceivable, creditFen: offset }] : []),
    ],
  });
  return posted;
}

/**
 * Both pensions drawn (17号; domain-2.md §1.7): the resident relation ends, its award stops, and the
 * resident basic pension already paid is owed back. A recovery case (the pension capability's, a
 * clerk sees it in 追回) books the receivable; the refund of the resident account settles it as far as
 * it reaches, and what is left stays open on the case for the clerk to collect. Returns the offset.
 */
async function settleResidentPension(
  tx: Db,
  actor: Actor,
  p: { personId: number; region: string; ref: string; id: number; owedFen: number; refundFen: number },
): Promise<number> {
  const a = await residentAwardForUpdate(tx, p.personId);
  const on = today();
  if (a) {
    const lastPaid = await lastPaidPeriod(tx, a.id);
    const next = lastPaid === null ? periodOf(on) : addPeriods(lastPaid, 1);
    const from = next > periodOf(on) ? next : periodOf(on);
    await updateAward(tx, int(a.id), { status: 'stopped', stop_reason: 'other', stopped_from_period: from });
    await appendAudit(tx, actor, {
      action: 'pension.stop',
      entityType: 'pension_award',
      entityId: int(a.id),
      region: a.region,
      subjectPersonId: p.personId,
      before: { status: a.status },
      after: { status: 'stopped', stopReason: 'other', stoppedFromPeriod: from, bridgingRef: p.ref },
      reason:
        '制度衔接：保留职工养老保险，终止城乡居民养老保险关系 / scheme bridging ends the resident relation',
    });
  }
  if (p.owedFen <= 0) return 0;
  const offset = Math.min(p.owedFen, p.refundFen);
  const c = await new AwardService(tx).openRecoveryCase(actor, {
    personId: p.personId,
    awardId: a ? int(a.id) : null,
    region: p.region,
    reason: 'other',
    fromPeriod: null,
    toPeriod: null,
    amountFen: p.owedFen,
    idempotencyKey: `fed-bridging-recovery:${p.ref}`,
    detail: {
      bridging: p.ref,
      transferId: p.id,
      why: '制度衔接：已领取的城乡居民基础养老金应退还或抵扣 / resident basic pension paid, to return or offset',
      offsetAgainstRefundFen: offset,
    },
    fund: 'resident_pension',
  });
  if (!c.created || offset <= 0) return c.created ? 0 : offset;
  const recovered = offset >= p.owedFen;
  await offsetRecovery(tx, {
    caseId: c.id,
    offsetFen: offset,
    on,
    note: `制度衔接退还城乡居民个人账户时抵扣 / offset against the bridging refund ${p.ref}`,
    username: actor.username,
    recovered,
  });
  await appendAudit(tx, actor, {
    action: 'pension.recovery.collect',
    entityType: 'recovery_case',
    entityId: c.id,
    region: p.region,
    subjectPersonId: p.personId,
    before: { recoveredFen: 0, status: 'open' },
    after: {
      kind: 'offset-against-bridging-refund',
      amountFen: offset,
      recoveredFen: offset,
      status: recovered ? 'recovered' : 'open',
    },
  });
  return offset;
}

/** This province's side of the bridging, as the record reads it (pension_record_credit rows). */
function recordCredits(
  d: BridgingDecision,
  here: SchemeFigures,
  role: 'both' | 'out' | 'in',
  refundedHereFen: number,
): Array<{ fund: Fund; months: number; accountFen: number; note: string }> {
  const holdsMoving = role !== 'in';
  const receives = role !== 'out';
  const residentMonthsHere = here.residentYears.length * 12;
  const out: Array<{ fund: Fund; months: number; accountFen: number; note: string }> = [];
  switch (d.result.direction) {
    case 'resident→employee':
      if (holdsMoving)
        out.push({
          fund: 'resident_pension',
          months: -residentMonthsHere,
          accountFen: -(d.movedFen + refundedHereFen),
          note: '城乡居民养老保险个人账户并入职工养老保险，缴费年限不合并计算 / resident account moved to the employee scheme; years not added',
        });
      if (receives)
        out.push({
          fund: 'employee_pension',
          months: 0,
          accountFen: d.movedFen,
          note: '城乡居民养老保险个人账户储存额并入职工个人账户 / resident account added to the employee personal account',
        });
      break;
    case 'employee→resident':
      if (holdsMoving)
        out.push({
          fund: 'employee_pension',
          months: 0,
          accountFen: -d.movedFen,
          note: '职工个人账户储存额转入城乡居民养老保险，统筹基金不转 / employee account moved to the residents’ scheme; the pooled part stays',
        });
      if (receives)
        out.push({
          fund: 'resident_pension',
          months: d.input.employeeMonths - d.overlapMonths,
          accountFen: d.movedFen - refundedHereFen,
          note: '职工缴费年限合并计算为城乡居民缴费年限，个人账户并入 / employee years and account added to the resident record',
        });
      break;
    case 'end resident relation':
      if (holdsMoving && (residentMonthsHere > 0 || here.residentAccountFen > 0))
        out.push({
          fund: 'resident_pension',
          months: -residentMonthsHere,
          accountFen: -here.residentAccountFen,
          note: '保留职工养老保险，终止城乡居民养老保险关系 / resident relation ended, the employee pension kept',
        });
      break;
  }
  return out.filter((c) => c.months !== 0 || c.accountFen !== 0);
}

/** Writes this province's side onto the person's record, once per transfer and scheme; audited. */
async function creditRecord(
  tx: Db,
  actor: Actor,
  t: { id: number; ref: string; personId: number; region: string },
  credits: ReturnType<typeof recordCredits>,
) {
  const period = periodOf(today());
  for (const c of credits) {
    const id = await insertRecordCredit(tx, {
      personId: t.personId,
      fund: c.fund,
      transferId: t.id,
      months: c.months,
      accountFen: c.accountFen,
      period,
      note: c.note,
      username: actor.username,
    });
    if (id === undefined) continue;
    await appendAudit(tx, actor, {
      action: 'pension.record.credit',
      entityType: 'pension_record_credit',
      entityId: int(id),
      region: t.region,
      subjectPersonId: t.personId,
      after: {
        fund: c.fund,
        months: c.months,
        accountFen: c.accountFen,
        bridgingRef: t.ref,
        transferId: t.id,
      },
    });
  }
}

/**
 * The national index after a bridging: it lists who holds an employee pension relation where. When
 * the employee relation went into the residents' scheme, this province holds none (months 0); when
 * the employee relation is kept, the province holding it says so and the one that held the resident
 * relation says it holds none.
 */
async function publishIndex(
  tx: Db,
  self: string,
  p: { personId: number; idNumber: string },
  d: BridgingDecision,
  role: 'both' | 'out' | 'in',
) {
  const employeeEnds = d.result.direction === 'employee→resident';
  const held = await employeePaidMonths(tx, p.personId);
  const update: IndexUpdate = {
    idHash: idHash(p.idNumber),
    province: self,
    months: employeeEnds ? 0 : int(held),
    lastPeriod: null,
    relationHeld: !employeeEnds && role !== 'out',
  };
  await enqueue(tx, NATIONAL, 'index.update', update);
}

const noteOf = (d: BridgingDecision) =>
  `${DIRECTION_ZH[d.result.direction]}：职工 ${d.result.employeeMonths} 个月，城乡居民 ${d.result.residentMonths} 个月，` +
  `转移 ${formatMoney(d.movedFen)}，退还 ${formatMoney(d.result.refundFen)}` +
  (d.result.toReturnOrOffsetFen > 0
    ? `，应退还或抵扣已领城乡居民基础养老金 ${formatMoney(d.result.toReturnOrOffsetFen)}`
    : '');

/** The direction decided, as a step's note. */
const directionNote = (d: BridgingDecision): Note => ({
  zh: DIRECTION_ZH[d.result.direction],
  en: DIRECTION_EN[d.result.direction],
});

/** The decision for the applicant in the hall and on the transfer, in both languages. */
const hallNoteOf = (d: BridgingDecision): Note => ({
  zh: noteOf(d),
  en:
    `${DIRECTION_EN[d.result.direction]}: ${d.result.employeeMonths} employee months, ${d.result.residentMonths} resident months, ` +
    `${formatMoney(d.movedFen)} moved, ${formatMoney(d.result.refundFen)} refunded` +
    (d.result.toReturnOrOffsetFen > 0
      ? `, ${formatMoney(d.result.toReturnOrOffsetFen)} of residents’ basic pension already drawn to repay or offset`
      : ''),
});

export class SchemeBridgingService extends ProvinceFederationService {
  /** The messages of scheme bridging across provinces a province takes in (the refusal and the booking are the transfer's). */
  static handlers(self: string, cal: HolidayCalendar): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    const step = (tx: Db, id: number, name: BridgingStep, node: string, from: string, note?: Note) =>
      bridgingStep(tx, cal, id, name, node, from, note);
    return {
      // At the province holding the other scheme's records: decide on both provinces' records, post the
      // moving account out (and the refund, when the resident contributions are here), send the rest.
      'bridging.request': async (tx, env) => {
        const b = env.body as BridgingRequestBody;
        if (typeof b?.ref !== 'string' || typeof b.idNumber !== 'string') return;
        if (await transferByRef(tx, b.ref, 'out')) return;
        const person = await personByIdNumber(tx, b.idNumber);
        const on = today();
        const refuse = async (reason: Note) => {
          await insertRefusedBridging(tx, {
            ref: b.ref,
            idHash: idHash(b.idNumber),
            personId: person?.id ?? null,
            self,
            from: env.from,
            note: noteJson(reason),
          });
          await enqueue(tx, env.from, 'transfer.refused', { ref: b.ref, reason: noteLine(reason) });
        };
        if (!person) return refuse({ zh: '本省无此人参保记录', en: 'no record of this person here' });
        if (!figuresValid(b.figures))
          return refuse({ zh: '申请地的参保数据不完整', en: 'the figures sent are malformed' });
        const here = await schemeFigures(tx, Number(person.id));
        const there = b.figures;
        const d = bridgingDecision([there, here]);
        // The moving account must be held here, the scheme it joins there (collect first: 17号).
        const moving = d.result.direction === 'employee→resident' ? 'employee' : 'resident';
        const heldHere = moving === 'employee' ? hasEmployee(here) : hasResident(here);
        const heldThere = moving === 'employee' ? hasEmployee(there) : hasResident(there);
        const joinsThere =
          d.result.direction === 'end resident relation'
            ? hasEmployee(there)
            : moving === 'employee'
              ? hasResident(there)
              : hasEmployee(there);
        if (!heldHere || heldThere || !joinsThere)
          return refuse({
            zh: `${DIRECTION_ZH[d.result.direction]}：须在${moving === 'employee' ? '城乡居民养老保险' : '职工养老保险'}所在地申请，且先归集该制度的参保关系`,
            en: `${DIRECTION_EN[d.result.direction]}: apply where the receiving scheme is held, after collecting the moving scheme in one province`,
          });
        const id = await insertSentBridging(tx, {
          ref: b.ref,
          idHash: idHash(b.idNumber),
          personId: person.id,
          self,
          from: env.from,
          months:
            d.result.direction === 'employee→resident' ? d.result.residentMonths : d.result.employeeMonths,
          movedFen: d.movedFen,
          funds: JSON.stringify({ here, bridging: d }),
          note: noteJson(hallNoteOf(d)),
        });
        await step(tx, id, 'letter-sent', env.from, b.appliedOn, { zh: '收到联系函', en: 'letter received' });
        await step(tx, id, 'decided', self, on, directionNote(d));
        const what = `城乡养老保险制度衔接转出至${regionName(env.from)} / scheme bridging to ${regionName(env.from, 'en')}`;
        if (d.fromFund)
          await postMove(tx, actor, {
            fund: d.fromFund,
            region: person.region,
            side: 'out',
            amountFen: d.movedFen,
            ref: b.ref,
            id,
            what,
          });
        const refundedThereFen = moving === 'resident' ? d.result.refundFen : 0;
        const offsetFen =
          d.result.direction === 'end resident relation'
            ? await settleResidentPension(tx, actor, {
                personId: Number(person.id),
                region: person.region,
                ref: b.ref,
                id,
                owedFen: d.result.toReturnOrOffsetFen,
                refundFen: refundedThereFen,
              })
            : 0;
        await postRefund(tx, actor, {
          region: person.region,
          amountFen: refundedThereFen,
          ref: b.ref,
          id,
          offsetFen,
        });
        const side = { id, ref: b.ref, personId: Number(person.id), region: person.region };
        await creditRecord(tx, actor, side, recordCredits(d, here, 'out', refundedThereFen));
        await publishIndex(tx, self, { personId: Number(person.id), idNumber: b.idNumber }, d, 'out');
        await step(tx, id, 'funds-sent', self, on, { text: formatMoney(d.movedFen) });
        await appendAudit(tx, actor, {
          action: 'transfer.send',
          entityType: 'fed_transfer',
          entityId: id,
          region: person.region,
          subjectPersonId: Number(person.id),
          after: {
            ref: b.ref,
            toProvince: env.from,
            direction: d.result.direction,
            movedFen: d.movedFen,
            refundedFen: refundedThereFen,
          },
        });
        const body: BridgingFundsBody = {
          ref: b.ref,
          decision: d,
          movedFen: d.movedFen,
          refundedThereFen,
          sentOn: on,
        };
        await enqueue(tx, env.from, 'bridging.funds', body);
      },

      // At the place of payment: post the account in, refund what is held here, complete.
      'bridging.funds': async (tx, env) => {
        const b = env.body as BridgingFundsBody;
        if (typeof b?.ref !== 'string') return;
        const t = await transferByRef(tx, b.ref, 'in');
        if (
          !t ||
          t.kind !== 'scheme-bridging' ||
          t.status !== 'requested' ||
          t.from_province?.trim() !== env.from
        )
          return;
        const d = b.decision;
        const ok = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
        if (
          !d ||
          !ok(b.movedFen) ||
          !ok(b.refundedThereFen) ||
          !ok(d.result?.refundFen) ||
          b.movedFen !== d.movedFen
        )
          return;
        const region = await regionOfPerson(tx, Number(t.person_id));
        const on = today();
        const id = int(t.id);
        await step(tx, id, 'decided', env.from, b.sentOn, directionNote(d));
        await step(tx, id, 'funds-sent', env.from, b.sentOn, { text: formatMoney(b.movedFen) });
        if (d.toFund)
          await postMove(tx, actor, {
            fund: d.toFund,
            region,
            side: 'in',
            amountFen: b.movedFen,
            ref: b.ref,
            id,
            what: `城乡养老保险制度衔接自${regionName(env.from)}转入 / scheme bridging from ${regionName(env.from, 'en')}`,
          });
        const refundedHereFen = Math.max(0, d.result.refundFen - b.refundedThereFen);
        await postRefund(tx, actor, { region, amountFen: refundedHereFen, ref: b.ref, id });
        const here = (t.funds?.['here'] as SchemeFigures | undefined) ?? null;
        const personId = Number(t.person_id);
        if (here !== null)
          await creditRecord(
            tx,
            actor,
            { id, ref: b.ref, personId, region },
            recordCredits(d, here, 'in', refundedHereFen),
          );
        const idNumber = await idNumberOfPerson(tx, personId);
        await publishIndex(tx, self, { personId, idNumber }, d, 'in');
        await step(tx, id, 'credited', self, on, { zh: '记录个人权益', en: 'record and account credited' });
        await step(tx, id, 'completed', self, on);
        await complete(
          tx,
          actor,
          { id, ref: b.ref, personId: Number(t.person_id), region, status: t.status },
          d,
        );
        await enqueue(tx, env.from, 'transfer.booked', { ref: b.ref, bookedOn: on });
      },
    };
  }

  private step(tx: Db, id: number, name: BridgingStep, node: string, from: string, note?: Note) {
    return bridgingStep(tx, this.cal, id, name, node, from, note);
  }

  /**
   * The application at the place of payment. Without `fromProvince` both schemes' records are here
   * and the case is decided and settled at once; with it, the other province decides on both
   * provinces' records and sends its part.
   */
  async apply(
    actor: Actor,
    input: { idNumber?: string; personId?: number; fromProvince?: string },
  ): Promise<{ id: number; status: 'requested' | 'completed' }> {
    const other = input.fromProvince;
    if (other !== undefined && (!this.provinces.includes(other) || other === this.self))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'fromProvince',
        zh: '所填省份不是联网的其他省份',
        en: 'the province given is not another province of the federation',
      });
    return this.db.transaction().execute(async (tx) => {
      const person = await applicant(tx, actor, input);
      const pid = Number(person.id);
      if (person.death_date !== null)
        throw new SbError('SB_ERR_CONFLICT', { zh: '参保人已死亡', en: 'the person has died' });
      const on = today();
      // 17号: decided when the person reaches the employee scheme's pension age (the earliest one).
      const category = person.sex === 'F' ? ('female-50' as const) : ('male' as const);
      let retirementDate: string;
      try {
        retirementDate = computeRetirementAge(
          { birthDate: person.birth_date, category },
          this.params,
          new Trace(),
        ).retirementDate;
      } catch {
        // retirements before the encoded schedules: the original statutory age
        retirementDate = addMonths(person.birth_date, ORIGINAL_AGE_MONTHS[category]);
      }
      if (retirementDate > on)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `制度衔接在达到职工基本养老保险法定退休年龄时办理（${retirementDate}）`,
          en: `scheme bridging is decided at the employee scheme's pension age (${retirementDate})`,
        });
      const open = await openBridging(tx, pid);
      if (open) {
        const words = OPEN_BRIDGING_STATUS[open.status as keyof typeof OPEN_BRIDGING_STATUS];
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `已有制度衔接申请 ${open.id}（${words.zh}）`,
          en: `scheme bridging ${open.id} exists (${words.en})`,
        });
      }
      const here = await schemeFigures(tx, pid);
      if (other === undefined && !(hasEmployee(here) && hasResident(here)))
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '本省没有此人两种制度的参保记录；另一制度的记录在其他省份时请注明该省份（fromProvince）',
          en: 'this province does not hold the person’s records in both schemes; name the province holding the other (fromProvince)',
        });
      if (other !== undefined && !hasEmployee(here) && !hasResident(here))
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '制度衔接在待遇领取地申请，本省没有此人的参保记录',
          en: 'bridging is applied for at the place of payment; this province holds no record of the person',
        });
      const ref = crypto.randomUUID();
      const id = await insertRequestedBridging(tx, {
        ref,
        idHash: idHash(person.id_number),
        personId: pid,
        from: other ?? this.self,
        self: this.self,
        username: actor.username,
        funds: JSON.stringify({ here }),
      });
      const t = { id, person_id: pid, kind: 'scheme-bridging' as const };
      await this.step(tx, id, 'applied', this.self, on);
      await transferCaseStatus(tx, t, 'submitted', actor.username, person.region, {
        zh: '城乡养老保险制度衔接申请已受理',
        en: 'pension scheme bridging accepted',
      });
      await appendAudit(tx, actor, {
        action: 'transfer.apply',
        entityType: 'fed_transfer',
        entityId: id,
        region: person.region,
        subjectPersonId: pid,
        after: { ref, kind: 'scheme-bridging', otherProvince: other ?? null, status: 'requested' },
      });
      if (other !== undefined) {
        await this.step(tx, id, 'letter-sent', this.self, on, { zh: `联系函 → ${other}`, en: `letter sent` });
        const body: BridgingRequestBody = {
          ref,
          idNumber: person.id_number,
          toProvince: this.self,
          appliedOn: on,
          figures: here,
        };
        await enqueue(tx, other, 'bridging.request', body);
        return { id, status: 'requested' as const };
      }
      // Both schemes here: decide and settle at once, between this province's two funds.
      const d = bridgingDecision([here]);
      await this.step(tx, id, 'decided', this.self, on, directionNote(d));
      const what = `城乡养老保险制度衔接：${DIRECTION_ZH[d.result.direction]} / scheme bridging`;
      if (d.fromFund && d.toFund) {
        await postMove(tx, actor, {
          fund: d.fromFund,
          region: person.region,
          side: 'out',
          amountFen: d.movedFen,
          ref,
          id,
          what,
        });
        await postMove(tx, actor, {
          fund: d.toFund,
          region: person.region,
          side: 'in',
          amountFen: d.movedFen,
          ref,
          id,
          what,
        });
      }
      const offsetFen =
        d.result.direction === 'end resident relation'
          ? await settleResidentPension(tx, actor, {
              personId: pid,
              region: person.region,
              ref,
              id,
              owedFen: d.result.toReturnOrOffsetFen,
              refundFen: d.result.refundFen,
            })
          : 0;
      await postRefund(tx, actor, {
        region: person.region,
        amountFen: d.result.refundFen,
        ref,
        id,
        offsetFen,
      });
      const side = { id, ref, personId: pid, region: person.region };
      await creditRecord(tx, actor, side, recordCredits(d, here, 'both', d.result.refundFen));
      await publishIndex(tx, this.self, { personId: pid, idNumber: person.id_number }, d, 'both');
      await this.step(tx, id, 'funds-sent', this.self, on, { text: formatMoney(d.movedFen) });
      await this.step(tx, id, 'credited', this.self, on, {
        zh: '记录个人权益',
        en: 'record and account credited',
      });
      await this.step(tx, id, 'completed', this.self, on);
      await complete(tx, actor, { id, ref, personId: pid, region: person.region, status: 'requested' }, d);
      return { id, status: 'completed' as const };
    });
  }
}

async function complete(
  tx: Db,
  actor: Actor,
  t: { id: number; ref: string; personId: number; region: string; status: string },
  d: BridgingDecision,
) {
  const r = d.result;
  await completeBridging(tx, t.id, {
    months: r.direction === 'employee→resident' ? r.residentMonths : r.employeeMonths,
    movedFen: d.movedFen,
    bridging: JSON.stringify({ bridging: d }),
    note: noteJson(hallNoteOf(d)),
  });
  await appendAudit(tx, actor, {
    action: 'transfer.credit',
    entityType: 'fed_transfer',
    entityId: t.id,
    region: t.region,
    subjectPersonId: t.personId,
    before: { status: t.status },
    after: {
      status: 'completed',
      direction: r.direction,
      movedFen: d.movedFen,
      refundFen: r.refundFen,
      employeeMonths: r.employeeMonths,
      residentMonths: r.residentMonths,
      toReturnOrOffsetFen: r.toReturnOrOffsetFen,
    },
  });
  await transferCaseStatus(
    tx,
    { id: t.id, person_id: t.personId, kind: 'scheme-bridging' },
    'completed',
    actor.username,
    t.region,
    hallNoteOf(d),
  );
}
