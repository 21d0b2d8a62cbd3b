// The hall listens to the other processes through the `outbox` table: it is never imported by
// them (they import only the contract of `case.status`, case-status.event.ts). Each event it handles is recorded in hall_consumed_event in the same transaction as its
// effect, so a rerun (or a second server) handles it once. Runs as a background loop in the server
// process (startConsumerLoop, one pass at a time across servers) and by `shebao hall sync`; the
// hall's reads never write.
import type { AppContext } from '../app-context.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { serviceByCode } from './catalogue.ts';
import { type ApplicationStatus } from './hall.db.ts';
import { CASE_STATUS_TOPIC, type CaseChannel, type CaseStatus } from './case-status.event.ts';
import { today } from '../core/clock.ts';
import { noteText, readNote, sameNote } from '../core/bilingual.ts';
import { addDays, dateInWords, monthInWords } from '../core/dates.ts';
import { formatMoney } from '../core/money.ts';
import { maskIdNumbersIn } from '../core/ids.ts';
import { repeatInBackground, type BackgroundJob } from '../core/repeat.ts';
import { addWorkingDays } from './holidays.ts';
import { applicationByRef, moveApplication, recordStatus } from './application.repository.ts';
import { ApplicationService } from './application.service.ts';
import {
  postAdjustedMessages,
  postArrearsReminders,
  postMessage,
  postMessages,
  postMessagesToNamed,
  type NewMessage,
} from './message.repository.ts';
import {
  claimEvent,
  claimEvents,
  markEventFailed,
  pendingEvents,
  releaseConsumerLock,
  reportingAccount,
  tryConsumerLock,
  type PendingEvent,
} from './events.repository.ts';
import { billById, payerKinds } from '../contributions/bill.repository.ts';
import { findEmployer } from '../registry/employer.repository.ts';
import { findPerson } from '../registry/person.repository.ts';
import { findRegion } from '../registry/region.repository.ts';
import { STATUS_TEXT } from './message.service.ts';

export const TOPICS = [
  'hall.application-status',
  'retirement.case-status',
  'bill.created',
  'payment.recorded',
  'bill.reopened',
  'pension.adjusted',
  'certification.due',
  'pension.suspended',
  'pension.restored',
  'card.blocked',
  CASE_STATUS_TOPIC,
] as const;

/** How far below the last consumed event id a late-committed event is still looked for. */
const CATCH_UP_MARGIN = 10_000;

type Payload = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';

const money = (amount: unknown): string => formatMoney(Number(amount ?? 0));

/** A process's page for the citizen (`citizenPath`): a path of the citizen portal, nothing else. */
const citizenPathOf = (v: unknown): string | null =>
  typeof v === 'string' && /^\/citizen\/[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(v) && v.length <= 200 ? v : null;

/** Retirement case states → application states. */
const RETIREMENT_STATUS: Record<string, ApplicationStatus> = {
  draft: 'submitted',
  pending_review: 'accepted',
  returned: 'returned',
  approved: 'completed',
  rejected: 'rejected',
};

async function onRetirement(tx: Db, p: Payload): Promise<void> {
  const caseId = num(p['caseId']);
  const personId = num(p['personId']);
  const status = RETIREMENT_STATUS[str(p['status'])];
  const service = serviceByCode('retirement-pension');
  if (caseId === null || personId === null || !status || !service) return;
  const actor: Actor = { ...systemActor(str(p['actor']) || 'retirement'), role: 'system' };
  const ref = `retirement_case:${caseId}`;
  const existing = await applicationByRef(tx, ref);
  if (!existing) {
    const citizenLink = citizenPathOf(p['citizenPath']);
    await ApplicationService.create(tx, actor, {
      service,
      personId,
      employerId: null,
      region: str(p['region']),
      channel: 'counter',
      status,
      sourceRef: ref,
      detail: {
        link: `/agency/retirement/${caseId}`,
        caseId,
        ...(citizenLink === null ? {} : { citizenLink }),
      },
    });
    return;
  }
  if (existing.status === status) return;
  const updated = await moveApplication(tx, existing.id, {
    status,
    closed_on: CLOSED_STATUSES.includes(status) ? str(p['on']) || existing.submitted_on : null,
  });
  await recordStatus(tx, actor, updated, existing.status, readNote(p['note']));
}

const CASE_STATUSES: readonly CaseStatus[] = [
  'submitted',
  'accepted',
  'returned',
  'approved',
  'rejected',
  'completed',
  'withdrawn',
];
const CLOSED_STATUSES: readonly ApplicationStatus[] = ['rejected', 'completed', 'withdrawn'];
const CHANNELS: readonly CaseChannel[] = ['online', 'counter', 'mobile', 'home', 'system'];

/** Why a `case.status` event was skipped (logged; the event is still marked consumed). */
export type CaseSkip = { reason: string; outboxId: number; payload: Payload };

/**
 * The generic `case.status` topic (docs/hall.md): any process that changes the status of something
 * a person or employer applied for reports a `CaseStatusEvent` (case-status.event.ts, the shape the
 * hall publishes for them; read here field by field, as a payload may be malformed). The hall keeps one application per `ref` with its history, deadline
 * and office, and the applicant is told (through the application's own status event).
 */
async function onCaseStatus(
  tx: Db,
  p: Payload,
  outboxId: number,
  skip: (s: CaseSkip) => void,
): Promise<void> {
  const no = (reason: string) => skip({ reason, outboxId, payload: p });
  const service = serviceByCode(str(p['service']));
  if (!service) return no(`unknown service code "${str(p['service'])}"`);
  const ref = str(p['ref']).trim();
  if (!/^[a-z_][a-z0-9_]*:[^\s]+$/.test(ref) || ref.length > 200) return no(`malformed ref "${ref}"`);
  const status = str(p['status']) as CaseStatus;
  if (!CASE_STATUSES.includes(status)) return no(`unknown status "${status}"`);
  const personId = num(p['personId']);
  let employerId = num(p['employerId']);
  if (personId !== null && !Number.isSafeInteger(personId)) return no('personId is not an integer');
  if (employerId !== null && !Number.isSafeInteger(employerId)) return no('employerId is not an integer');
  // `{ zh, en }` from a process, `{ text }` a person's words; a string from events before migration 1581
  const note = readNote(p['note']);
  // where it stands within the status (发放中 / being paid), shown beside it; kept while the status is
  const stage = readNote(p['stage']);
  const username = str(p['actor']).trim() || service.code;
  // Who acted: the user's own role when the name is a login (a clerk, the applicant), else the process.
  const user = await reportingAccount(tx, username);
  const actor: Actor = user
    ? {
        userId: user.id,
        username,
        role: user.role,
        personId: user.person_id,
        employerId: user.employer_id,
        region: user.region,
      }
    : { ...systemActor(username), role: 'system' };
  const existing = await applicationByRef(tx, ref);
  if (!existing) {
    // The applicant: a person, else an employer; the office: the reported region, else theirs.
    if (personId === null && employerId === null) return no('neither personId nor employerId');
    if (personId !== null) employerId = null;
    const owner =
      personId !== null ? await findPerson(tx, personId) : await findEmployer(tx, employerId ?? -1);
    if (!owner) return no(personId !== null ? `no person ${personId}` : `no employer ${employerId}`);
    let region = str(p['regionCode']).trim() || owner.region;
    if (region !== owner.region) {
      if (!(await findRegion(tx, region))) region = owner.region;
    }
    const ch = str(p['channel']) as CaseChannel;
    const link = str(p['link']);
    const citizenLink = citizenPathOf(p['citizenPath']);
    await ApplicationService.create(tx, actor, {
      service,
      personId,
      employerId,
      region,
      channel: CHANNELS.includes(ch) ? ch : 'system',
      status,
      note,
      sourceRef: ref,
      detail: {
        ...(link.startsWith('/') && !link.startsWith('//') ? { link } : {}),
        ...(citizenLink !== null ? { citizenLink } : {}),
        ...(stage !== null ? { stage } : {}),
      },
      tellApplicant: true,
    });
    return;
  }
  if (existing.service_code !== service.code)
    return no(`ref ${ref} belongs to service ${existing.service_code}, not ${service.code}`);
  const detail = (
    typeof existing.detail === 'string' ? JSON.parse(existing.detail) : (existing.detail ?? {})
  ) as Record<string, unknown>;
  // The citizen's page, when an event brings one (applications created before events carried it have none).
  const page = citizenPathOf(p['citizenPath']);
  const withPage = page !== null && page !== detail['citizenLink'] ? { citizenLink: page } : {};
  // A new stage within the same status (the months paid so far) is kept without a history row.
  const oldStage = readNote(detail['stage']);
  const withStage = stage !== null && !sameNote(stage, oldStage) ? { stage } : {};
  // A repeated event (same status, no new words) changes nothing but a page or a stage it brings.
  if (existing.status === status && (note === null || sameNote(note, readNote(detail['note'])))) {
    if ('citizenLink' in withPage || 'stage' in withStage)
      await moveApplication(tx, existing.id, {
        detail: JSON.stringify({ ...detail, ...withPage, ...withStage }),
      });
    return;
  }
  const on = today();
  const restart = status === 'submitted' && existing.status === 'returned' && existing.time_limit_wd !== null;
  const updated = await moveApplication(tx, existing.id, {
    status,
    closed_on: CLOSED_STATUSES.includes(status) ? (existing.closed_on ?? on) : null,
    // A resubmission after a return starts the clock again, as in the hall's own applications.
    ...(restart ? { submitted_on: on, deadline: addWorkingDays(on, existing.time_limit_wd ?? 0) } : {}),
    // a new status without a stage ends the old one (a paid refund is no longer held)
    detail: JSON.stringify({
      ...detail,
      note,
      ...withPage,
      stage: stage ?? (existing.status === status ? oldStage : null),
    }),
  });
  await recordStatus(tx, actor, updated, existing.status, note, { tellApplicant: true });
}

async function onApplicationStatus(tx: Db, p: Payload): Promise<void> {
  const id = num(p['applicationId']);
  const status = str(p['status']);
  const text = STATUS_TEXT[status as ApplicationStatus];
  if (id === null || !text) return;
  const s = serviceByCode(str(p['serviceCode']));
  const nameZh = s?.nameZh ?? str(p['serviceCode']);
  const nameEn = s?.nameEn ?? str(p['serviceCode']);
  const n = readNote(p['note']);
  const note = n === null ? null : noteText(n);
  const personId = num(p['personId']);
  const employerId = num(p['employerId']);
  // The applicant hears of every change made by someone else, and of every change a process reported.
  if (p['byApplicant'] !== true || p['tellApplicant'] === true) {
    await postMessage(tx, {
      personId,
      employerId: personId === null ? employerId : null,
      topic: 'application.status',
      titleZh: `办件进度：${nameZh}（${text.zh}）`,
      titleEn: `Application ${text.en}: ${nameEn}`,
      // the note in each reader's language, as the history shows it
      bodyZh: `您的办件（编号 ${id}）状态为“${text.zh}”。${note ? `说明：${note.zh}` : ''}`,
      bodyEn: `Your application no. ${id} is now ${text.en}.${note ? ` Note: ${note.en}` : ''}`,
      link: `/${personId !== null ? 'citizen' : 'employer'}/applications/${id}`,
    });
  }
  // The office hears of what enters its queue from the applicant.
  if (p['byApplicant'] === true && status === 'submitted') {
    await postMessage(tx, {
      staffRegion: str(p['region']),
      topic: 'application.queued',
      titleZh: `新办件：${nameZh}`,
      titleEn: `New application: ${nameEn}`,
      bodyZh: `办件编号 ${id} 已进入待办队列。`,
      bodyEn: `Application no. ${id} has entered the work queue.`,
      link: `/agency/applications/${id}`,
    });
  }
}

/** Where a person's bill is shown: the flexible worker's or the resident's payment page. */
const PERSON_BILL_PAGE: Record<string, string> = {
  flexible: '/citizen/flexible-contributions',
  resident: '/citizen/resident-tier',
};

function billMessage(p: Payload, paid: boolean, payerKind: string | undefined): NewMessage | null {
  const personId = num(p['personId']);
  const employerId = num(p['employerId']);
  if (personId === null && employerId === null) return null;
  const period = str(p['period']);
  const [monthZh, monthEn] = [monthInWords(period, 'zh'), monthInWords(period, 'en')];
  // held money a clerk allocated: the payer learns which of their payments paid the bill
  const refs = p['heldRefs'];
  const heldRefs = Array.isArray(refs) ? refs.map(str) : [];
  const [held, heldEn] = [heldRefs.join('、'), heldRefs.join(', ')];
  return {
    personId,
    employerId: personId === null ? employerId : null,
    topic: paid ? 'payment.recorded' : 'bill.created',
    titleZh: paid ? `缴费成功：${monthZh}` : `缴费通知：${monthZh} 应缴 ${money(p['amountFen'])}`,
    titleEn: paid
      ? `Payment received: ${monthEn}`
      : `Contributions due for ${monthEn}: ${money(p['amountFen'])}`,
    bodyZh: paid
      ? `${held ? `您的暂收款（流水 ${held}）共 ${money(p['amountFen'])} 已分配到账单编号 ${str(p['billId'])}，账单已缴清。` : `已收到 ${money(p['amountFen'])}，账单编号 ${str(p['billId'])}。`}可在账单列表下载缴费凭证。`
      : `账单编号 ${str(p['billId'])}，请于${dateInWords(str(p['dueDate']), 'zh')}前缴纳，逾期将加收滞纳金。`,
    bodyEn: paid
      ? `${held ? `Your payment of ${money(p['amountFen'])} (bank ref${heldRefs.length > 1 ? 's' : ''} ${heldEn}) was applied to bill no. ${str(p['billId'])}; the bill is paid.` : `${money(p['amountFen'])} received for bill no. ${str(p['billId'])}.`} The receipt is in the bill list.`
      : `Bill no. ${str(p['billId'])}: please pay by ${dateInWords(str(p['dueDate']), 'en')}; late fees accrue after that.`,
    link:
      personId !== null ? (PERSON_BILL_PAGE[payerKind ?? ''] ?? '/citizen/contributions') : '/employer/bills',
  };
}

/**
 * Why a reopened bill is open again, in words the payer understands: a bank return names the bank
 * reference and that the money went back to the account it came from; a correction says the agency
 * withdrew a posting and why in one plain sentence. Never the clerk's free text: it is a note for the
 * reviewer and may name other payers. An event written before the kind existed was a bank return.
 */
function reopenedWhy(p: Payload): { titleZh: string; titleEn: string; zh: string; en: string } {
  const bill = str(p['billId']);
  const amount = money(p['returnedFen']);
  const ref = str(p['bankRef']) || '—';
  switch (str(p['reasonKind']) || 'bank_return') {
    case 'wrong_bill':
      // someone else's money may have been posted here: its bank reference is not named
      return {
        titleZh: '误记入账已撤销',
        titleEn: 'a payment posted by mistake was withdrawn',
        zh: `一笔 ${amount} 的款项被误记到您的账单编号 ${bill}（它应属于另一张账单），社保经办机构已撤销这笔入账，该账单重新变为未缴。`,
        en: `A payment of ${amount} was posted to your bill no. ${bill} by mistake (it belonged to another bill); the social insurance agency has withdrawn it, so the bill is unpaid again.`,
      };
    case 'duplicate':
      return {
        titleZh: '重复入账已撤销',
        titleEn: 'a payment recorded twice was withdrawn',
        zh: `账单编号 ${bill} 的一笔 ${amount} 入账（流水 ${ref}）是同一款项的重复记录，社保经办机构已撤销这笔重复入账，该账单重新变为未缴。`,
        en: `A payment of ${amount} on bill no. ${bill} (bank ref ${ref}) recorded the same money twice; the social insurance agency has withdrawn the second record, so the bill is unpaid again.`,
      };
    case 'keying_error':
      return {
        titleZh: '入账录入错误已撤销',
        titleEn: 'a payment keyed wrongly was withdrawn',
        zh: `账单编号 ${bill} 的一笔 ${amount} 入账（流水 ${ref}）录入有误，社保经办机构已撤销这笔入账，该账单重新变为未缴。`,
        en: `A payment of ${amount} on bill no. ${bill} (bank ref ${ref}) was keyed wrongly; the social insurance agency has withdrawn it, so the bill is unpaid again.`,
      };
    default:
      return {
        titleZh: '银行退票',
        titleEn: 'the bank returned the payment',
        zh: `银行退回了您为账单编号 ${bill} 缴纳的 ${amount}（流水 ${ref}），款项已退回原付款账户，该账单重新变为未缴。`,
        en: `The bank returned the ${amount} you paid for bill no. ${bill} (bank ref ${ref}) to the account it came from; the bill is unpaid again.`,
      };
  }
}

/**
 * A paid bill open again because its payment was reversed (the bank returned it, or the agency withdrew
 * a wrong posting): which bill and why, what is due now, and from when the late fee runs (the day after
 * the bill's due date, 社会保险法 第八十六条).
 */
function billReopenedMessage(p: Payload, payerKind: string | undefined): NewMessage | null {
  const personId = num(p['personId']);
  const employerId = num(p['employerId']);
  if (personId === null && employerId === null) return null;
  const period = str(p['period']);
  const why = reopenedWhy(p);
  const feeFrom = addDays(str(p['dueDate']), 1);
  const late = str(p['on']) >= feeFrom;
  return {
    personId,
    employerId: personId === null ? employerId : null,
    topic: 'bill.reopened',
    titleZh: `账单重新待缴：${monthInWords(period, 'zh')}（${why.titleZh}）`,
    titleEn: `Bill open again: ${monthInWords(period, 'en')} (${why.titleEn})`,
    bodyZh:
      why.zh +
      `现应缴 ${money(p['dueTodayFen'])}（含滞纳金 ${money(p['lateFeeFen'])}，计至${dateInWords(str(p['on']), 'zh')}）。` +
      (late
        ? `滞纳金自${dateInWords(feeFrom, 'zh')}起按日加收，直至缴清，请尽快缴纳。`
        : `请于${dateInWords(str(p['dueDate']), 'zh')}前缴纳，逾期将自次日起按日加收滞纳金。`),
    bodyEn:
      `${why.en} ` +
      `Due now: ${money(p['dueTodayFen'])} (late fee ${money(p['lateFeeFen'])} to ${dateInWords(str(p['on']), 'en')}). ` +
      (late
        ? `The late fee has run daily since ${dateInWords(feeFrom, 'en')} and runs until it is paid: please pay as soon as you can.`
        : `Please pay by ${dateInWords(str(p['dueDate']), 'en')}; a daily late fee runs from the day after.`),
    link:
      personId !== null ? (PERSON_BILL_PAGE[payerKind ?? ''] ?? '/citizen/contributions') : '/employer/bills',
  };
}

function pensionAdjustedMessage(p: Payload): NewMessage | null {
  const personId = num(p['personId']);
  if (personId === null) return null;
  return {
    personId,
    topic: 'pension.adjusted',
    titleZh: `${str(p['year'])}年基本养老金已调整`,
    titleEn: `Your basic pension was adjusted for ${str(p['year'])}`,
    bodyZh: `每月增加 ${money(p['increaseFen'])}，调整后每月 ${money(p['newMonthlyFen'])}。`,
    bodyEn: `Up ${money(p['increaseFen'])} a month, now ${money(p['newMonthlyFen'])} a month.`,
    link: '/citizen/my-pension',
  };
}

/** A `pension.adjusted` event of one adjustment chunk (since issue #18's fourth pass): it names the chunk's amounts. */
const isChunkEvent = (p: Payload): boolean => num(p['fromAmountId']) !== null;

/**
 * The messages of one adjustment chunk's event, set-based: every pensioner whose award got an
 * adjustment amount of the year with an id in the event's range is told, in the words of
 * pensionAdjustedMessage (one message per award, as with the former event per award). The id range
 * with the award range holds that chunk's amounts only: adjustments run one at a time (other runs' ids
 * fall outside) and the chunks of one run, which may run at once, have disjoint award ranges. A pensioner
 * already told by this event (a redelivery) is not told again.
 */
async function tellAdjusted(tx: Db, p: Payload, outboxId: number): Promise<void> {
  const year = num(p['year']);
  const lo = num(p['fromAmountId']);
  const hi = num(p['toAmountId']);
  const fromAward = num(p['fromAwardId']);
  const toAward = num(p['toAwardId']);
  const whole = (x: number | null): x is number => x !== null && Number.isSafeInteger(x);
  if (!(whole(year) && whole(lo) && whole(hi) && whole(fromAward) && whole(toAward)))
    throw new Error(`malformed pension.adjusted event ${outboxId}`);
  await postAdjustedMessages(tx, {
    year,
    lo,
    hi,
    fromAward,
    toAward,
    outboxId,
  });
}

/** The words of a campaign's message to one pensioner (the same for every pensioner of the campaign). */
function certificationDueWords(p: Payload): Omit<NewMessage, 'personId'> {
  return {
    topic: 'certification.due',
    titleZh: '请完成领取养老金资格认证',
    titleEn: 'Please certify your pension eligibility',
    bodyZh: `请于${dateInWords(str(p['deadline']), 'zh')}前完成认证，逾期将暂停发放。`,
    bodyEn: `Please certify by ${dateInWords(str(p['deadline']), 'en')}; payments are suspended after that.`,
    link: '/citizen/certification',
  };
}

/** A `certification.due` event of the former shape: one per person, written before issue #18's chunks. */
function certificationDueMessage(p: Payload): NewMessage | null {
  const personId = num(p['personId']);
  if (personId === null) return null;
  return { personId, ...certificationDueWords(p) };
}

/** A `certification.due` event of one chunk of a campaign's persons (since issue #18): it carries their ids. */
const isDueChunk = (p: Payload): boolean => Array.isArray(p['personIds']);

/**
 * The messages of one campaign chunk's event, set-based: each person the event names is told, in the
 * words of certificationDueMessage (worded once for the event), in the order of the ids. The ids are
 * read from the event's own outbox row, not sent back from here. A person already told by this event
 * (a redelivery) is not told again.
 */
async function tellDue(tx: Db, p: Payload, outboxId: number): Promise<void> {
  await postMessagesToNamed(tx, certificationDueWords(p), outboxId);
}

/**
 * The words of a suspension's message, the same for every person its event names: from which month,
 * why in the reader's language (a clerk's own words as written, in quotes), and what resumes it —
 * certifying, for the certification sweep's; the agency, for a clerk's.
 */
function suspendedWords(p: Payload): Omit<NewMessage, 'personId'> {
  const from = str(p['fromPeriod']);
  const [monthZh, monthEn] = [monthInWords(from, 'zh'), monthInWords(from, 'en')];
  const head = {
    topic: 'pension.suspended',
    titleZh: `养老金自${monthZh}起暂停发放`,
    titleEn: `Your pension is suspended from ${monthEn}`,
  };
  if (str(p['reasonCode']) === 'not_certified')
    return {
      ...head,
      bodyZh: `暂停原因：未在规定期限内完成领取资格认证。完成认证后即恢复发放，暂停期间的养老金一并补发。`,
      bodyEn: `Why: you were not certified as eligible by the deadline. Once you certify, payment resumes and the months held back are paid too.`,
      link: '/citizen/certification',
    };
  // a clerk's words reach the pensioner as written, but never an ID number typed into them (another's, say)
  const words = maskIdNumbersIn(str(p['reason']).trim());
  return {
    ...head,
    bodyZh: `暂停原因：${words ? `经办机构说明“${words}”` : '经办机构决定'}。如有疑问或需恢复发放，请联系参保地社会保险经办机构。`,
    bodyEn: `Why: ${words ? `the agency's note “${words}”` : 'a decision of the agency'}. For questions, or to have payment resumed, please contact your social insurance agency.`,
    link: '/citizen/my-pension',
  };
}

/** A suspension's event (one per clerk's suspension or per sweep chunk): each person it names is told once. */
async function tellSuspended(tx: Db, p: Payload, outboxId: number): Promise<void> {
  await postMessagesToNamed(tx, suspendedWords(p), outboxId);
}

function pensionRestoredMessage(p: Payload): NewMessage | null {
  const personId = num(p['personId']);
  if (personId === null) return null;
  const resumes = str(p['resumesFrom']);
  const arrears = num(p['arrearsFen']) ?? 0;
  const [from, to] = [str(p['arrearsFrom']), str(p['arrearsTo'])];
  const span = (lang: 'zh' | 'en') =>
    from === to
      ? monthInWords(from, lang)
      : `${monthInWords(from, lang)}${lang === 'zh' ? '至' : ' to '}${monthInWords(to, lang)}`;
  return {
    personId,
    topic: 'pension.restored',
    titleZh: '养老金已恢复发放',
    titleEn: 'Your pension is paid again',
    bodyZh:
      `自${monthInWords(resumes, 'zh')}起恢复按月发放。` +
      (arrears > 0 ? `暂停期间（${span('zh')}）的养老金共 ${money(arrears)}，随下次发放一并补发。` : ''),
    bodyEn:
      `Monthly payment resumes from ${monthInWords(resumes, 'en')}.` +
      (arrears > 0
        ? ` The ${money(arrears)} held back for ${span('en')} is paid with the next payroll.`
        : ''),
    link: '/citizen/my-pension',
  };
}

function cardBlockedMessage(p: Payload): NewMessage | null {
  const personId = num(p['personId']);
  if (personId === null) return null;
  const formal = str(p['status']) === 'lost';
  const until = str(p['lossUntil']);
  return {
    personId,
    topic: 'card.blocked',
    titleZh: formal ? '您的社保卡已正式挂失' : '您的社保卡已临时挂失',
    titleEn: formal
      ? 'Your social security card is reported lost'
      : 'Your social security card is blocked for now',
    bodyZh: formal
      ? '社保卡已停用，可申请补领。如非本人操作，请立即联系经办机构。'
      : `社保卡已暂停使用${until ? `至${dateInWords(until, 'zh')}` : ''}，找回后可解挂。如非本人操作，请立即联系经办机构。`,
    bodyEn: formal
      ? 'The card no longer works; you can apply for a replacement. If this was not you, call the office now.'
      : `The card is blocked${until ? ` until ${dateInWords(until, 'en')}` : ''}; unblock it if you find it. If this was not you, call the office now.`,
    link: '/citizen/card',
  };
}

/** Topics that only write a message: handled in bulk (one transaction per pass), in id order. */
const MESSAGE_TOPICS = new Set([
  'bill.created',
  'payment.recorded',
  'bill.reopened',
  'pension.adjusted',
  'certification.due',
  'pension.suspended',
  'pension.restored',
  'card.blocked',
]);

/**
 * The message-only events of a pass in one transaction: claim them, look up the payer kind of the
 * bills they name, and write every message in a few set-based inserts (a pension adjustment or a
 * certification campaign reports tens of thousands at once). Returns false when the batch failed
 * (then each event is handled on its own, so one bad event does not hold back the others).
 */
async function consumeMessages(ctx: AppContext, rows: PendingEvent[]): Promise<boolean> {
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const claimed = await claimEvents(
        tx,
        rows.map((r) => Number(r.id)),
      );
      const events = rows
        .filter((r) => claimed.has(Number(r.id)))
        .map((r) => ({
          ...r,
          p: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Payload,
        }));
      const billIds = [
        ...new Set(
          events
            .filter(
              (e) =>
                e.topic === 'bill.created' || e.topic === 'payment.recorded' || e.topic === 'bill.reopened',
            )
            .map((e) => num(e.p['billId']))
            .filter((x): x is number => x !== null && Number.isSafeInteger(x)),
        ),
      ];
      const kinds = await payerKinds(tx, billIds);
      const messages: NewMessage[] = [];
      for (const e of events) {
        const p = e.p && typeof e.p === 'object' ? e.p : {};
        // A chunk event's messages go in set-based; the messages of the events before it go in first,
        // so the messages keep the events' order as when every event was one message.
        const chunk =
          e.topic === 'pension.adjusted' && isChunkEvent(p)
            ? tellAdjusted
            : e.topic === 'certification.due' && isDueChunk(p)
              ? tellDue
              : e.topic === 'pension.suspended'
                ? tellSuspended
                : null;
        if (chunk) {
          await postMessages(tx, messages.splice(0));
          await chunk(tx, p, Number(e.id));
          continue;
        }
        const m =
          e.topic === 'bill.created' || e.topic === 'payment.recorded'
            ? billMessage(p, e.topic === 'payment.recorded', kinds.get(num(p['billId']) ?? -1))
            : e.topic === 'bill.reopened'
              ? billReopenedMessage(p, kinds.get(num(p['billId']) ?? -1))
              : e.topic === 'pension.adjusted'
                ? pensionAdjustedMessage(p)
                : e.topic === 'certification.due'
                  ? certificationDueMessage(p)
                  : e.topic === 'pension.restored'
                    ? pensionRestoredMessage(p)
                    : cardBlockedMessage(p);
        if (m) messages.push({ ...m, outboxId: Number(e.id) });
      }
      await postMessages(tx, messages);
    });
    return true;
  } catch (err) {
    ctx.log.warn({ err, events: rows.length }, 'hall: message batch failed, handling its events one by one');
    return false;
  }
}

/** Bills open after their due date: the payer is told once per bill (欠费提醒). */
export async function remindArrears(ctx: AppContext, on = today()): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    return postArrearsReminders(tx, on);
  });
}

/** Handles every pending event of the hall's topics, each in its own transaction. */
export async function consumeEvents(ctx: AppContext, limit = 1000): Promise<number> {
  const skip = (s: CaseSkip) =>
    ctx.log.warn(
      { outboxId: s.outboxId, reason: s.reason, payload: s.payload },
      'hall: case.status event skipped',
    );
  const pending = await pendingEvents(ctx.db, TOPICS, CATCH_UP_MARGIN, limit);
  let done = 0;
  const bulk = pending.filter((r) => MESSAGE_TOPICS.has(r.topic));
  const bulkDone = bulk.length > 0 && (await consumeMessages(ctx, bulk));
  if (bulkDone) done += bulk.length;
  for (const ev of pending) {
    if (bulkDone && MESSAGE_TOPICS.has(ev.topic)) continue;
    try {
      await ctx.db.transaction().execute(async (tx) => {
        if (!(await claimEvent(tx, Number(ev.id)))) return;
        const p = (typeof ev.payload === 'string' ? JSON.parse(ev.payload) : ev.payload) as Payload;
        switch (ev.topic) {
          case 'hall.application-status':
            return onApplicationStatus(tx, p);
          case 'retirement.case-status':
            return onRetirement(tx, p);
          case 'bill.created':
          case 'payment.recorded':
          case 'bill.reopened':
          case 'pension.adjusted':
          case 'certification.due':
          case 'pension.suspended':
          case 'pension.restored':
          case 'card.blocked': {
            // One by one only when the batch failed: the same messages, event by event.
            if (ev.topic === 'pension.adjusted' && isChunkEvent(p)) return tellAdjusted(tx, p, Number(ev.id));
            if (ev.topic === 'certification.due' && isDueChunk(p)) return tellDue(tx, p, Number(ev.id));
            if (ev.topic === 'pension.suspended') return tellSuspended(tx, p, Number(ev.id));
            const bill = num(p['billId']);
            const kind = bill === null ? undefined : (await billById(tx, bill))?.payer_kind;
            const m =
              ev.topic === 'pension.adjusted'
                ? pensionAdjustedMessage(p)
                : ev.topic === 'certification.due'
                  ? certificationDueMessage(p)
                  : ev.topic === 'pension.restored'
                    ? pensionRestoredMessage(p)
                    : ev.topic === 'card.blocked'
                      ? cardBlockedMessage(p)
                      : ev.topic === 'bill.reopened'
                        ? billReopenedMessage(p, kind)
                        : billMessage(p, ev.topic === 'payment.recorded', kind);
            if (m) await postMessage(tx, { ...m, outboxId: Number(ev.id) });
            return;
          }
          case CASE_STATUS_TOPIC:
            return onCaseStatus(tx, p, Number(ev.id), skip);
        }
      });
    } catch (err) {
      // A malformed event must not stop the others: it is logged and marked consumed with its error
      // (if even that fails — the database is gone — it is simply tried again on the next pass).
      ctx.log.error({ err, outboxId: ev.id, topic: ev.topic }, 'hall: outbox event failed');
      await markEventFailed(
        ctx.db,
        Number(ev.id),
        String(err instanceof Error ? err.message : err).slice(0, 500),
      ).catch(() => undefined);
    }
    done++;
  }
  // Events written by the applications just handled (their own status events) are picked up too.
  if (done > 0 && pending.length < limit) done += await consumeEvents(ctx, limit);
  return done;
}

/** The advisory lock key of the hall's consumer (726354xxx: Shebao's lock namespace). */
export const CONSUMER_LOCK = 726354300;

/** When the arrears scan last ran, by database. */
const arrearsRunAt = new WeakMap<object, number>();
const ARREARS_EVERY_MS = 60_000;

/** The consumer passes running in this process, by database (a pass never overlaps another here). */
const running = new WeakMap<object, Promise<number>>();

/**
 * One pass of the consumer, at most one at a time across every server on the database: on
 * PostgreSQL a session advisory lock on a reserved connection (released when the pass ends, or by
 * the database when the process dies); a server that does not get it skips the pass (`null`). PGlite
 * is one process's embedded database, so the in-process guard is enough there.
 */
export async function runConsumerOnce(ctx: AppContext): Promise<number | null> {
  if (running.has(ctx.db)) return null;
  const pass = (async () => {
    const pass = async () => {
      const events = await consumeEvents(ctx);
      // Overdue bills are looked for at most once a minute (a scan of the open bills).
      const last = arrearsRunAt.get(ctx.db) ?? 0;
      if (Date.now() - last < ARREARS_EVERY_MS) return events;
      arrearsRunAt.set(ctx.db, Date.now());
      return events + (await remindArrears(ctx));
    };
    if (ctx.dbKind !== 'postgresql') return pass();
    return ctx.db.connection().execute(async (conn) => {
      if (!(await tryConsumerLock(conn, CONSUMER_LOCK))) return -1;
      try {
        return await pass();
      } finally {
        await releaseConsumerLock(conn, CONSUMER_LOCK);
      }
    });
  })();
  running.set(ctx.db, pass);
  try {
    const n = await pass;
    return n < 0 ? null : n;
  } finally {
    running.delete(ctx.db);
  }
}

/**
 * The consumer as a background job of the server process: a pass every `intervalMs` (the next one
 * is scheduled when the previous ended, so passes never pile up); errors are logged and the loop
 * goes on. `HALL_CONSUMER_INTERVAL_MS` sets the interval (default 2000; 0 turns the loop off, for
 * installations that run `shebao hall sync` from cron instead).
 */
export function startConsumerLoop(ctx: AppContext, intervalMs = consumerInterval()): BackgroundJob {
  return repeatInBackground(
    () =>
      runConsumerOnce(ctx)
        .then((n) => {
          if (n) ctx.log.debug({ events: n }, 'hall: outbox events consumed');
        })
        .catch((err: unknown) => ctx.log.error({ err }, 'hall: consumer pass failed')),
    intervalMs,
    { firstDelayMs: Math.min(intervalMs, 200) },
  );
}

function consumerInterval(): number {
  const raw = process.env['HALL_CONSUMER_INTERVAL_MS'];
  const n = raw === undefined || raw === '' ? 2000 : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 2000;
}
