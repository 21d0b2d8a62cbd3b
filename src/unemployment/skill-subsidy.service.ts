// The skill-upgrade subsidy (技能提升补贴) applied for online: the citizen names a certificate the
// register holds in their name (certificate-register.service.ts); the system already knows their
// unemployment-insurance months; the pure rule `skill-subsidy` decides eligibility and amount with
// its trace. A clerk proposes the decision (grant, or refuse with the reason in words) and a reviewer
// who is another person releases it (src/approval/, kind `skill-subsidy.decide`): a grant pays the
// subsidy to the person's bank account and posts it to the unemployment fund in the same
// transaction; a refusal tells the person why. Every step reports to the hall (outbox case.status,
// service `skills-subsidy`) and is audited.
import type { Note } from '../core/bilingual.ts';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { staffUsernameFor, type Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import { skillLevelName } from './skill-level.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { recordYears } from '../contributions/record.repository.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { paidEqualsPostedCheck, type SubLedgerCheck } from '../ledger/ledger-verify.repository.ts';
import { maskBankAccount } from '../registry/person.rules.ts';
import { assessSkillSubsidy, type CertificateLevel } from './skill-subsidy.rules.ts';

const SKILL_SERVICE = 'skills-subsidy';
const SKILL_LEDGER_KIND = 'unemployment.skill-subsidy';
/** 人社部发〔2017〕40号 and later notices: at most this many subsidies per person and calendar year. */
const MAX_PER_YEAR = 3;

export type SkillSubsidyStatus = 'submitted' | 'approved' | 'rejected' | 'paid';

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

type Row = {
  id: unknown;
  person_id: unknown;
  person_name: string;
  region: string;
  certificate_no: string;
  occupation: string;
  level: number;
  issue_date: string;
  issuer: string;
  applied_on: string;
  contribution_months: number;
  eligible: boolean;
  amount_fen: unknown;
  reason: string | null;
  reason_zh: string | null;
  trace: unknown;
  status: SkillSubsidyStatus;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: unknown;
  paid_on: string | null;
  bank_name: string | null;
  bank_account: string | null;
  pending_approval_id: unknown;
};

const select = sql`
  SELECT a.id, a.person_id, p.name AS person_name, a.region, c.certificate_no, c.occupation, c.level, c.issue_date::text AS issue_date,
    c.issuer, a.applied_on::text AS applied_on, a.contribution_months, a.eligible, a.amount_fen, a.reason, a.reason_zh, a.trace,
    a.status, a.decision_note, a.decided_by, a.decided_at, a.paid_on::text AS paid_on, a.bank_name, a.bank_account,
    (SELECT ap.id FROM approval ap WHERE ap.kind = 'skill-subsidy.decide' AND ap.dedupe_key = a.id::text AND ap.status = 'prepared') AS pending_approval_id
  FROM skill_subsidy_application a
  JOIN person p ON p.id = a.person_id
  JOIN vocational_certificate c ON c.id = a.certificate_id`;

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
    trace: (typeof r.trace === 'string' ? JSON.parse(r.trace) : r.trace) as TraceStep[],
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
  await tx
    .insertInto('outbox')
    .values({
      topic: 'case.status',
      payload: JSON.stringify({
        service: SKILL_SERVICE,
        ref: `skill_subsidy_application:${a.id}`,
        personId: a.personId,
        citizenPath: '/citizen/skill-subsidy',
        status,
        actor: actor.username,
        note,
        regionCode: a.region,
      }),
    })
    .execute();
}

const notYours = (): SbError =>
  new SbError('SB_ERR_NOT_FOUND', {
    field: 'certificateNo',
    zh: '证书库中没有您名下的该证书编号，请核对证书编号',
    en: 'the register holds no certificate with this number in your name; check the number',
  });

export class SkillSubsidyService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  private async load(id: number): Promise<Row | undefined> {
    const r = await sql<Row>`${select} WHERE a.id = ${id}`.execute(this.db);
    return r.rows[0];
  }

  /** The person's certificates in the register (to choose from) and their applications. */
  async mine(actor: Actor, personId: number) {
    authorize(actor, 'skill-subsidy.read');
    const p = await this.db
      .selectFrom('person')
      .select(['id', 'id_number', 'region'])
      .where('id', '=', personId)
      .executeTakeFirst();
    if (!p) {
      if (actor.role === 'citizen')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'skill-subsidy.read', en: 'skill-subsidy.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    authorize(actor, 'skill-subsidy.read', { personId: p.id, region: p.region });
    const certs = await sql<{
      certificate_no: string;
      occupation: string;
      level: number;
      issue_date: string;
      issuer: string;
      application_id: unknown;
      status: string | null;
    }>`
      SELECT c.certificate_no, c.occupation, c.level, c.issue_date::text AS issue_date, c.issuer,
        (SELECT a.id FROM skill_subsidy_application a WHERE a.certificate_id = c.id ORDER BY a.id DESC LIMIT 1) AS application_id,
        (SELECT a.status FROM skill_subsidy_application a WHERE a.certificate_id = c.id ORDER BY a.id DESC LIMIT 1) AS status
      FROM vocational_certificate c WHERE c.id_number = ${p.id_number} ORDER BY c.issue_date DESC, c.id DESC`.execute(
      this.db,
    );
    const apps = await sql<Row>`${select} WHERE a.person_id = ${p.id} ORDER BY a.id DESC`.execute(this.db);
    return {
      certificates: certs.rows.map((c) => ({
        certificateNo: c.certificate_no,
        occupation: c.occupation,
        level: int(c.level),
        issueDate: c.issue_date,
        issuer: c.issuer,
        applicationId: c.application_id === null ? null : int(c.application_id),
        applicationStatus: c.status,
      })),
      applications: apps.rows.map((r) => asSeenBy(actor, view(r))),
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
    const p = await this.db
      .selectFrom('person')
      .select(['id', 'id_number', 'name', 'region', 'death_date', 'bank_account'])
      .where('id', '=', personId)
      .executeTakeFirst();
    if (!p) throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
    authorize(actor, 'skill-subsidy.apply', { personId: p.id, region: p.region });
    const no = input.certificateNo.trim().toUpperCase();
    if (!/^[A-Z0-9-]{6,40}$/.test(no))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'certificateNo',
        zh: '证书编号应为6至40位字母、数字或连字符',
        en: 'the certificate number must be 6 to 40 letters, digits or hyphens',
      });
    // Someone else's certificate and a number not in the register answer alike.
    const cert = await sql<{ id: unknown; occupation: string; level: number; issue_date: string }>`
      SELECT id, occupation, level, issue_date::text AS issue_date FROM vocational_certificate
      WHERE certificate_no = ${no} AND id_number = ${p.id_number}`.execute(this.db);
    const c = cert.rows[0];
    if (!c) throw notYours();
    const level = int(c.level);
    if (level < 3)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'certificateNo',
        zh: `技能提升补贴适用于五级、四级、三级证书；${skillLevelName(level, 'zh')}证书不在补贴范围`,
        en: 'the subsidy covers level 5, 4 and 3 certificates only',
      });
    const on = today();
    return this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(726354204, ${p.id}::int)`.execute(tx);
      const live = await sql<{
        certificate_id: unknown;
        occupation: string;
        level: number;
        applied_on: string;
      }>`
        SELECT a.certificate_id, vc.occupation, vc.level, a.applied_on::text AS applied_on FROM skill_subsidy_application a
        JOIN vocational_certificate vc ON vc.id = a.certificate_id
        WHERE a.person_id = ${p.id} AND a.status <> 'rejected'`.execute(tx);
      if (live.rows.some((x) => int(x.certificate_id) === int(c.id)))
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'certificateNo',
          zh: '该证书已申请过技能提升补贴',
          en: 'a subsidy was already applied for with this certificate',
        });
      if (live.rows.some((x) => x.occupation === c.occupation && int(x.level) <= level))
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'certificateNo',
          zh: `同一职业（工种）同一等级或更高等级已申领过补贴：${c.occupation}`,
          en: `a subsidy for this occupation at this or a higher level was already claimed: ${c.occupation}`,
        });
      if (live.rows.filter((x) => x.applied_on.slice(0, 4) === on.slice(0, 4)).length >= MAX_PER_YEAR)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'certificateNo',
          zh: `每人每年最多申领${MAX_PER_YEAR}次技能提升补贴`,
          en: `at most ${MAX_PER_YEAR} subsidies per person and year`,
        });
      const months = (await recordYears(tx, p.id)).reduce((s, y) => s + y.unemployment_months, 0);
      const trace = new Trace();
      trace.add(
        'certificate',
        `${no} ${c.occupation} level ${level}`,
        `证书 ${no} ${c.occupation} ${skillLevelName(level, 'zh')}`,
      );
      trace.add(
        'unemployment-insurance months paid (from the record)',
        months,
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
      const ins = await sql<{ id: unknown }>`
        INSERT INTO skill_subsidy_application (person_id, certificate_id, region, applied_on, contribution_months, eligible,
          amount_fen, reason, reason_zh, trace, status)
        VALUES (${p.id}, ${int(c.id)}, ${p.region}, ${on}, ${months}, ${r.eligible}, ${r.amountFen}, ${r.reason ?? null},
          ${r.reasonZh ?? null}, ${JSON.stringify(trace.steps)}::jsonb, 'submitted')
        RETURNING id`.execute(tx);
      const id = int(ins.rows[0]?.id);
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
      const row = await sql<Row>`${select} WHERE a.id = ${id}`.execute(tx);
      return view(row.rows[0] as Row);
    });
  }

  async get(actor: Actor, id: number): Promise<SkillSubsidyView> {
    authorize(actor, 'skill-subsidy.read');
    const r = await this.load(id);
    if (!r) {
      if (actor.role === 'citizen')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'skill-subsidy.read', en: 'skill-subsidy.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    authorize(actor, 'skill-subsidy.read', { personId: int(r.person_id), region: r.region.trim() });
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
      actor.role === 'citizen'
        ? sql`a.person_id = ${actor.personId ?? -1}`
        : regionCoversSql(sql`a.region`, actor.region ?? '000000');
    const where = sql`${scope} ${q.status === undefined ? sql`` : sql`AND a.status = ${q.status}`}`;
    const n = await sql<{
      n: unknown;
    }>`SELECT count(*) AS n FROM skill_subsidy_application a WHERE ${where}`.execute(this.db);
    const rows = await sql<Row>`${select} WHERE ${where}
      ORDER BY (a.status = 'submitted') DESC, a.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`.execute(
      this.db,
    );
    return {
      items: rows.rows.map((r) => asSeenBy(actor, view(r))),
      total: int(n.rows[0]?.n),
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
    authorize(actor, 'skill-subsidy.decide');
    const r = await this.load(id);
    if (!r) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    authorize(actor, 'skill-subsidy.decide', { region: r.region.trim() });
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
      const bank = await this.db
        .selectFrom('person')
        .select(['bank_account'])
        .where('id', '=', int(r.person_id))
        .executeTakeFirst();
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
      const a = await sql<{
        id: unknown;
        person_id: unknown;
        region: string;
        status: string;
        eligible: boolean;
        amount_fen: unknown;
      }>`
        SELECT id, person_id, region, status, eligible, amount_fen FROM skill_subsidy_application WHERE id = ${p.applicationId} FOR UPDATE`.execute(
        tx,
      );
      const row = a.rows[0];
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
        await sql`UPDATE skill_subsidy_application SET status = 'rejected', decision_note = ${p.note}, approval_id = ${approvalId},
          decided_by = ${maker.username}, decided_at = now() WHERE id = ${ref.id}`.execute(tx);
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
      const person = await tx
        .selectFrom('person')
        .select(['bank_name', 'bank_account'])
        .where('id', '=', ref.personId)
        .executeTakeFirstOrThrow();
      if (!person.bank_account)
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
      await sql`UPDATE skill_subsidy_application SET status = 'paid', approval_id = ${approvalId}, decided_by = ${maker.username},
          decided_at = now(), paid_on = ${on}, bank_name = ${person.bank_name}, bank_account = ${person.bank_account},
          journal_entry_id = ${entry.entryId}
        WHERE id = ${ref.id}`.execute(tx);
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
    paid: sql`SELECT region, sum(amount_fen)::bigint AS amount FROM skill_subsidy_application WHERE status = 'paid' GROUP BY region`,
    fund: 'unemployment',
    account: ACCOUNTS.benefitExpenditure,
    kind: SKILL_LEDGER_KIND,
  }),
];
