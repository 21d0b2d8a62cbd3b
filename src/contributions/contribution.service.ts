// Contribution use cases: declare (API and CSV), flexible bases, residents' tiers, assess, pay (API
// and bank receipts), reverse, cancel, arrears. Each checks access, opens the transaction, writes the
// sub-ledger rows, posts the journal totals and the audit entry in that same transaction.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import { today } from '../core/clock.ts';
import { periodEnd, periodOf, periodStart, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { ACCOUNTS, postEntry, reverseEntry, type PostingLine } from '../ledger/journal.repository.ts';
import { assessPeriod, type AssessmentSummary } from './assessment.repository.ts';
import { clampToAverage } from '../core/rule-support.ts';
import { resolveContributionRates } from './contribution.rules.ts';
import {
  arrearsBills,
  billById,
  billForUpdate,
  billLines,
  billParts,
  employmentSpans,
  existingDeclarations,
  listBills,
  pensionFundOf,
  personsById,
  personsByIdNumber,
  declarationMonths,
  writeDeclarations,
  type BillRow,
  type NewDeclaration,
} from './contribution.repository.ts';
import { checkPeriod, parseDeclarationCsv, parseReceiptCsv, type LineError } from './declaration.rules.ts';
import { computeLateFee } from './late-fee.rules.ts';
import { residentContribution } from './resident-tier.rules.ts';

export type DeclareResult =
  | {
      ok: true;
      inserted: number;
      replaced: number;
      unchanged: number;
      duplicateUpload: boolean;
      uploadId: number | null;
      /** the corrections this submission made: the wage held before and the one now declared */
      changes: DeclarationChange[];
    }
  | { ok: false; errors: LineError[] };

export interface DeclarationChange {
  personId: number;
  name: string;
  period: Period;
  beforeFen: number;
  afterFen: number;
}

export interface DeclarationMonth {
  period: Period;
  persons: number;
  wageTotalFen: number;
  /** when the month's wages were first declared */
  declaredAt: string;
  /** the month has a live (not cancelled) bill: corrections then go through the agency */
  billed: boolean;
}

export interface DeclarationInputLine {
  line: number;
  personId?: number;
  idNumber?: string;
  name?: string | null;
  period: Period;
  wageFen: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const lineErr = (line: number, field: string, reason: string, reasonZh: string): LineError => ({
  line,
  field,
  reason,
  reasonZh,
});

/** The one answer for a line about anyone who is not the employer's staff in the period: it says nothing about the person. */
export const notStaffLine = (line: number, field: string, period: Period): LineError =>
  lineErr(line, field, `not your staff in this period (${period})`, `不是本单位该期间的职工（${period}）`);

export class ContributionService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  private async employerOf(employerId: number): Promise<{ id: number; region: string; name: string }> {
    const e = await this.db
      .selectFrom('employer')
      .select(['id', 'region', 'name'])
      .where('id', '=', employerId)
      .executeTakeFirst();
    if (!e)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'employerId',
        zh: `单位 ${employerId}`,
        en: `employer ${employerId}`,
      });
    return e;
  }

  // ---------------- declarations ----------------

  /** Employer declarations from the API (lines numbered from 1) or a CSV file (line 1 = header). */
  async declare(
    actor: Actor,
    employerId: number,
    input: {
      lines: DeclarationInputLine[];
      csv?: { text: string; filename: string | null };
      validateOnly?: boolean;
    },
  ): Promise<DeclareResult> {
    const employer = await this.employerOf(employerId);
    authorize(actor, 'declaration.submit', { employerIds: [employerId], region: employer.region });
    const now = today();
    const errors: LineError[] = [];
    const lines = input.lines;
    const hash = input.csv ? sha256(input.csv.text) : null;
    const scope = `employer:${employerId}`;
    if (hash !== null) {
      const prior = await this.db
        .selectFrom('contribution_upload')
        .select('id')
        .where('kind', '=', 'declarations')
        .where('scope', '=', scope)
        .where('content_hash', '=', hash)
        .executeTakeFirst();
      if (prior)
        return {
          ok: true,
          inserted: 0,
          replaced: 0,
          unchanged: lines.length,
          duplicateUpload: true,
          uploadId: prior.id,
          changes: [],
        };
    }
    // Resolve persons by ID number or id.
    const byNumber = await personsByIdNumber(this.db, [
      ...new Set(lines.flatMap((l) => (l.idNumber ? [l.idNumber] : []))),
    ]);
    const byId = await personsById(this.db, [
      ...new Set(lines.flatMap((l) => (l.personId !== undefined ? [l.personId] : []))),
    ]);
    // Employment spans with this employer of every person the lines name: a line for anyone who is
    // not this employer's staff in that period answers only that, whether or not the person exists,
    // and nothing from the registry (no name, no date of death).
    const spans = await employmentSpans(this.db, employerId, [
      ...new Set([...byNumber.values(), ...byId.values()].map((p) => Number(p.id))),
    ]);
    const employed: Array<{ l: DeclarationInputLine; personId: number }> = [];
    const names = new Map<number, string>();
    const seen = new Map<string, number>();
    for (const l of lines) {
      const pe = checkPeriod(l.line, l.period, now);
      if (pe) {
        errors.push(pe);
        continue;
      }
      if (!Number.isSafeInteger(l.wageFen) || l.wageFen < 0) {
        errors.push(
          lineErr(
            l.line,
            'wage_fen',
            'the wage must be a whole number of fen ≥ 0',
            '月工资须为以分为单位的非负整数',
          ),
        );
        continue;
      }
      const p =
        l.idNumber !== undefined
          ? byNumber.get(l.idNumber)
          : l.personId !== undefined
            ? byId.get(l.personId)
            : undefined;
      const staff =
        p !== undefined &&
        (spans.get(Number(p.id)) ?? []).some(
          (s) => s.start <= periodEnd(l.period) && (s.end === null || s.end >= periodStart(l.period)),
        );
      if (!p || !staff) {
        errors.push(notStaffLine(l.line, l.idNumber !== undefined ? 'id_number' : 'personId', l.period));
        continue;
      }
      if (l.name && l.name !== p.name) {
        errors.push(
          lineErr(
            l.line,
            'name',
            'the name does not match the registered name for this ID number',
            '姓名与该公民身份号码的登记姓名不一致',
          ),
        );
        continue;
      }
      if (p.death_date !== null && p.death_date < periodStart(l.period)) {
        errors.push(notStaffLine(l.line, 'period', l.period));
        continue;
      }
      const key = `${p.id}|${l.period}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push(
          lineErr(
            l.line,
            'period',
            `same person and period as line ${first}`,
            `与第 ${first} 行的人员和期间重复`,
          ),
        );
        continue;
      }
      seen.set(key, l.line);
      employed.push({ l, personId: Number(p.id) });
      names.set(Number(p.id), p.name);
    }
    const existing = await existingDeclarations(
      this.db,
      employerId,
      employed.map((r) => ({ personId: r.personId, period: r.l.period })),
    );
    const fresh: NewDeclaration[] = [];
    const replace: Array<{ id: number; wageFen: number }> = [];
    const changes: DeclarationChange[] = [];
    let unchanged = 0;
    for (const { l, personId } of employed) {
      const ex = existing.get(`${personId}|${l.period}`);
      if (!ex)
        fresh.push({
          kind: 'employee',
          region: employer.region,
          period: l.period,
          employerId,
          personId,
          wageFen: l.wageFen,
        });
      else if (ex.wage_fen === l.wageFen) unchanged++;
      else if (ex.billed)
        errors.push(
          lineErr(
            l.line,
            'wage_fen',
            `${l.period} is already assessed at ${ex.wage_fen} fen; ask the agency to cancel the bill first`,
            `${l.period} 已按 ${ex.wage_fen} 分核定，请先由经办机构作废账单`,
          ),
        );
      else {
        replace.push({ id: ex.id, wageFen: l.wageFen });
        changes.push({
          personId,
          name: names.get(personId) ?? '',
          period: l.period,
          beforeFen: ex.wage_fen,
          afterFen: l.wageFen,
        });
      }
    }
    if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
    if (input.validateOnly)
      return {
        ok: true,
        inserted: 0,
        replaced: 0,
        unchanged,
        duplicateUpload: false,
        uploadId: null,
        changes: [],
      };
    return this.db.transaction().execute(async (tx) => {
      let uploadId: number | null = null;
      if (hash !== null && input.csv) {
        const up = await tx
          .insertInto('contribution_upload')
          .values({
            kind: 'declarations',
            scope,
            content_hash: hash,
            filename: input.csv.filename,
            line_count: lines.length,
            result: JSON.stringify({ inserted: fresh.length, replaced: replace.length, unchanged }),
            created_by: actor.username,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!up)
          return {
            ok: true as const,
            inserted: 0,
            replaced: 0,
            unchanged: lines.length,
            duplicateUpload: true,
            uploadId: null,
            changes: [],
          };
        uploadId = up.id;
      }
      for (const period of new Set(fresh.map((f) => f.period))) {
        // Wait for an assessment of this period in progress (it holds the same lock).
        await sql`SELECT pg_advisory_xact_lock(726354100, hashtext(${`${employer.region}:${period}`}))`.execute(
          tx,
        );
      }
      await writeDeclarations(tx, fresh, replace, {
        uploadId,
        source: input.csv ? 'csv' : 'api',
        createdBy: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'declaration.submit',
        entityType: 'employer',
        entityId: employerId,
        region: employer.region,
        after: {
          inserted: fresh.length,
          replaced: replace.length,
          unchanged,
          periods: [...new Set(lines.map((l) => l.period))].sort(),
          uploadId,
          changes,
        },
      });
      return {
        ok: true as const,
        inserted: fresh.length,
        replaced: replace.length,
        unchanged,
        duplicateUpload: false,
        uploadId,
        changes,
      };
    });
  }

  /** The employer's declarations by month, newest first: people, wage total, corrections, billed. */
  async declarationHistory(
    actor: Actor,
    employerId: number,
    q: { page: number; pageSize: number },
  ): Promise<{ items: DeclarationMonth[]; total: number; page: number; pageSize: number }> {
    const employer = await this.employerOf(employerId);
    authorize(actor, 'declaration.submit', { employerIds: [employerId], region: employer.region });
    return declarationMonths(this.db, employerId, q);
  }

  async declareCsv(
    actor: Actor,
    employerId: number,
    text: string,
    filename: string | null,
  ): Promise<DeclareResult> {
    const parsed = parseDeclarationCsv(text, today());
    if (parsed.errors.length > 0) {
      // Report the database checks of the good lines too, so one round fixes the whole file.
      const more =
        parsed.lines.length > 0
          ? await this.declare(actor, employerId, { lines: parsed.lines, validateOnly: true }).then((r) =>
              r.ok ? [] : r.errors,
            )
          : [];
      return {
        ok: false,
        errors: [...parsed.errors, ...more].sort((a, b) => a.line - b.line || a.field.localeCompare(b.field)),
      };
    }
    return this.declare(actor, employerId, { lines: parsed.lines, csv: { text, filename } });
  }

  /** A flexible worker's chosen base for a month, within 60%–300% of the average wage (the `contribution` rule's clamp). */
  async declareFlexible(
    actor: Actor,
    personId: number,
    input: { period: Period; baseFen: number },
  ): Promise<{ declarationId: number; floorFen: number; ceilingFen: number }> {
    const person = (await personsById(this.db, [personId])).get(personId);
    if (!person)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'personId',
        zh: `参保人 ${personId}`,
        en: `person ${personId}`,
      });
    authorize(actor, 'declaration.flexible', { personId, region: person.region });
    const pe = checkPeriod(0, input.period, today());
    if (pe) throw new SbError('SB_ERR_INVALID_PERIOD', { field: 'period', zh: pe.reasonZh, en: pe.reason });
    const enr = await this.db
      .selectFrom('enrolment')
      .select(['region'])
      .where('person_id', '=', personId)
      .where('scheme', '=', 'employee_pension')
      .where('kind', '=', 'flexible')
      .where('start_date', '<=', periodEnd(input.period))
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', periodStart(input.period))]))
      .executeTakeFirst();
    if (!enr)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'period',
        zh: `${input.period} 未以灵活就业人员身份参加职工养老保险`,
        en: `not enrolled as a flexible worker in ${input.period}`,
      });
    const rates = resolveContributionRates(this.params, {
      region: enr.region,
      period: input.period,
      kind: 'flexible',
    });
    const c = clampToAverage(
      fen(input.baseFen, 'baseFen'),
      rates.averageWageFen,
      rates.floorPercent,
      rates.ceilingPercent,
    );
    if (input.baseFen < c.floorFen || input.baseFen > c.ceilingFen) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'baseFen',
        zh: `缴费基数须在 ${c.floorFen}–${c.ceilingFen} 分之间（社会平均工资的 ${rates.floorPercent}%–${rates.ceilingPercent}%）`,
        en: `the base must be ${c.floorFen}–${c.ceilingFen} fen (${rates.floorPercent}%–${rates.ceilingPercent}% of the average wage)`,
      });
    }
    const existing = await existingDeclarations(this.db, null, [{ personId, period: input.period }]);
    const ex = existing.get(`${personId}|${input.period}`);
    if (ex?.billed && ex.wage_fen !== input.baseFen)
      throw new SbError('SB_ERR_CONFLICT', {
        field: 'period',
        zh: `${input.period} 已核定`,
        en: `${input.period} is already assessed`,
      });
    return this.db.transaction().execute(async (tx) => {
      let id: number;
      if (ex) {
        await writeDeclarations(
          tx,
          [],
          ex.wage_fen === input.baseFen ? [] : [{ id: ex.id, wageFen: input.baseFen }],
          { uploadId: null, source: 'api', createdBy: actor.username },
        );
        id = ex.id;
      } else {
        const r = await tx
          .insertInto('contribution_declaration')
          .values({
            kind: 'flexible',
            region: enr.region,
            period: input.period,
            employer_id: null,
            person_id: personId,
            wage_fen: input.baseFen,
            upload_id: null,
            source: 'api',
            created_by: actor.username,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = r.id;
      }
      await appendAudit(tx, actor, {
        action: 'declaration.flexible',
        entityType: 'person',
        entityId: personId,
        region: enr.region,
        subjectPersonId: personId,
        after: { period: input.period, baseFen: input.baseFen },
      });
      return { declarationId: Number(id), floorFen: c.floorFen, ceilingFen: c.ceilingFen };
    });
  }

  /** A resident's tier for a year: a bill for the person's part, the subsidy (and 代缴) receivable from government. */
  async chooseResidentTier(
    actor: Actor,
    personId: number,
    input: { year: number; tierFen: number },
  ): Promise<{
    billId: number;
    tierFen: number;
    personFen: number;
    subsidyFen: number;
    governmentPaidFen: number;
  }> {
    const person = (await personsById(this.db, [personId])).get(personId);
    if (!person)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'personId',
        zh: `参保人 ${personId}`,
        en: `person ${personId}`,
      });
    authorize(actor, 'declaration.resident', { personId, region: person.region });
    const now = today();
    if (!Number.isInteger(input.year) || input.year < 2014 || input.year > Number(now.slice(0, 4))) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'year',
        zh: `年度 ${input.year}`,
        en: `year ${input.year}`,
      });
    }
    const enr = await this.db
      .selectFrom('enrolment')
      .select(['region'])
      .where('person_id', '=', personId)
      .where('scheme', '=', 'resident_pension')
      .where('start_date', '<=', `${input.year}-12-31`)
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', `${input.year}-01-01`)]))
      .executeTakeFirst();
    if (!enr)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'year',
        zh: `${input.year} 年未参加城乡居民养老保险`,
        en: `not enrolled in the residents' pension in ${input.year}`,
      });
    const rc = residentContribution(this.params, {
      region: enr.region,
      year: input.year,
      tierFen: input.tierFen,
      hardshipGroup: person.hardship_group,
    });
    return this.db.transaction().execute(async (tx) => {
      const prior = await tx
        .selectFrom('resident_tier_choice')
        .select(['bill_id'])
        .where('person_id', '=', personId)
        .where('year', '=', input.year)
        .executeTakeFirst();
      if (prior)
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'year',
          zh: `${input.year} 年已选择缴费档次`,
          en: `a tier is already chosen for ${input.year}`,
        });
      const period = `${input.year}-01`;
      const personFen = rc.personFen;
      const paidNow = personFen === 0;
      const bill = await tx
        .insertInto('contribution_bill')
        .values({
          assessment_id: null,
          region: enr.region,
          period,
          payer_kind: 'resident',
          employer_id: null,
          person_id: personId,
          due_date: `${input.year}-12-31`,
          lines: 1,
          pension_employee_fen: personFen,
          personal_account_fen: rc.tierFen + rc.subsidyFen,
          subsidy_fen: rc.subsidyFen + rc.governmentPaidFen,
          total_fen: personFen,
          status: paidNow ? 'paid' : 'open',
          paid_date: paidNow ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('contribution_bill_line')
        .values({
          bill_id: bill.id,
          person_id: personId,
          period,
          base_fen: rc.tierFen,
          pension_employer_fen: 0,
          pension_employee_fen: personFen,
          personal_account_fen: rc.tierFen + rc.subsidyFen,
          unemployment_employer_fen: 0,
          unemployment_employee_fen: 0,
          injury_fen: 0,
          waived_fen: 0,
        })
        .execute();
      await tx
        .insertInto('resident_tier_choice')
        .values({
          person_id: personId,
          year: input.year,
          region: enr.region,
          tier_fen: rc.tierFen,
          subsidy_fen: rc.subsidyFen,
          government_paid_fen: rc.governmentPaidFen,
          bill_id: bill.id,
          created_by: actor.username,
        })
        .execute();
      const gov = rc.subsidyFen + rc.governmentPaidFen;
      const lines: PostingLine[] = [
        { account: ACCOUNTS.contributionsReceivable, debitFen: personFen },
        { account: ACCOUNTS.subsidiesReceivable, debitFen: gov },
        { account: ACCOUNTS.contributionIncome, creditFen: personFen },
        { account: ACCOUNTS.subsidyIncome, creditFen: gov },
      ];
      if (paidNow)
        lines.push(
          { account: ACCOUNTS.pooledFund, debitFen: rc.tierFen + rc.subsidyFen },
          { account: ACCOUNTS.personalAccountFund, creditFen: rc.tierFen + rc.subsidyFen },
        );
      await postEntry(tx, actor, {
        fund: 'resident_pension',
        region: enr.region,
        period,
        entryDate: now,
        kind: 'contribution.resident',
        description: `城乡居民养老保险 ${input.year} 年缴费档次 ${rc.tierFen / 100} 元（个人 ${personFen / 100}，补贴及代缴 ${gov / 100}）/ residents' pension tier`,
        idempotencyKey: `resident:${personId}:${input.year}`,
        source: { type: 'bill', id: bill.id },
        lines,
      });
      await appendAudit(tx, actor, {
        action: 'declaration.resident',
        entityType: 'person',
        entityId: personId,
        region: enr.region,
        subjectPersonId: personId,
        after: { year: input.year, ...rc, billId: bill.id },
      });
      return {
        billId: Number(bill.id),
        tierFen: rc.tierFen,
        personFen,
        subsidyFen: rc.subsidyFen,
        governmentPaidFen: rc.governmentPaidFen,
      };
    });
  }

  // ---------------- assessment ----------------

  async assess(actor: Actor, input: { region: string; period: Period }): Promise<AssessmentSummary> {
    authorize(actor, 'assessment.run', { region: input.region });
    const pe = checkPeriod(0, input.period, today());
    if (pe) throw new SbError('SB_ERR_INVALID_PERIOD', { field: 'period', zh: pe.reasonZh, en: pe.reason });
    return this.db.transaction().execute(async (tx) => {
      const s = await assessPeriod(tx, this.params, {
        region: input.region,
        period: input.period,
        today: today(),
        createdBy: actor.username,
      });
      await postAssessment(tx, actor, s);
      await appendAudit(tx, actor, {
        action: 'assessment.run',
        entityType: 'contribution_assessment',
        entityId: s.assessmentId,
        region: input.region,
        after: s,
      });
      return s;
    });
  }

  // ---------------- bills ----------------

  private async billWithAccess(
    actor: Actor,
    billId: number,
    action: 'bill.read' | 'payment.record' | 'bill.cancel' | 'payment.reverse',
  ): Promise<BillRow> {
    const b = await billById(this.db, billId);
    if (!b) {
      // A payer learns nothing from an unknown number: the same refusal as for someone else's bill.
      if (actor.role === 'employer' || actor.role === 'citizen')
        authorize(actor, action, { personId: null, employerIds: [], region: null });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'billId', zh: `账单 ${billId}`, en: `bill ${billId}` });
    }
    authorize(actor, action, {
      personId: b.person_id,
      employerIds: b.employer_id === null ? [] : [b.employer_id],
      region: b.region,
    });
    return b;
  }

  async getBill(actor: Actor, billId: number) {
    const b = await this.billWithAccess(actor, billId, 'bill.read');
    if (b.person_id !== null)
      await auditStaffReads(this.db, actor, [
        {
          action: 'bill.read',
          personId: Number(b.person_id),
          region: b.region,
          entityType: 'contribution_bill',
          entityId: billId,
        },
      ]);
    const lines = await billLines(this.db, billId);
    const due = amountDue(this.params, b, today());
    return {
      bill: billView(b),
      lines: lines.map((l) => ({
        ...l,
        person_id: Number(l.person_id),
        id_number: `${l.id_number.slice(0, 6)}********${l.id_number.slice(14)}`,
      })),
      due,
    };
  }

  async listBills(
    actor: Actor,
    f: {
      employerId?: number;
      personId?: number;
      region?: string;
      period?: string;
      status?: string;
      page: number;
      pageSize: number;
    },
  ) {
    if (f.employerId !== undefined) {
      const e = await this.employerOf(f.employerId);
      authorize(actor, 'bill.read', { employerIds: [f.employerId], region: e.region });
    } else if (f.personId !== undefined) {
      const p = (await personsById(this.db, [f.personId])).get(f.personId);
      authorize(actor, 'bill.read', { personId: f.personId, region: p?.region ?? null });
      if (p)
        await auditStaffReads(this.db, actor, [
          { action: 'bill.read', personId: f.personId, region: p.region },
        ]);
    } else {
      authorize(actor, 'bill.read', { region: f.region ?? actor.region });
    }
    const region =
      f.employerId === undefined && f.personId === undefined
        ? (f.region ?? actor.region ?? undefined)
        : f.region;
    const r = await listBills(this.db, {
      ...f,
      ...(region === undefined ? {} : { region }),
      limit: f.pageSize,
      offset: (f.page - 1) * f.pageSize,
    });
    return { items: r.items.map(billView), total: r.total, page: f.page, pageSize: f.pageSize };
  }

  async arrears(actor: Actor, f: { region?: string; employerId?: number; asOf?: string }) {
    const asOf = f.asOf ?? today();
    if (f.employerId !== undefined) {
      const e = await this.employerOf(f.employerId);
      authorize(actor, 'bill.read', { employerIds: [f.employerId], region: e.region });
    } else authorize(actor, 'bill.read', { region: f.region ?? actor.region });
    const region = f.employerId === undefined ? (f.region ?? actor.region ?? undefined) : undefined;
    const bills = await arrearsBills(this.db, {
      ...(region === undefined ? {} : { region }),
      ...(f.employerId === undefined ? {} : { employerId: f.employerId }),
      asOf,
      limit: 1000,
    });
    const items = bills.map((b) => ({ bill: billView(b), due: amountDue(this.params, b, asOf) }));
    return {
      asOf,
      items,
      totalArrearsFen: items.reduce((s, i) => s + i.due.contributionFen, 0),
      totalLateFeeFen: items.reduce((s, i) => s + i.due.lateFeeFen, 0),
    };
  }

  async cancelBill(actor: Actor, billId: number, reason: string) {
    await this.billWithAccess(actor, billId, 'bill.cancel');
    return this.db.transaction().execute(async (tx) => {
      const b = await billForUpdate(tx, billId);
      if (!b || b.status !== 'open')
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '只能作废未缴账单',
          en: 'only an open bill can be cancelled',
        });
      await tx
        .updateTable('contribution_bill')
        .set({ status: 'cancelled' })
        .where('id', '=', billId)
        .execute();
      for (const p of billParts(b)) {
        if (p.amountFen === 0 && !(b.payer_kind === 'resident' && Number(b.subsidy_fen) > 0)) continue;
        const lines: PostingLine[] = [
          { account: ACCOUNTS.contributionIncome, debitFen: p.amountFen },
          { account: ACCOUNTS.contributionsReceivable, creditFen: p.amountFen },
        ];
        if (b.payer_kind === 'resident')
          lines.push(
            { account: ACCOUNTS.subsidyIncome, debitFen: Number(b.subsidy_fen) },
            { account: ACCOUNTS.subsidiesReceivable, creditFen: Number(b.subsidy_fen) },
          );
        await postEntry(tx, actor, {
          fund: p.fund,
          region: b.region,
          period: b.period,
          entryDate: today(),
          kind: 'contribution.bill-cancel',
          description: `作废账单 #${billId}：${reason} / bill cancelled`,
          idempotencyKey: `bill-cancel:${billId}:${p.fund}`,
          source: { type: 'bill', id: billId },
          lines,
        });
      }
      await appendAudit(tx, actor, {
        action: 'bill.cancel',
        entityType: 'contribution_bill',
        entityId: billId,
        region: b.region,
        subjectPersonId: b.person_id,
        before: { status: 'open' },
        after: { status: 'cancelled' },
        reason,
      });
      return { billId, status: 'cancelled' as const };
    });
  }

  // ---------------- payments ----------------

  /** Pays a bill in full (contributions + late fee to the payment date). A different amount is refused. */
  async pay(
    actor: Actor,
    billId: number,
    input: { amountFen?: number; paidDate?: string; bankRef?: string; reason?: string },
  ) {
    await this.billWithAccess(actor, billId, 'payment.record');
    // A payer (employer, flexible worker, resident) is dated by the server's clock: a date of their
    // own choosing is ignored, so nobody dodges the late fee by dating a payment back. An earlier
    // date comes from a bank receipt import (with the bank's reference) or from staff with a reason.
    const payer = actor.role === 'employer' || actor.role === 'citizen';
    const paidDate = payer ? today() : (input.paidDate ?? today());
    if (paidDate > today())
      throw new SbError('SB_ERR_INVALID_DATE', {
        field: 'paidDate',
        zh: '缴费日期晚于今天',
        en: 'the payment date is in the future',
      });
    const backdated = paidDate < today();
    // The command line (system) is the operator's own tool, audited as such.
    const reason =
      input.reason?.trim() || (actor.role === 'system' ? `dated by the operator ${actor.username}` : '');
    if (backdated && reason.length < 2)
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'reason',
        zh: '缴费日期早于今天时须填写原因（如银行回单日期）',
        en: 'a payment dated before today needs a reason (for example the date on the bank slip)',
      });
    return this.db.transaction().execute(async (tx) => {
      if (input.bankRef !== undefined) {
        const dup = await tx
          .selectFrom('contribution_payment')
          .selectAll()
          .where('bank_ref', '=', input.bankRef)
          .executeTakeFirst();
        if (dup) {
          if (dup.bill_id === billId) return paymentView(dup);
          throw new SbError('SB_ERR_DUPLICATE', {
            field: 'bankRef',
            zh: `流水号 ${input.bankRef} 已入账`,
            en: `bank reference ${input.bankRef} already recorded`,
          });
        }
      }
      const b = await billForUpdate(tx, billId);
      if (!b) throw new SbError('SB_ERR_NOT_FOUND', { field: 'billId' });
      if (b.status !== 'open')
        throw new SbError('SB_ERR_CONFLICT', { zh: `账单状态为 ${b.status}`, en: `the bill is ${b.status}` });
      const due = amountDue(this.params, b, paidDate);
      if (input.amountFen !== undefined && input.amountFen !== due.totalFen) {
        throw new SbError('SB_ERR_AMOUNT_MISMATCH', {
          field: 'amountFen',
          zh: `应缴 ${due.totalFen} 分（含滞纳金 ${due.lateFeeFen} 分）`,
          en: `${due.totalFen} fen is due (late fee ${due.lateFeeFen} fen included)`,
        });
      }
      const p = await applyPayment(tx, actor, b, due, {
        paidDate,
        bankRef: input.bankRef ?? null,
        source: 'api',
        uploadId: null,
      });
      await appendAudit(tx, actor, {
        action: 'payment.record',
        entityType: 'contribution_bill',
        entityId: billId,
        region: b.region,
        subjectPersonId: b.person_id,
        after: {
          ...paymentView(p),
          ...(backdated ? { backdated: true, recordedOn: today() } : {}),
          ...(payer && input.paidDate !== undefined && input.paidDate !== paidDate
            ? { clientDateIgnored: input.paidDate }
            : {}),
        },
        ...(backdated ? { reason } : {}),
      });
      return paymentView(p);
    });
  }

  /** Bank receipts: malformed lines reject the file; well-formed receipts that match no open bill exactly are held as unallocated. */
  async importReceipts(actor: Actor, region: string, text: string, filename: string | null) {
    authorize(actor, 'payment.import', { region });
    const parsed = parseReceiptCsv(text, today());
    if (parsed.errors.length > 0) return { ok: false as const, errors: parsed.errors };
    const hash = sha256(text);
    return this.db.transaction().execute(async (tx) => {
      const up = await tx
        .insertInto('contribution_upload')
        .values({
          kind: 'bank_receipts',
          scope: `region:${region}`,
          content_hash: hash,
          filename,
          line_count: parsed.lines.length,
          created_by: actor.username,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!up)
        return {
          ok: true as const,
          duplicateUpload: true,
          matched: 0,
          unallocated: 0,
          skipped: parsed.lines.length,
          results: [],
        };
      const results: Array<{
        line: number;
        bankRef: string;
        status: 'matched' | 'unallocated' | 'skipped';
        paymentId: number | null;
        reason?: string;
      }> = [];
      for (const r of parsed.lines) {
        const dup = await tx
          .selectFrom('contribution_payment')
          .select(['id'])
          .where('bank_ref', '=', r.bankRef)
          .executeTakeFirst();
        if (dup) {
          results.push({
            line: r.line,
            bankRef: r.bankRef,
            status: 'skipped',
            paymentId: Number(dup.id),
            reason: 'already recorded / 已入账',
          });
          continue;
        }
        const b = await billForUpdate(tx, r.billId);
        let reason: string | undefined;
        if (!b || b.region !== region) reason = 'no such bill in this region / 本地区无此账单';
        else if (b.status !== 'open') reason = `bill is ${b.status} / 账单状态 ${b.status}`;
        if (b && reason === undefined) {
          const due = amountDue(this.params, b, r.paidDate);
          if (due.totalFen === r.amountFen) {
            const p = await applyPayment(tx, actor, b, due, {
              paidDate: r.paidDate,
              bankRef: r.bankRef,
              source: 'bank',
              uploadId: up.id,
            });
            results.push({ line: r.line, bankRef: r.bankRef, status: 'matched', paymentId: Number(p.id) });
            continue;
          }
          reason = `amount ${r.amountFen} ≠ due ${due.totalFen} / 金额与应缴不符`;
        }
        const p = await holdUnallocated(tx, actor, {
          region,
          billId: b?.id ?? null,
          employerId: b?.employer_id ?? null,
          personId: b?.person_id ?? null,
          amountFen: r.amountFen,
          paidDate: r.paidDate,
          bankRef: r.bankRef,
          uploadId: up.id,
        });
        results.push({
          line: r.line,
          bankRef: r.bankRef,
          status: 'unallocated',
          paymentId: p,
          ...(reason === undefined ? {} : { reason }),
        });
      }
      const summary = {
        matched: results.filter((x) => x.status === 'matched').length,
        unallocated: results.filter((x) => x.status === 'unallocated').length,
        skipped: results.filter((x) => x.status === 'skipped').length,
      };
      await tx
        .updateTable('contribution_upload')
        .set({ result: JSON.stringify(summary) })
        .where('id', '=', up.id)
        .execute();
      // Receipts dated before today: the bank's date and reference, kept with the import's entry.
      const backdated = parsed.lines
        .filter((r) => r.paidDate < today())
        .filter((r) => results.some((x) => x.line === r.line && x.status !== 'skipped'))
        .map((r) => ({ bankRef: r.bankRef, billId: r.billId, paidDate: r.paidDate }));
      await appendAudit(tx, actor, {
        action: 'payment.import',
        entityType: 'contribution_upload',
        entityId: up.id,
        region,
        after: { filename, ...summary, ...(backdated.length > 0 ? { backdated } : {}) },
        ...(backdated.length > 0 ? { reason: `bank receipts dated by the bank (${backdated.length})` } : {}),
      });
      return { ok: true as const, duplicateUpload: false, ...summary, results };
    });
  }

  /** A payment returned by the bank: its entries are reversed and the bill is open again. */
  async reversePayment(actor: Actor, paymentId: number, reason: string) {
    const p = await this.db
      .selectFrom('contribution_payment')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirst();
    if (!p) throw new SbError('SB_ERR_NOT_FOUND', { field: 'paymentId' });
    authorize(actor, 'payment.reverse', { region: p.region });
    return this.db.transaction().execute(async (tx) => {
      const cur = await tx
        .selectFrom('contribution_payment')
        .selectAll()
        .where('id', '=', paymentId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (cur.status === 'reversed') return { paymentId, status: 'reversed' as const };
      await reversePaymentEntries(tx, actor, paymentId, reason);
      await tx
        .updateTable('contribution_payment')
        .set({ status: 'reversed' })
        .where('id', '=', paymentId)
        .execute();
      if (cur.status === 'matched' && cur.bill_id !== null)
        await tx
          .updateTable('contribution_bill')
          .set({ status: 'open', paid_date: null })
          .where('id', '=', cur.bill_id)
          .execute();
      await appendAudit(tx, actor, {
        action: 'payment.reverse',
        entityType: 'contribution_payment',
        entityId: paymentId,
        region: cur.region,
        subjectPersonId: cur.person_id,
        before: { status: cur.status },
        after: { status: 'reversed' },
        reason,
      });
      return { paymentId, status: 'reversed' as const };
    });
  }
}

// ---------------- postings (shared with the jobs) ----------------

export async function postAssessment(tx: Db, actor: Actor, s: AssessmentSummary): Promise<void> {
  for (const fund of ['employee_pension', 'unemployment', 'injury'] as const) {
    const amount = s.byFund[fund];
    if (amount === 0) continue;
    await postEntry(tx, actor, {
      fund,
      region: s.region,
      period: s.period,
      entryDate: today(),
      kind: 'contribution.assessment',
      description: `${s.period} 社会保险费核定（第 ${s.runNo} 次，${s.bills} 张账单）/ assessment run ${s.runNo}`,
      idempotencyKey: `assessment:${s.assessmentId}:${fund}`,
      source: { type: 'assessment', id: s.assessmentId },
      lines: [
        { account: ACCOUNTS.contributionsReceivable, debitFen: amount },
        { account: ACCOUNTS.contributionIncome, creditFen: amount },
      ],
    });
  }
}

export interface AmountDue {
  contributionFen: number;
  lateDays: number;
  lateFeeFen: number;
  totalFen: number;
  parts: Array<{ fund: Fund; amountFen: number; lateFeeFen: number }>;
}

export function amountDue(params: ParamStore, b: BillRow, paidDate: string): AmountDue {
  const parts = billParts(b).filter((p) => p.amountFen > 0);
  const r = computeLateFee(
    { region: b.region, dueDate: b.due_date, paidDate, amountsFen: parts.map((p) => fen(p.amountFen)) },
    params,
  );
  const contributionFen = parts.reduce((s, p) => s + p.amountFen, 0);
  return {
    contributionFen,
    lateDays: r.lateDays,
    lateFeeFen: r.lateFeeFen,
    totalFen: contributionFen + r.lateFeeFen,
    parts: parts.map((p, i) => ({ ...p, lateFeeFen: r.parts[i]?.lateFeeFen ?? 0 })),
  };
}

async function applyPayment(
  tx: Db,
  actor: Actor,
  b: BillRow,
  due: AmountDue,
  m: { paidDate: string; bankRef: string | null; source: string; uploadId: number | null },
) {
  const fee = (f: Fund) => due.parts.find((p) => p.fund === f)?.lateFeeFen ?? 0;
  const p = await tx
    .insertInto('contribution_payment')
    .values({
      region: b.region,
      bill_id: b.id,
      employer_id: b.employer_id,
      person_id: b.person_id,
      amount_fen: due.totalFen,
      contribution_fen: due.contributionFen,
      late_fee_fen: due.lateFeeFen,
      late_fee_pension_fen: fee('employee_pension') + fee('resident_pension'),
      late_fee_unemployment_fen: fee('unemployment'),
      late_fee_injury_fen: fee('injury'),
      late_days: due.lateDays,
      paid_date: m.paidDate,
      bank_ref: m.bankRef,
      source: m.source,
      status: 'matched',
      upload_id: m.uploadId,
      created_by: actor.username,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('contribution_bill')
    .set({ status: 'paid', paid_date: m.paidDate })
    .where('id', '=', b.id)
    .execute();
  // The online hall tells the payer the payment was received.
  const paid = {
    billId: b.id,
    employerId: b.employer_id,
    personId: b.person_id,
    region: b.region,
    period: b.period,
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'payment.recorded', payload: JSON.stringify({ ...paid, amountFen: due.totalFen }) })
    .execute();
  const pensionFund = pensionFundOf(b.payer_kind);
  for (const part of due.parts) {
    const lines: PostingLine[] = [
      { account: ACCOUNTS.bank, debitFen: part.amountFen + part.lateFeeFen },
      { account: ACCOUNTS.contributionsReceivable, creditFen: part.amountFen },
      { account: ACCOUNTS.lateFeeIncome, creditFen: part.lateFeeFen },
    ];
    if (part.fund === pensionFund && Number(b.personal_account_fen) > 0) {
      lines.push(
        { account: ACCOUNTS.pooledFund, debitFen: Number(b.personal_account_fen) },
        { account: ACCOUNTS.personalAccountFund, creditFen: Number(b.personal_account_fen) },
      );
    }
    await postEntry(tx, actor, {
      fund: part.fund,
      region: b.region,
      period: periodOf(m.paidDate),
      entryDate: m.paidDate,
      kind: 'contribution.payment',
      description: `账单 #${b.id}（${b.period}）缴费${due.lateDays > 0 ? `，滞纳 ${due.lateDays} 天` : ''} / payment of bill ${b.id}`,
      idempotencyKey: `payment:${p.id}:${part.fund}`,
      source: { type: 'payment', id: p.id },
      lines,
    });
  }
  // A resident whose whole part was paid by government has no money part: credit the account alone.
  if (due.parts.length === 0 && Number(b.personal_account_fen) > 0) {
    await postEntry(tx, actor, {
      fund: pensionFund,
      region: b.region,
      period: periodOf(m.paidDate),
      entryDate: m.paidDate,
      kind: 'contribution.payment',
      description: `账单 #${b.id} 记入个人账户 / account credit`,
      idempotencyKey: `payment:${p.id}:${pensionFund}`,
      source: { type: 'payment', id: p.id },
      lines: [
        { account: ACCOUNTS.pooledFund, debitFen: Number(b.personal_account_fen) },
        { account: ACCOUNTS.personalAccountFund, creditFen: Number(b.personal_account_fen) },
      ],
    });
  }
  return p;
}

async function holdUnallocated(
  tx: Db,
  actor: Actor,
  m: {
    region: string;
    billId: number | null;
    employerId: number | null;
    personId: number | null;
    amountFen: number;
    paidDate: string;
    bankRef: string;
    uploadId: number;
  },
): Promise<number> {
  const p = await tx
    .insertInto('contribution_payment')
    .values({
      region: m.region,
      bill_id: m.billId,
      employer_id: m.employerId,
      person_id: m.personId,
      amount_fen: m.amountFen,
      paid_date: m.paidDate,
      bank_ref: m.bankRef,
      source: 'bank',
      status: 'unallocated',
      upload_id: m.uploadId,
      created_by: actor.username,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postEntry(tx, actor, {
    fund: 'employee_pension',
    region: m.region,
    period: periodOf(m.paidDate),
    entryDate: m.paidDate,
    kind: 'contribution.unallocated',
    description: `暂收款（流水 ${m.bankRef}）/ unallocated receipt`,
    idempotencyKey: `payment:${p.id}:unallocated`,
    source: { type: 'payment', id: p.id },
    lines: [
      { account: ACCOUNTS.bank, debitFen: m.amountFen },
      { account: ACCOUNTS.unallocatedReceipts, creditFen: m.amountFen },
    ],
  });
  return Number(p.id);
}

export async function reversePaymentEntries(
  tx: Db,
  actor: Actor,
  paymentId: number,
  reason: string,
): Promise<void> {
  const entries = await tx
    .selectFrom('journal_entry')
    .select('id')
    .where('source_type', '=', 'payment')
    .where('source_id', '=', String(paymentId))
    .where('reverses_entry_id', 'is', null)
    .where('kind', 'like', 'contribution.%')
    .execute();
  for (const e of entries) await reverseEntry(tx, actor, Number(e.id), today(), reason);
}

export function billView(b: BillRow) {
  return {
    id: Number(b.id),
    region: b.region,
    period: b.period,
    payerKind: b.payer_kind,
    employerId: b.employer_id === null ? null : Number(b.employer_id),
    personId: b.person_id === null ? null : Number(b.person_id),
    backPayment: b.back_payment,
    dueDate: b.due_date,
    averageWageFen: Number(b.average_wage_fen),
    lines: Number(b.lines),
    pensionEmployerFen: Number(b.pension_employer_fen),
    pensionEmployeeFen: Number(b.pension_employee_fen),
    personalAccountFen: Number(b.personal_account_fen),
    unemploymentEmployerFen: Number(b.unemployment_employer_fen),
    unemploymentEmployeeFen: Number(b.unemployment_employee_fen),
    injuryFen: Number(b.injury_fen),
    subsidyFen: Number(b.subsidy_fen),
    waivedFen: Number(b.waived_fen),
    totalFen: Number(b.total_fen),
    status: b.status,
    paidDate: b.paid_date,
  };
}

export function paymentView(p: {
  id: number;
  bill_id: number | null;
  amount_fen: number;
  contribution_fen: number;
  late_fee_fen: number;
  late_days: number;
  paid_date: string;
  bank_ref: string | null;
  status: string;
}) {
  return {
    paymentId: Number(p.id),
    billId: p.bill_id === null ? null : Number(p.bill_id),
    amountFen: Number(p.amount_fen),
    contributionFen: Number(p.contribution_fen),
    lateFeeFen: Number(p.late_fee_fen),
    lateDays: Number(p.late_days),
    paidDate: p.paid_date,
    bankRef: p.bank_ref,
    status: p.status,
  };
}
