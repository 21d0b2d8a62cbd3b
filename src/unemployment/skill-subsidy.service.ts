// The skill-upgrade subsidy (技能提升补贴) applied for online: the citizen names a certificate the
// register holds in their name (certificate-register.service.ts); the system already knows their
// unemployment-insurance months; the pure rule `skill-subsidy` decides eligibility and amount with
// its trace. A clerk proposes the decision (grant, or refuse with the reason in words) and a reviewer
// who is another person releases it (src/approval/, kind `skill-subsidy.decide`): a grant pays the
// subsidy to the person's bank account and posts it to the unemployment fund in the same
// transaction; a refusal tells the person why. Every step reports to the hall (outbox case.status,
// service `skills-subsidy`) and is audited.
import type { Note } from '../core/bilingual.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { staffUsernameFor, type Actor } from '../auth/actor.ts';
import { authorize, foundInRegion, foundInScope, permits } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import { occupationName } from './occupations.ts';
import { skillLevelName } from './skill-level.ts';
import type { ParamStore } from '../core/params.ts';
import { storedTrace, Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { publishCaseStatusEvent } from '../hall/case-status.event.ts';
import { recordYears } from '../contributions/record.repository.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { paidEqualsPostedCheck, type SubLedgerCheck } from '../ledger/ledger-verify.repository.ts';
import { findPerson } from '../registry/person.repository.ts';
import { maskBankAccount } from '../registry/person.rules.ts';
import {
  applicationPage,
  findApplication,
  insertApplication,
  liveApplications,
  lockApplication,
  lockPersonSubsidies,
  markPaid,
  markRejected,
  ownCertificate,
  personApplications,
  personCertificates,
  SKILL_SUBSIDIES_PAID_BY_REGION,
  type SkillSubsidyRow as Row,
  type SkillSubsidyStatus,
} from './skill-subsidy.repository.ts';
import {
  assessSkillSubsidy,
  checkSkillSubsidyLimits,
  type CertificateLevel,
  type SkillSubsidyLimitRefusal,
} from './skill-subsidy.rules.ts';

const SKILL_SERVICE = 'skills-subsidy';
const SKILL_LEDGER_KIND = 'unemployment.skill-subsidy';

export type { SkillSubsidyStatus };

export interface SkillSubsidyView {
  id: number;
  personId: number;
  personName: string;
  region: string;
  certificate: {
    certificateNo: string;
    occupation: string;
    level: number;
    issueDate: string;
    issuer: string;
  };
  appliedOn: string;
  contributionMonths: number;
  eligible: boolean;
  amountFen: number;
  reason: string | null;
  reasonZh: string | null;
  trace: TraceStep[];
  status: SkillSubsidyStatus;
  decisionNote: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  paidOn: string | null;
  bankName: string | null;
  bankAccount: string | null;
  pendingApprovalId: number | null;
}

/** The application as its reader may see it: the applicant sees who decided by role, not by username. */
function asSeenBy(reader: Actor, v: SkillSubsidyView): SkillSubsidyView {
  return { ...v, decidedBy: staffUsernameFor(reader, v.decidedBy) };
}

function view(r: Row): SkillSubsidyView {
  return {
    id: int(r.id),
    personId: int(r.person_id),
    personName: r.person_name,
    region: r.region.trim(),
    certificate: {
      certificateNo: r.certificate_no,
      occupation: r.occupation,
      level: int(r.level),
      issueDate: r.issue_date,
      issuer: r.issuer,
    },
    appliedOn: r.applied_on,
    contributionMonths: int(r.contribution_months),
    eligible: r.eligible,
    amountFen: int(r.amount_fen),
    reason: r.reason,
    reasonZh: r.reason_zh,
    trace: storedTrace(r.trace),
    status: r.status,
    decisionNote: r.decision_note,
    decidedBy: r.decided_by,
    decidedAt:
      r.decided_at instanceof Date
        ? r.decided_at.toISOString()
        : typeof r.decided_at === 'string'
          ? r.decided_at
          : null,
    paidOn: r.paid_on,
    bankName: r.bank_name,
    bankAccount: maskBankAccount(r.bank_account),
    pendingApprovalId: r.pending_approval_id === null ? null : int(r.pending_approval_id),
  };
}

async function caseStatus(
  tx: Db,
  actor: Actor,
  a: { id: number; personId: number; region: string },
  status: 'submitted' | 'approved' | 'rejected' | 'completed',
  note: Note,
): Promise<void> {
  await publishCaseStatusEvent(tx, {
    service: SKILL_SERVICE,
    ref: `skill_subsidy_application:${a.id}`,
    personId: a.personId,
    citizenPath: '/citizen/skill-subsidy',
    status,
    actor: actor.username,
    note,
    regionCode: a.region,
  });
}

const notYours = (): SbError =>
  new SbError('SB_ERR_NOT_FOUND', {
    field: 'certificateNo',
    zh: '证书库中没有您名下的该证书编号，请核对证书编号',
    en: 'the register holds no certificate with this number in your name; check the number',
  });

/** The limits' refusal in words; it names no certificate, occupation or earlier application. */
function limitRefused(refusal: SkillSubsidyLimitRefusal, maxPerYear: number | null): SbError {
  switch (refusal) {
    case 'same-occupation-level':
      return new SbError('SB_ERR_DUPLICATE', {
        field: 'certificateNo',
        zh: '同一职业（工种）同一等级只能享受一次技能提升补贴，您已申领过',
        en: 'one occupation at one level is subsidised only once, and you have already applied for it',
      });
    case 'higher-level-held':
      return new SbError('SB_ERR_DUPLICATE', {
        field: 'certificateNo',
        zh: '您已申领过同一职业（工种）更高等级的技能提升补贴，不再享受较低等级的补贴',
        en: 'you already applied for this occupation at a higher level; a lower level is not subsidised after it',
      });
    case 'yearly-limit':
      return new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'certificateNo',
        zh: `每人每年最多申领${maxPerYear ?? ''}次技能提升补贴`,
        en: `at most ${maxPerYear ?? ''} subsidies per person and year`,
      });
  }
}

export class SkillSubsidyService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  private load(id: number): Promise<Row | undefined> {
    return findApplication(this.db, id);
  }

  /** The person's certificates in the register (to choose from) and their applications. */
  async mine(actor: Actor, personId: number) {
    authorize(actor, 'skill-subsidy.read');
    const p = await findPerson(this.db, personId);
    // an unknown person and one out of reach answer alike (another city's to staff too, not 403)
    if (!p || !permits(actor, 'skill-subsidy.read', { personId: p.id, region: p.region.trim() })) {
      if (actor.role === 'citizen')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'skill-subsidy.read', en: 'skill-subsidy.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    const certs = await personCertificates(this.db, p.id_number);
    const apps = await personApplications(this.db, p.id);
    return {
      certificates: certs.map((c) => ({
        certificateNo: c.certificate_no,
        occupation: c.occupation,
        level: int(c.level),
        issueDate: c.issue_date,
        issuer: c.issuer,
        applicationId: c.application_id === null ? null : int(c.application_id),
        applicationStatus: c.status,
      })),
      applications: apps.map((r) => asSeenBy(actor, view(r))),
    };
  }

  /** The citizen applies with a certificate the register holds in their name. */
  async apply(
    actor: Actor,
    input: { certificateNo: string; personId?: number | undefined },
  ): Promise<SkillSubsidyView> {
    authorize(actor, 'skill-subsidy.apply');
    const personId = actor.role === 'citizen' ? actor.personId : (input.personId ?? null);
    if (personId === null) throw new SbError('SB_ERR_REQUIRED', { field: 'personId' });
    // another city's person answers as an unknown one
    const p = foundInScope(
      actor,
      'skill-subsidy.apply',
      await findPerson(this.db, personId),
      (x) => ({
        personId: x.id,
        region: x.region.trim(),
      }),
      'personId',
    );
    const no = input.certificateNo.trim().toUpperCase();
    if (!/^[A-Z0-9-]{6,40}$/.test(no))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'certificateNo',
        zh: '证书编号应为6至40位字母、数字或连字符',
        en: 'the certificate number must be 6 to 40 letters, digits or hyphens',
      });
    // Someone else's certificate and a number not in the register answer alike.
    const c = await ownCertificate(this.db, no, p.id_number);
    if (!c) throw notYours();
    const level = c.level;
    if (level < 3)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'certificateNo',
        zh: `技能提升补贴适用于五级、四级、三级证书；${skillLevelName(level, 'zh')}证书不在补贴范围`,
        en: 'the subsidy covers level 5, 4 and 3 certificates only',
      });
    const on = today();
    return this.db.transaction().execute(async (tx) => {
      await lockPersonSubsidies(tx, p.id);
      const live = await liveApplications(tx, p.id);
      if (live.some((x) => x.certificateId === c.id))
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'certificateNo',
          zh: '该证书已申请过技能提升补贴',
          en: 'a subsidy was already applied for with this certificate',
        });
      const limitsTrace = new Trace();
      const limits = checkSkillSubsidyLimits(
        {
          region: p.region.trim(),
          applicationDate: on,
          occupation: c.occupation,
          level,
          earlier: live,
        },
        this.params,
        limitsTrace,
      );
      if (limits.refusal !== undefined) throw limitRefused(limits.refusal, limits.maxPerYear);
      const months = (await recordYears(tx, p.id)).reduce((s, y) => s + y.unemployment_months, 0);
      const trace = new Trace();
      for (const step of limitsTrace.steps) trace.push(step);
      trace.add(
        'certificate',
        `${no} ${occupationName(c.occupation, 'en')} ${skillLevelName(level, 'en')}`,
        'text',
        `证书 ${no} ${c.occupation} ${skillLevelName(level, 'zh')}`,
      );
      trace.add(
        'unemployment-insurance months paid (from the record)',
        months,
        'months',
        '失业保险缴费月数（来自权益记录）',
      );
      const r = assessSkillSubsidy(
        {
          region: p.region.trim(),
          certificateLevel: level as CertificateLevel,
          certificateDate: c.issue_date,
          applicationDate: on,
          contributionMonths: months,
        },
        this.params,
        trace,
      );
      const id = await insertApplication(tx, {
        personId: p.id,
        certificateId: c.id,
        region: p.region,
        appliedOn: on,
        contributionMonths: months,
        eligible: r.eligible,
        amountFen: r.amountFen,
        reason: r.reason ?? null,
        reasonZh: r.reasonZh ?? null,
        trace: trace.steps,
      });
      await caseStatus(
        tx,
        actor,
        { id, personId: p.id, region: p.region.trim() },
        'submitted',
        r.eligible
          ? {
              zh: `技能提升补贴申请已受理：证书 ${no}，按规定可补贴 ${formatMoney(r.amountFen)}，待审核。`,
              en: `Skill-upgrade subsidy applied for: certificate ${no}, ${formatMoney(r.amountFen)} by the rules, waiting for review.`,
            }
          : {
              zh: `技能提升补贴申请已受理。经比对：${r.reasonZh ?? ''}，待经办人员审核。`,
              en: `Skill-upgrade subsidy applied for. The records show: ${r.reason ?? r.reasonZh ?? ''}; a clerk will review it.`,
            },
      );
      await appendAudit(tx, actor, {
        action: 'skill-subsidy.apply',
        entityType: 'skill_subsidy_application',
        entityId: id,
        region: p.region.trim(),
        subjectPersonId: p.id,
        after: {
          certificateNo: no,
          contributionMonths: months,
          eligible: r.eligible,
          amountFen: r.amountFen,
        },
      });
      return view((await findApplication(tx, id)) as Row);
    });
  }

  async get(actor: Actor, id: number): Promise<SkillSubsidyView> {
    authorize(actor, 'skill-subsidy.read');
    const r = await this.load(id);
    // an unknown application and one out of reach answer alike (another city's to staff too, not 403)
    if (
      !r ||
      !permits(actor, 'skill-subsidy.read', { personId: int(r.person_id), region: r.region.trim() })
    ) {
      if (actor.role === 'citizen')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'skill-subsidy.read', en: 'skill-subsidy.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    return asSeenBy(actor, view(r));
  }

  /** The staff queue of the region (submitted first); for a citizen, their own applications. */
  async queue(
    actor: Actor,
    q: { status?: SkillSubsidyStatus | undefined; page: number; pageSize: number },
  ): Promise<{ items: SkillSubsidyView[]; total: number; page: number; pageSize: number }> {
    authorize(actor, 'skill-subsidy.read');
    // a citizen's list is their own applications; staff see their region's
    const scope =
      actor.role === 'citizen' ? { personId: actor.personId ?? -1 } : { region: actor.region ?? '000000' };
    const { rows, total } = await applicationPage(this.db, scope, q.status, {
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return {
      items: rows.map((r) => asSeenBy(actor, view(r))),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** The clerk proposes the decision; a reviewer releases it (four eyes). */
  async proposeDecision(
    actor: Actor,
    id: number,
    input: { grant: boolean; note?: string | undefined },
  ): Promise<ApprovalView> {
    // another city's application answers as an unknown one
    const r = foundInRegion(actor, 'skill-subsidy.decide', await this.load(id));
    if (r.status !== 'submitted')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '该申请已有决定',
        en: 'this application is already decided',
      });
    const note = input.note?.trim() ?? '';
    if (input.grant) {
      if (!r.eligible)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'grant',
          zh: `按规则不符合条件，不能核准：${r.reason_zh ?? ''}`,
          en: `the rule found it not eligible: ${r.reason ?? ''}`,
        });
      const bank = await findPerson(this.db, int(r.person_id));
      if (!bank?.bank_account)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'grant',
          zh: '申请人未登记银行账户，无法拨付；请先登记银行账户',
          en: 'the applicant has no bank account on record to pay into',
        });
    } else if (r.eligible && note.length === 0) {
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'note',
        zh: '不予核准符合规则的申请，须写明理由',
        en: 'refusing an application the rule found eligible needs a reason in words',
      });
    }
    const reasonZh = input.grant
      ? null
      : note.length > 0
        ? note
        : (r.reason_zh ?? '不符合技能提升补贴申领条件');
    return new ApprovalService(this.db).prepare(actor, {
      kind: 'skill-subsidy.decide',
      dedupeKey: String(id),
      region: r.region.trim(),
      subjectPersonId: int(r.person_id),
      payload: { applicationId: id, grant: input.grant, note: reasonZh },
      summary: {
        applicationId: id,
        personName: r.person_name,
        certificateNo: r.certificate_no,
        level: int(r.level),
        grant: input.grant,
        amountFen: input.grant ? int(r.amount_fen) : 0,
        reasonZh,
      },
    });
  }

  /** Runs a released decision (with the maker's authority): pay and post, or refuse in words. */
  async executeDecision(maker: Actor, payload: unknown, approvalId: number): Promise<unknown> {
    const p = payload as { applicationId: number; grant: boolean; note: string | null };
    return this.db.transaction().execute(async (tx) => {
      const row = await lockApplication(tx, p.applicationId);
      if (!row) throw new SbError('SB_ERR_NOT_FOUND', { field: 'applicationId' });
      authorize(maker, 'skill-subsidy.decide', { region: row.region.trim() });
      if (row.status !== 'submitted')
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '该申请已有决定',
          en: 'this application is already decided',
        });
      const ref = { id: int(row.id), personId: int(row.person_id), region: row.region.trim() };
      const on = today();
      if (!p.grant) {
        await markRejected(tx, ref.id, { note: p.note, approvalId, decidedBy: maker.username });
        await caseStatus(tx, maker, ref, 'rejected', {
          zh: `技能提升补贴申请不予核准：${p.note ?? ''}`,
          en: `Skill-upgrade subsidy refused: ${p.note ?? ''}`,
        });
        await appendAudit(tx, maker, {
          action: 'skill-subsidy.reject',
          entityType: 'skill_subsidy_application',
          entityId: ref.id,
          region: ref.region,
          subjectPersonId: ref.personId,
          before: { status: 'submitted' },
          after: { status: 'rejected', note: p.note, approvalId },
        });
        return { applicationId: ref.id, status: 'rejected' };
      }
      if (!row.eligible) throw new SbError('SB_ERR_NOT_ELIGIBLE', { field: 'grant' });
      const person = await findPerson(tx, ref.personId);
      if (!person?.bank_account)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'grant',
          zh: '申请人未登记银行账户，无法拨付',
          en: 'the applicant has no bank account on record',
        });
      const amount = int(row.amount_fen);
      const entry = await postEntry(tx, maker, {
        fund: 'unemployment',
        region: ref.region,
        period: periodOf(on),
        entryDate: on,
        kind: SKILL_LEDGER_KIND,
        description: `技能提升补贴 #${ref.id} / skill-upgrade subsidy #${ref.id}`,
        idempotencyKey: `skill-subsidy:${ref.id}`,
        source: { type: 'skill_subsidy_application', id: ref.id },
        lines: [
          { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
          { account: ACCOUNTS.bank, creditFen: amount },
        ],
      });
      await markPaid(tx, ref.id, {
        approvalId,
        decidedBy: maker.username,
        paidOn: on,
        bankName: person.bank_name,
        bankAccount: person.bank_account,
        journalEntryId: entry.entryId,
      });
      await caseStatus(tx, maker, ref, 'approved', {
        zh: `技能提升补贴申请已核准，补贴 ${formatMoney(amount)}。`,
        en: `Skill-upgrade subsidy granted: ${formatMoney(amount)}.`,
      });
      await caseStatus(tx, maker, ref, 'completed', {
        zh: `技能提升补贴 ${formatMoney(amount)} 已拨付至您的银行账户（尾号${person.bank_account.slice(-4)}）。`,
        en: `The skill-upgrade subsidy of ${formatMoney(amount)} was paid to your bank account ending ${person.bank_account.slice(-4)}.`,
      });
      await appendAudit(tx, maker, {
        action: 'skill-subsidy.pay',
        entityType: 'skill_subsidy_application',
        entityId: ref.id,
        region: ref.region,
        subjectPersonId: ref.personId,
        before: { status: 'submitted' },
        after: { status: 'paid', amountFen: amount, journalEntryId: entry.entryId, approvalId },
      });
      return { applicationId: ref.id, status: 'paid', amountFen: amount };
    });
  }

  /** The approval kinds of the subsidy (assembled in src/approval-kinds.ts). */
  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'skill-subsidy.decide',
        checkAction: 'money.release',
        execute: (maker, payload, approvalId) => this.executeDecision(maker, payload, approvalId),
      },
    ];
  }
}

/** `shebao ledger verify`: the subsidies paid equal the postings, per region. */
export const SKILL_SUBSIDY_CHECKS: readonly SubLedgerCheck[] = [
  paidEqualsPostedCheck({
    name: 'skill-upgrade subsidies paid = unemployment fund postings',
    label: 'skill subsidies',
    paid: SKILL_SUBSIDIES_PAID_BY_REGION,
    fund: 'unemployment',
    account: ACCOUNTS.benefitExpenditure,
    kind: SKILL_LEDGER_KIND,
  }),
];
