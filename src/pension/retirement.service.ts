// Retirement decisions: the due list, cases opened by a clerk, computed from the person's record with
// the employee-pension (or resident-pension) rule, submitted, and approved or returned by a reviewer
// who is neither the creator nor linked to the creator's person. Approval creates the award and its
// initial amount from the month after retirement, in one transaction with the status change, which
// is an UPDATE … WHERE status = 'pending_review' AND version = ? (two reviewers: one wins, the other
// gets SB_ERR_CONFLICT).
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { checkFourEyes as checkCaseFourEyes, personOfUser } from '../auth/four-eyes.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import {
  addMonths,
  addPeriods,
  ageInMonths,
  parseDate,
  parsePeriod,
  periodOf,
  periodRange,
  type IsoDate,
} from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import type { PensionScheme, RetirementCaseTable } from '../db/database.ts';
import { regionOrAncestorSql } from '../db/region-sql.ts';
import type { Selectable } from 'kysely';
import { queueArrears } from './award.service.ts';
import { parameterVersions } from './decision-trace.ts';
import { computeEmployeePension, type EmployeePensionInput } from './employee-pension.rules.ts';
import { int } from '../db/values.ts';
import { amountInForce, regionCoversSql } from './pension.repository.ts';
import { pensionRecord, recordSummary } from './person-record.repository.ts';
import { computeContributionIndex } from '../contributions/contribution-index.rules.ts';
import { computeResidentPension } from './resident-pension.rules.ts';
import {
  computeRetirementAge,
  ORIGINAL_AGE_MONTHS,
  type RetirementCategory,
} from './retirement-age.rules.ts';

/** The trace step that opens each computation of a case. */
const COMPUTED_ON = 'computed on';
export type CaseRow = Selectable<RetirementCaseTable>;
const FLEX_MONTHS = 36;

export interface CaseView {
  id: number;
  personId: number;
  scheme: PensionScheme;
  region: string;
  retirementKind: 'statutory' | 'early' | 'late';
  retirementDate: string;
  status: string;
  eligible: boolean | null;
  missingMonths: number | null;
  options: unknown;
  inputs: unknown;
  parameterVersions: unknown;
  trace: unknown;
  result: unknown;
  monthlyFen: number | null;
  createdBy: string;
  reviewedBy: string | null;
  reviewNote: string | null;
  awardId: number | null;
  version: number;
}

export function caseView(c: CaseRow): CaseView {
  return {
    id: c.id,
    personId: c.person_id,
    scheme: c.scheme,
    region: c.region,
    retirementKind: c.retirement_kind,
    retirementDate: c.retirement_date,
    status: c.status,
    eligible: c.eligible,
    missingMonths: c.missing_months,
    options: c.options,
    inputs: c.inputs,
    parameterVersions: c.parameter_versions,
    trace: c.trace,
    result: c.result,
    monthlyFen: c.monthly_fen,
    createdBy: c.created_by,
    reviewedBy: c.reviewed_by,
    reviewNote: c.review_note,
    awardId: c.award_id,
    version: c.version,
  };
}

function categoryOf(sex: 'M' | 'F', requested: RetirementCategory | undefined): RetirementCategory {
  if (sex === 'M') return 'male';
  return requested === 'female-55' ? 'female-55' : 'female-50';
}

export interface DueItem {
  personId: number;
  name: string;
  birthDate: string;
  /** employee_pension: statutory age by category; resident_pension: age 60 (国发〔2014〕8号) */
  scheme: PensionScheme;
  category: RetirementCategory | 'resident';
  statutoryDate: string;
  ageMonths: number;
  earliestFlexibleDate: string;
  latestFlexibleDate: string;
  minContributionMonths: number;
  /** the person's latest employee-pension retirement case, so the list shows who already has one */
  caseId: number | null;
  caseStatus: string | null;
}

/** Who reaches statutory retirement age in the month (default next month): employee-pension insured, alive, no award yet. */
export async function retirementDue(
  ctx: AppContext,
  actor: Actor,
  q: { region: string; month?: string },
): Promise<{ month: string; items: DueItem[] }> {
  authorize(actor, 'retirement.read', { region: q.region });
  const month = q.month === undefined ? addPeriods(periodOf(today()), 1) : parsePeriod(q.month, 'month');
  // Candidates by birth date: statutory ages lie between 50 and 63 years (plus the month).
  const oldest = addMonths(`${month}-01`, -(63 * 12 + 1));
  const youngest = addMonths(`${month}-01`, -(50 * 12) + 1);
  const rows = await sql<{
    id: number;
    name: string;
    birth_date: string;
    sex: 'M' | 'F';
    female_staff: boolean;
    case_id: number | null;
    case_status: string | null;
  }>`
    SELECT p.id, p.name, p.birth_date, p.sex, false AS female_staff, rc.id AS case_id, rc.status AS case_status
    FROM person p
    LEFT JOIN LATERAL (SELECT c.id, c.status FROM retirement_case c
      WHERE c.person_id = p.id AND c.scheme = 'employee_pension' ORDER BY c.id DESC LIMIT 1) rc ON true
    WHERE ${regionCoversSql(sql`p.region`, q.region)} AND p.death_date IS NULL
      AND p.birth_date BETWEEN ${oldest}::date AND ${youngest}::date
      AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme = 'employee_pension' AND e.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.scheme = 'employee_pension')
    ORDER BY p.id`.execute(ctx.db);
  const items: DueItem[] = [];
  for (const p of rows.rows) {
    const categories: RetirementCategory[] = p.sex === 'M' ? ['male'] : ['female-50', 'female-55'];
    for (const category of categories) {
      const r = computeRetirementAge({ birthDate: p.birth_date, category }, ctx.params, new Trace());
      if (periodOf(r.retirementDate) !== month) continue;
      const original = addMonths(p.birth_date, ORIGINAL_AGE_MONTHS[category]);
      const early = addMonths(r.retirementDate, -FLEX_MONTHS);
      items.push({
        personId: p.id,
        name: p.name,
        birthDate: p.birth_date,
        scheme: 'employee_pension',
        category,
        statutoryDate: r.retirementDate,
        ageMonths: r.ageMonths,
        earliestFlexibleDate: early > original ? early : original,
        latestFlexibleDate: addMonths(r.retirementDate, FLEX_MONTHS),
        minContributionMonths: r.minContributionMonths,
        caseId: p.case_id === null ? null : Number(p.case_id),
        caseStatus: p.case_status,
      });
    }
  }
  // Residents draw their pension from 60 (no flexible dates): due in the month of the 60th birthday.
  const residentFrom = addMonths(`${month}-01`, -(60 * 12));
  const residentTo = addMonths(`${month}-01`, -(60 * 12) + 1);
  const residents = await sql<{
    id: number;
    name: string;
    birth_date: string;
    case_id: number | null;
    case_status: string | null;
  }>`
    SELECT p.id, p.name, p.birth_date, rc.id AS case_id, rc.status AS case_status FROM person p
    LEFT JOIN LATERAL (SELECT c.id, c.status FROM retirement_case c
      WHERE c.person_id = p.id AND c.scheme = 'resident_pension' ORDER BY c.id DESC LIMIT 1) rc ON true
    WHERE ${regionCoversSql(sql`p.region`, q.region)} AND p.death_date IS NULL
      AND p.birth_date >= ${residentFrom}::date AND p.birth_date < ${residentTo}::date
      AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme = 'resident_pension' AND e.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id)
    ORDER BY p.id`.execute(ctx.db);
  const minResident = computeResidentMinimumMonths(ctx, `${month}-01`, q.region);
  for (const p of residents.rows) {
    const date = addMonths(p.birth_date, 60 * 12);
    items.push({
      personId: p.id,
      name: p.name,
      birthDate: p.birth_date,
      scheme: 'resident_pension',
      category: 'resident',
      statutoryDate: date,
      ageMonths: 720,
      earliestFlexibleDate: date,
      latestFlexibleDate: date,
      minContributionMonths: minResident,
      caseId: p.case_id === null ? null : Number(p.case_id),
      caseStatus: p.case_status,
    });
  }
  return { month, items };
}

/** The residents' scheme's minimum contribution months in force (pension/resident-pension-rules). */
function computeResidentMinimumMonths(ctx: AppContext, date: IsoDate, region: string): number {
  const rules = ctx.params.get<{ minContributionMonths: number }>(
    'pension/resident-pension-rules',
    region,
    date,
  );
  return rules.minContributionMonths;
}

async function caseForUpdate(tx: Db, id: number): Promise<CaseRow> {
  const c = await tx
    .selectFrom('retirement_case')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!c)
    throw new SbError('SB_ERR_NOT_FOUND', { field: 'id', zh: `退休案件 ${id}`, en: `retirement case ${id}` });
  return c;
}

export interface OpenCaseInput {
  personId: number;
  scheme: PensionScheme;
  category?: RetirementCategory;
  retirementKind?: 'statutory' | 'early' | 'late';
  /** flexible retirement: the chosen date (early: up to 36 months before, never before the original age; late: up to 36 months after) */
  retirementDate?: string;
}

export async function openCase(ctx: AppContext, actor: Actor, input: OpenCaseInput): Promise<CaseView> {
  authorize(actor, 'retirement.open');
  const person = await ctx.db
    .selectFrom('person')
    .select(['id', 'region', 'sex', 'birth_date', 'death_date'])
    .where('id', '=', input.personId)
    .executeTakeFirst();
  if (!person)
    throw new SbError('SB_ERR_NOT_FOUND', {
      field: 'personId',
      zh: `人员 ${input.personId}`,
      en: `person ${input.personId}`,
    });
  authorize(actor, 'retirement.open', { region: person.region });
  if (person.death_date !== null)
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      field: 'personId',
      zh: '人员已死亡',
      en: 'the person is deceased',
    });
  const kind = input.retirementKind ?? 'statutory';
  let retirementDate: IsoDate;
  const trace = new Trace();
  if (input.scheme === 'employee_pension') {
    const category = categoryOf(person.sex, input.category);
    const age = computeRetirementAge({ birthDate: person.birth_date, category }, ctx.params, trace);
    const original = addMonths(person.birth_date, ORIGINAL_AGE_MONTHS[category]);
    if (kind === 'statutory') retirementDate = age.retirementDate;
    else {
      if (input.retirementDate === undefined)
        throw new SbError('SB_ERR_REQUIRED', {
          field: 'retirementDate',
          zh: '弹性退休须提供退休日期',
          en: 'flexible retirement needs the chosen date',
        });
      retirementDate = parseDate(input.retirementDate, 'retirementDate');
      const lo =
        kind === 'early'
          ? addMonths(age.retirementDate, -FLEX_MONTHS) > original
            ? addMonths(age.retirementDate, -FLEX_MONTHS)
            : original
          : age.retirementDate;
      const hi = kind === 'early' ? age.retirementDate : addMonths(age.retirementDate, FLEX_MONTHS);
      if (retirementDate < lo || retirementDate > hi) {
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'retirementDate',
          zh: `弹性${kind === 'early' ? '提前' : '延迟'}退休日期须在 ${lo} 至 ${hi} 之间`,
          en: `flexible ${kind} retirement must fall between ${lo} and ${hi}`,
        });
      }
    }
    trace.add(
      `retirement (${kind})`,
      retirementDate,
      kind === 'statutory' ? '法定退休' : kind === 'early' ? '弹性提前退休' : '弹性延迟退休',
    );
  } else {
    // Residents: from age 60 (国发〔2014〕8号).
    retirementDate =
      input.retirementDate === undefined
        ? addMonths(person.birth_date, 60 * 12)
        : parseDate(input.retirementDate, 'retirementDate');
    if (retirementDate < addMonths(person.birth_date, 60 * 12))
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'retirementDate',
        zh: '城乡居民养老金自60周岁起领取',
        en: "the residents' pension starts at 60",
      });
  }
  const existingAward = await ctx.db
    .selectFrom('pension_award')
    .select('id')
    .where('person_id', '=', person.id)
    .where('scheme', '=', input.scheme)
    .executeTakeFirst();
  if (existingAward)
    throw new SbError('SB_ERR_DUPLICATE', {
      field: 'personId',
      zh: '已有养老金待遇',
      en: 'the person already has this pension',
    });
  return ctx.db.transaction().execute(async (tx) => {
    const open = await tx
      .selectFrom('retirement_case')
      .select('id')
      .where('person_id', '=', person.id)
      .where('scheme', '=', input.scheme)
      .where('status', 'in', ['draft', 'pending_review', 'returned'])
      .executeTakeFirst();
    if (open)
      throw new SbError('SB_ERR_DUPLICATE', {
        field: 'personId',
        zh: `已有在办退休案件 ${open.id}`,
        en: `retirement case ${open.id} is already open`,
      });
    const c = await tx
      .insertInto('retirement_case')
      .values({
        person_id: person.id,
        scheme: input.scheme,
        region: person.region,
        retirement_kind: kind,
        retirement_date: retirementDate,
        options: '[]',
        inputs: JSON.stringify({
          category: input.scheme === 'employee_pension' ? categoryOf(person.sex, input.category) : null,
        }),
        parameter_versions: JSON.stringify(parameterVersions(trace.steps)),
        trace: JSON.stringify(trace.steps),
        eligible: null,
        missing_months: null,
        result: null,
        monthly_fen: null,
        computed_at: null,
        created_by_user_id: actor.userId,
        created_by: actor.username,
        submitted_at: null,
        reviewed_by_user_id: null,
        reviewed_by: null,
        reviewed_at: null,
        review_note: null,
        award_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await publishCaseStatus(tx, actor, c, 'draft', null);
    await appendAudit(tx, actor, {
      action: 'retirement.open',
      entityType: 'retirement_case',
      entityId: c.id,
      region: c.region,
      subjectPersonId: c.person_id,
      after: { scheme: c.scheme, retirementDate, kind },
    });
    return caseView(c);
  });
}

export interface ComputeInput {
  version: number;
  /** 视同缴费年限 (deemed months, from the personnel file) */
  deemedMonths?: number;
  deemedIndex?: number;
  /** records before the electronic record (paper archive): months, average index, account balance */
  archivedMonths?: number;
  archivedIndex?: number;
  archivedAccountFen?: number;
  /** C, when the region has no published benefit base wage */
  benefitBaseWageFen?: number;
}

export interface LawfulOption {
  code: 'keep_contributing' | 'lump_sum' | 'transfer_to_residents';
  zh: string;
  en: string;
}

function shortOptions(missing: number): LawfulOption[] {
  return [
    {
      code: 'keep_contributing',
      zh: `延长缴费至满最低缴费年限（尚差 ${missing} 个月）`,
      en: `keep contributing until the minimum is reached (${missing} months missing)`,
    },
    {
      code: 'lump_sum',
      zh: `按规定一次性补缴 ${missing} 个月`,
      en: `pay the ${missing} missing months in one sum, as the rules allow`,
    },
    {
      code: 'transfer_to_residents',
      zh: '转入城乡居民基本养老保险，按其规定享受待遇',
      en: "move to the urban-rural residents' scheme and draw its pension",
    },
  ];
}

export async function computeCase(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: ComputeInput,
): Promise<CaseView> {
  authorize(actor, 'retirement.compute');
  return ctx.db.transaction().execute(async (tx) => {
    const c = await caseForUpdate(tx, id);
    authorize(actor, 'retirement.compute', { region: c.region });
    if (c.version !== input.version) throw new SbError('SB_ERR_CONFLICT', { field: 'version' });
    if (c.status !== 'draft' && c.status !== 'returned')
      throw new SbError('SB_ERR_CONFLICT', { zh: `案件状态为 ${c.status}`, en: `the case is ${c.status}` });
    const person = await tx
      .selectFrom('person')
      .select(['birth_date'])
      .where('id', '=', c.person_id)
      .executeTakeFirstOrThrow();
    const record = await pensionRecord(tx, c.person_id, periodOf(c.retirement_date));
    // Keep the steps of the opening; a new computation replaces the last one's steps (from its
    // "computed on" mark) instead of piling up after them.
    const prior = (c.trace as TraceStep[] | null) ?? [];
    const mark = prior.findIndex((s) => s.step === COMPUTED_ON);
    const trace = new Trace();
    for (const s of mark === -1 ? prior : prior.slice(0, mark)) trace.push(s);
    trace.add(COMPUTED_ON, today(), '核算日期');
    let eligible: boolean;
    let missing = 0;
    let monthly = 0;
    let result: unknown;
    let inputs: Record<string, unknown>;
    if (c.scheme === 'employee_pension') {
      const category: RetirementCategory = (c.inputs as { category?: RetirementCategory }).category ?? 'male';
      const age = computeRetirementAge({ birthDate: person.birth_date, category }, ctx.params, new Trace());
      // Deemed and archived service: the clerk's figures where given, else the person's recorded prior service.
      const archivedMonths = input.archivedMonths ?? record.archivedMonths;
      const deemedMonths = input.deemedMonths ?? record.deemedMonths;
      const archivedIndex = input.archivedIndex ?? record.archivedIndex ?? 0;
      const archivedAccountFen = input.archivedAccountFen ?? record.archivedAccountFen;
      if (input.deemedMonths === undefined && record.deemedMonths > 0)
        trace.add(
          'deemed months from the recorded prior service',
          record.deemedMonths,
          '视同缴费月数（取自已记录的视同缴费年限）',
        );
      if (input.archivedMonths === undefined && record.archivedMonths > 0)
        trace.add(
          'archived months from the recorded paper archive',
          record.archivedMonths,
          '档案缴费月数（取自已记录的档案）',
        );
      const actualMonths = record.contributionMonths + archivedMonths;
      const months = actualMonths + deemedMonths;
      // Z: the contribution-index rule over the record's lines and the archive (no months → the
      // pension formula's floor applies through its clamp).
      const zr = computeContributionIndex(
        {
          region: c.region,
          lines: record.indexLines,
          archived: archivedMonths > 0 ? { months: archivedMonths, index: String(archivedIndex) } : undefined,
        },
        ctx.params,
        trace,
      );
      const z = zr.averageIndex === null ? 0 : Number(zr.averageIndex);
      const accountFen = record.personalAccountFen + archivedAccountFen;
      const ageMonths = ageInMonths(person.birth_date, c.retirement_date);
      trace.add('contribution months on record', record.contributionMonths, '系统缴费月数');
      trace.add(
        'archived months + deemed months',
        archivedMonths + deemedMonths,
        '档案缴费月数 + 视同缴费月数',
      );
      trace.add('minimum contribution months', age.minContributionMonths, '最低缴费月数');
      eligible = months >= age.minContributionMonths;
      missing = Math.max(0, age.minContributionMonths - months);
      if (c.retirement_kind === 'early' && !eligible) {
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          zh: `弹性提前退休须已满最低缴费年限（尚差 ${missing} 个月）`,
          en: `early retirement needs the minimum contribution period (${missing} months missing)`,
        });
      }
      const epInput: EmployeePensionInput = {
        region: c.region,
        retirementDate: c.retirement_date,
        averageContributionIndex: z,
        contributionMonths: months,
        personalAccountFen: fen(accountFen),
        ageMonths,
      };
      if (input.benefitBaseWageFen !== undefined) epInput.benefitBaseWageFen = fen(input.benefitBaseWageFen);
      if (deemedMonths > 0)
        epInput.transitional =
          input.deemedIndex === undefined
            ? { deemedMonths }
            : { deemedMonths, deemedIndex: input.deemedIndex };
      inputs = {
        category,
        record: { ...recordSummary(record), averageIndex: zr.averageIndex },
        ...epInput,
        archivedMonths,
        archivedIndex: archivedMonths > 0 ? archivedIndex : null,
        archivedAccountFen,
        deemedMonths,
      };
      if (eligible) {
        const r = computeEmployeePension(epInput, ctx.params, trace);
        result = r;
        monthly = r.totalFen;
      } else {
        trace.add(`short of the minimum by ${missing} months`, missing, `距最低缴费年限尚差 ${missing} 个月`);
        result = { eligible: false, missingMonths: missing };
      }
    } else {
      const months = record.residentMonths + (input.archivedMonths ?? 0);
      const rpInput = {
        region: c.region,
        date: c.retirement_date,
        personalAccountFen: fen(record.residentAccountFen + (input.archivedAccountFen ?? 0)),
        contributionMonths: months,
      };
      inputs = { record: recordSummary(record), ...rpInput };
      const r = computeResidentPension(rpInput, ctx.params, trace);
      eligible = r.eligible;
      result = r;
      monthly = r.totalFen;
      if (!eligible) missing = Math.max(0, 180 - months);
    }
    const options = eligible
      ? []
      : c.scheme === 'employee_pension'
        ? shortOptions(missing)
        : shortOptions(missing).filter((o) => o.code !== 'transfer_to_residents');
    const updated = await tx
      .updateTable('retirement_case')
      .set({
        status: 'draft',
        eligible,
        missing_months: eligible ? null : missing,
        options: JSON.stringify(options),
        inputs: JSON.stringify(inputs),
        parameter_versions: JSON.stringify(parameterVersions(trace.steps)),
        trace: JSON.stringify(trace.steps),
        result: JSON.stringify(result),
        monthly_fen: eligible ? monthly : null,
        computed_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        version: sql`version + 1`,
      })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'retirement.compute',
      entityType: 'retirement_case',
      entityId: c.id,
      region: c.region,
      subjectPersonId: c.person_id,
      after: { eligible, missingMonths: missing, monthlyFen: monthly },
    });
    return caseView(updated);
  });
}

export async function submitCase(
  ctx: AppContext,
  actor: Actor,
  id: number,
  version: number,
): Promise<CaseView> {
  authorize(actor, 'retirement.submit');
  return ctx.db.transaction().execute(async (tx) => {
    const c = await caseForUpdate(tx, id);
    authorize(actor, 'retirement.submit', { region: c.region });
    if (c.version !== version || c.status !== 'draft')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `案件状态为 ${c.status}`,
        en: `the case is ${c.status} (version ${c.version})`,
      });
    if (c.eligible !== true || c.monthly_fen === null)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: '案件未计算或不符合条件',
        en: 'the case is not computed or not eligible',
      });
    const u = await tx
      .updateTable('retirement_case')
      .set({
        status: 'pending_review',
        submitted_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        version: sql`version + 1`,
      })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publishCaseStatus(tx, actor, u, 'pending_review', null);
    await appendAudit(tx, actor, {
      action: 'retirement.submit',
      entityType: 'retirement_case',
      entityId: c.id,
      region: c.region,
      subjectPersonId: c.person_id,
      after: { status: 'pending_review' },
    });
    return caseView(u);
  });
}

/** Four eyes: the reviewer is another person than the creator (by app_user.person_id) and not the subject. */
async function checkFourEyes(db: Db, actor: Actor, c: CaseRow): Promise<void> {
  if (actor.userId === null) return; // the command line is the operator's tool, audited as such
  await checkCaseFourEyes(
    db,
    actor,
    { userId: c.created_by_user_id, personId: await personOfUser(db, c.created_by_user_id) },
    [c.person_id],
  );
}

export async function reviewCase(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: { decision: 'approve' | 'return'; version: number; note?: string },
): Promise<CaseView> {
  authorize(actor, 'retirement.approve');
  const pre = await ctx.db.selectFrom('retirement_case').selectAll().where('id', '=', id).executeTakeFirst();
  if (!pre) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
  authorize(actor, 'retirement.approve', { region: pre.region });
  await checkFourEyes(ctx.db, actor, pre);
  return ctx.db.transaction().execute(async (tx) => {
    const status = input.decision === 'approve' ? 'approved' : 'returned';
    // The guard: only one reviewer can move the case out of pending_review at this version.
    const won = await tx
      .updateTable('retirement_case')
      .set({
        status,
        reviewed_by_user_id: actor.userId,
        reviewed_by: actor.username,
        reviewed_at: new Date().toISOString(),
        review_note: input.note ?? null,
        updated_at: new Date().toISOString(),
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending_review')
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirst();
    if (!won)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '案件已被他人处理或已修改，请刷新',
        en: 'the case was already decided or changed by someone else; refresh',
      });
    let awardId: number | null = null;
    if (status === 'approved') awardId = await createAward(tx, actor, won);
    const final =
      awardId === null
        ? won
        : await tx
            .updateTable('retirement_case')
            .set({ award_id: awardId })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
    await publishCaseStatus(tx, actor, won, status, input.note ?? null);
    await appendAudit(tx, actor, {
      action: `retirement.${input.decision}`,
      entityType: 'retirement_case',
      entityId: id,
      region: won.region,
      subjectPersonId: won.person_id,
      before: { status: 'pending_review' },
      after: { status, awardId },
      reason: input.note ?? null,
    });
    return caseView(final);
  });
}

/** The personal-account part the resident-pension rule computed (never more than the whole). */
function accountFenOf(result: Record<string, unknown>, monthlyFen: number): number {
  const a = result.accountPensionFen;
  return typeof a === 'number' && Number.isSafeInteger(a) && a > 0 ? Math.min(a, monthlyFen) : 0;
}

async function createAward(tx: Db, actor: Actor, c: CaseRow): Promise<number> {
  if (c.monthly_fen === null)
    throw new SbError('SB_ERR_CONFLICT', { zh: '案件未计算', en: 'the case is not computed' });
  const startPeriod = addPeriods(periodOf(c.retirement_date), 1);
  const inputs = c.inputs as { contributionMonths?: number };
  const award = await tx
    .insertInto('pension_award')
    .values({
      person_id: c.person_id,
      scheme: c.scheme,
      region: c.region,
      decision_id: c.id,
      source: 'decision',
      retirement_date: c.retirement_date,
      start_period: startPeriod,
      contribution_months: inputs.contributionMonths ?? 0,
      suspended_from_period: null,
      suspend_reason: null,
      stop_reason: null,
      stopped_from_period: null,
      monthly_fen: c.monthly_fen,
      created_by: actor.username,
    })
    .onConflict((oc) => oc.columns(['person_id', 'scheme']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!award)
    throw new SbError('SB_ERR_DUPLICATE', {
      zh: '已有养老金待遇',
      en: 'the person already has this pension',
    });
  const result = c.result as Record<string, unknown>;
  const components = ['basicPensionFen', 'accountPensionFen', 'transitionalPensionFen']
    .filter((k) => typeof result[k] === 'number')
    .map((k) => ({ kind: k.replace(/Fen$/, ''), amountFen: result[k] }));
  await tx
    .insertInto('pension_amount')
    .values({
      award_id: award.id,
      effective_period: startPeriod,
      monthly_fen: c.monthly_fen,
      // The residents' pension keeps its two parts: the payroll draws the account part down from the
      // person's account and books the basic part against the government subsidy (payroll.job.ts).
      account_fen: c.scheme === 'resident_pension' ? accountFenOf(result, c.monthly_fen) : 0,
      previous_fen: null,
      components: JSON.stringify(components),
      reason: 'initial',
      adjustment_year: null,
      created_by: actor.username,
    })
    .execute();
  // Months whose payroll has already run (a late decision): back pay through the next payroll.
  const runs = await sql<{ period: string }>`
    SELECT period FROM payroll_run WHERE period >= ${startPeriod}
      AND ${regionOrAncestorSql(sql.ref('region'), c.region)}
    ORDER BY period FOR SHARE`.execute(tx);
  if (runs.rows.length > 0) {
    const last = runs.rows[runs.rows.length - 1]?.period ?? startPeriod;
    let total = 0;
    for (const p of periodRange(startPeriod, last)) total += (await amountInForce(tx, award.id, p)) ?? 0;
    const months = periodRange(startPeriod, last).length;
    const accountPart = c.scheme === 'resident_pension' ? accountFenOf(result, c.monthly_fen) : 0;
    if (total > 0)
      await queueArrears(tx, actor, {
        awardId: award.id,
        reason: 'initial',
        fromPeriod: startPeriod,
        toPeriod: last,
        amountFen: total,
        accountFen: Math.min(total, accountPart * months),
        idempotencyKey: `initial:${award.id}`,
        detail: { caseId: c.id },
      });
  }
  await appendAudit(tx, actor, {
    action: 'pension.award',
    entityType: 'pension_award',
    entityId: award.id,
    region: c.region,
    subjectPersonId: c.person_id,
    after: { scheme: c.scheme, startPeriod, monthlyFen: c.monthly_fen, decisionId: c.id },
  });
  return award.id;
}

export async function getCase(ctx: AppContext, actor: Actor, id: number): Promise<CaseView> {
  authorize(actor, 'retirement.read');
  const c = await ctx.db.selectFrom('retirement_case').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
  authorize(actor, 'retirement.read', { region: c.region });
  return caseView(c);
}

export async function listCases(
  ctx: AppContext,
  actor: Actor,
  q: { status?: string; page: number; pageSize: number },
): Promise<{
  items: Array<CaseView & { personName: string; createdByName: string | null }>;
  total: number;
  page: number;
  pageSize: number;
}> {
  authorize(actor, 'retirement.read');
  const region = actor.region ?? '000000';
  let query = ctx.db.selectFrom('retirement_case as a').where(regionCoversSql(sql`a.region`, region));
  if (q.status !== undefined) query = query.where('a.status', '=', q.status as CaseRow['status']);
  const total = int((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  const rows = await query
    .selectAll('a')
    .select([
      sql<string>`(SELECT p.name FROM person p WHERE p.id = a.person_id)`.as('person_name'),
      sql<string | null>`(SELECT u.display_name FROM app_user u WHERE u.username = a.created_by)`.as(
        'created_by_name',
      ),
    ])
    .orderBy('a.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({ ...caseView(r), personName: r.person_name, createdByName: r.created_by_name })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Publishes a case's new status in the outbox (the online hall follows the case as an application). */
async function publishCaseStatus(tx: Db, actor: Actor, c: CaseRow, status: string, note: string | null) {
  const payload = {
    caseId: c.id,
    personId: c.person_id,
    region: c.region,
    status,
    actor: actor.username,
    note,
    on: today(),
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'retirement.case-status', payload: JSON.stringify(payload) })
    .execute();
}
