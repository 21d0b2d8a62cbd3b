// Declarations: an employer's monthly wages (API or CSV file, checked line by line against the
// registry, corrections of unbilled months, the same file twice recognised) and a flexible worker's
// chosen base. Each writes the declarations and the audit entry in one transaction.
import type { Actor } from '../auth/actor.ts';
import { foundInScope } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { periodEnd, periodStart, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import { formatMoney, MAX_WAGE_FEN } from '../core/money-text.ts';
import type { ParamStore } from '../core/params.ts';
import { clampToAverage } from '../core/rule-support.ts';
import type { Db } from '../db/connection.ts';
import { lockAssessmentPeriod } from './assessment.repository.ts';
import {
  employmentSpans,
  enrolmentCovering,
  findEmployer,
  personById,
  personsById,
  personsByIdNumber,
} from './contribution.repository.ts';
import { resolveContributionRates } from './contribution.rules.ts';
import {
  declarationMonths,
  existingDeclarations,
  insertFlexibleDeclaration,
  writeDeclarations,
  type NewDeclaration,
} from './declaration.repository.ts';
import { checkPeriod, parseDeclarationCsv, type LineError } from './declaration.rules.ts';
import { contentHash, insertUpload, priorUpload } from './upload.repository.ts';

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

const lineErr = (line: number, field: string, reason: string, reasonZh: string): LineError => ({
  line,
  field,
  reason,
  reasonZh,
});

/** The one answer for a line about anyone who is not the employer's staff in the period: it says nothing about the person. */
const notStaffLine = (line: number, field: string, period: Period): LineError =>
  lineErr(line, field, `not your staff in this period (${period})`, `不是本单位该期间的职工（${period}）`);

type DeclaringEmployer = NonNullable<Awaited<ReturnType<typeof findEmployer>>>;

interface DeclareInput {
  lines: DeclarationInputLine[];
  csv?: { text: string; filename: string | null };
  validateOnly?: boolean;
}

export class DeclarationService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** Employer declarations from the API (lines numbered from 1) or a CSV file (line 1 = header). */
  async declare(actor: Actor, employerId: number, input: DeclareInput): Promise<DeclareResult> {
    return this.declareFor(actor, await this.declaringEmployer(actor, employerId), input);
  }

  /** The declarations of an employer the caller may declare for (checked by the caller, once). */
  private async declareFor(
    actor: Actor,
    employer: DeclaringEmployer,
    input: DeclareInput,
  ): Promise<DeclareResult> {
    const employerId = employer.id;
    const now = today();
    const errors: LineError[] = [];
    const lines = input.lines;
    const hash = input.csv ? contentHash(input.csv.text) : null;
    const scope = `employer:${employerId}`;
    if (hash !== null) {
      const prior = await priorUpload(this.db, 'declarations', scope, hash);
      if (prior !== undefined)
        return {
          ok: true,
          inserted: 0,
          replaced: 0,
          unchanged: lines.length,
          duplicateUpload: true,
          uploadId: prior,
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
      // the file's cap (MAX_WAGE_FEN) holds for lines sent as JSON too
      if (!Number.isSafeInteger(l.wageFen) || l.wageFen < 0 || l.wageFen > MAX_WAGE_FEN) {
        errors.push(
          lineErr(
            l.line,
            'wage_fen',
            `the wage must be a whole number of fen ≥ 0, at most ${formatMoney(MAX_WAGE_FEN)}`,
            `月工资须为以分为单位的非负整数，不超过 ${formatMoney(MAX_WAGE_FEN)}`,
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
        const up = await insertUpload(tx, {
          kind: 'declarations',
          scope,
          hash,
          filename: input.csv.filename,
          lineCount: lines.length,
          result: { inserted: fresh.length, replaced: replace.length, unchanged },
          createdBy: actor.username,
        });
        if (up === undefined)
          return {
            ok: true as const,
            inserted: 0,
            replaced: 0,
            unchanged: lines.length,
            duplicateUpload: true,
            uploadId: null,
            changes: [],
          };
        uploadId = up;
      }
      // Wait for an assessment of these periods in progress (it holds the same lock).
      for (const period of new Set(fresh.map((f) => f.period)))
        await lockAssessmentPeriod(tx, employer.region, period);
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
    await this.declaringEmployer(actor, employerId);
    return declarationMonths(this.db, employerId, q);
  }

  /**
   * The employer whose declarations these are, if the caller may declare for it; another employer's
   * number (another city's, to staff) answers as an unknown one, naming the field and not the number.
   */
  private async declaringEmployer(actor: Actor, employerId: number): Promise<DeclaringEmployer> {
    return foundInScope(actor, 'declaration.submit', await findEmployer(this.db, employerId), (e) => ({
      employerIds: [e.id],
      region: e.region.trim(),
    }));
  }

  async declareCsv(
    actor: Actor,
    employerId: number,
    text: string,
    filename: string | null,
  ): Promise<DeclareResult> {
    // Refused before the file is read: another employer's file would otherwise get its line errors.
    const employer = await this.declaringEmployer(actor, employerId);
    const parsed = parseDeclarationCsv(text, today());
    if (parsed.errors.length > 0) {
      // Report the database checks of the good lines too, so one round fixes the whole file.
      const more =
        parsed.lines.length > 0
          ? await this.declareFor(actor, employer, { lines: parsed.lines, validateOnly: true }).then((r) =>
              r.ok ? [] : r.errors,
            )
          : [];
      return {
        ok: false,
        errors: [...parsed.errors, ...more].sort((a, b) => a.line - b.line || a.field.localeCompare(b.field)),
      };
    }
    return this.declareFor(actor, employer, { lines: parsed.lines, csv: { text, filename } });
  }

  /** A flexible worker's chosen base for a month, within 60%–300% of the average wage (the `contribution` rule's clamp). */
  async declareFlexible(
    actor: Actor,
    personId: number,
    input: { period: Period; baseFen: number },
  ): Promise<{ declarationId: number; floorFen: number; ceilingFen: number }> {
    // another person's number answers as an unknown one (no 403 telling that it exists, no number repeated)
    foundInScope(actor, 'declaration.flexible', await personById(this.db, personId), (x) => ({
      personId: x.id,
      region: x.region.trim(),
    }));
    const pe = checkPeriod(0, input.period, today());
    if (pe) throw new SbError('SB_ERR_INVALID_PERIOD', { field: 'period', zh: pe.reasonZh, en: pe.reason });
    const enr = await enrolmentCovering(this.db, personId, {
      scheme: 'employee_pension',
      kind: 'flexible',
      from: periodStart(input.period),
      to: periodEnd(input.period),
    });
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
        id = await insertFlexibleDeclaration(tx, {
          region: enr.region,
          period: input.period,
          personId,
          baseFen: input.baseFen,
          createdBy: actor.username,
        });
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
}
