// Campaigns: one per region and year. The rule (docs/certification.md): each pensioner must be
// certified, by any channel, at least once in the 12-month service period that ends on the campaign's
// deadline (window = deadline − 12 months + 1 day … deadline). A pensioner whose pension started in the
// window is covered by the retirement decision itself. Not certified by the deadline → suspended from
// the month after the deadline (or after the last payroll already run, if later).
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addDays, addMonths, addPeriods, parseDate, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import { isKnownRegion } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { isUniqueViolation } from '../db/values.ts';
import { runSweep, type SweepOptions, type SweepResult } from './certification-sweep.job.ts';
import {
  campaignCounts,
  findCampaign,
  insertCampaign,
  listCampaigns,
  uncertified,
  type CampaignCounts,
  type CampaignRow,
} from './certification.repository.ts';

export interface CampaignDto {
  id: number;
  region: string;
  year: number;
  windowStart: string;
  deadline: string;
  suspendFromPeriod: string;
  status: string;
  sweptAt: string | null;
  createdBy: string;
  createdAt: string;
}

const toCampaign = (c: CampaignRow): CampaignDto => ({
  id: c.id,
  region: c.region,
  year: c.year,
  windowStart: c.window_start,
  deadline: c.deadline,
  suspendFromPeriod: c.suspend_from_period,
  status: c.status,
  sweptAt: c.swept_at,
  createdBy: c.created_by,
  createdAt: c.created_at,
});

/** The 12-month service period ending on the deadline, and the first period a missed deadline suspends. */
function campaignWindow(deadline: string): { windowStart: string; suspendFromPeriod: string } {
  return {
    windowStart: addDays(addMonths(deadline, -12), 1),
    suspendFromPeriod: addPeriods(periodOf(deadline), 1),
  };
}

/** Persons per `certification.due` event: ~80 KB of ids, 20 events at 200,000 pensioners. */
const DUE_CHUNK = 10_000;

export class CampaignService {
  constructor(private readonly db: Db) {}

  private async campaign(
    actor: Actor,
    action: 'certification.read' | 'certification.campaign',
    id: number,
  ): Promise<CampaignRow> {
    authorize(actor, action);
    // another region's campaign answers as an unknown id, neither repeating it
    return foundInRegion(actor, action, await findCampaign(this.db, id));
  }

  async create(
    actor: Actor,
    input: { region: string; year: number; deadline?: string | undefined },
    { chunkSize = DUE_CHUNK }: { chunkSize?: number } = {},
  ): Promise<CampaignDto> {
    authorize(actor, 'certification.campaign');
    if (!isKnownRegion(input.region)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    authorize(actor, 'certification.campaign', { region: input.region });
    if (!Number.isInteger(input.year) || input.year < 2018 || input.year > 2200)
      throw new SbError('SB_ERR_OUT_OF_RANGE', { field: 'year' });
    const deadline =
      input.deadline === undefined ? `${input.year}-12-31` : parseDate(input.deadline, 'deadline');
    if (Number(deadline.slice(0, 4)) !== input.year) {
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'deadline',
        zh: `截止日应在 ${input.year} 年内`,
        en: `the deadline must fall in ${input.year}`,
      });
    }
    // a campaign whose deadline has passed could be swept at once, suspending pensioners it never asked
    // to certify; staff open one ahead of its deadline (the operator may record a past one)
    if (actor.role !== 'system' && deadline < today())
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'deadline',
        zh: '截止日已过：认证批次须在截止日之前创建',
        en: 'the deadline has passed: a campaign is opened before its deadline',
      });
    const { windowStart, suspendFromPeriod } = campaignWindow(deadline);
    try {
      return await this.db.transaction().execute(async (tx) => {
        const c = await insertCampaign(tx, {
          region: input.region,
          year: input.year,
          window_start: windowStart,
          deadline,
          suspend_from_period: suspendFromPeriod,
          created_by: actor.username,
        });
        // The online hall tells each pensioner of the region not yet certified in the window that
        // certification is due. The set is fixed here, with the campaign: one outbox event per chunk of
        // persons carrying their ids (issue #18), not one per person — 20 events instead of 200,000
        // rows (~96 MB of WAL) at 200,000 pensioners; the hall expands each set-based.
        await sql`INSERT INTO outbox (topic, payload)
          SELECT 'certification.due', jsonb_build_object('campaignId', ${c.id}::bigint, 'year', ${input.year}::int,
            'deadline', ${deadline}::text, 'region', ${input.region}::text,
            'personIds', array_agg(a.person_id ORDER BY a.person_id), 'persons', count(*))
          FROM (SELECT a.person_id, (row_number() OVER (ORDER BY a.person_id) - 1) / ${chunkSize}::int AS chunk
                FROM (SELECT DISTINCT a.person_id FROM pension_award a
                      JOIN person p ON p.id = a.person_id
                      WHERE a.status = 'active' AND p.death_date IS NULL
                        AND ${regionCoversSql(sql.ref('a.region'), input.region)}
                        AND NOT EXISTS (SELECT 1 FROM certification x WHERE x.person_id = a.person_id
                                        AND x.certified_on BETWEEN ${windowStart} AND ${deadline})) a) a
          GROUP BY a.chunk ORDER BY a.chunk`.execute(tx);
        await appendAudit(tx, actor, {
          action: 'certification.campaign.create',
          entityType: 'certification_campaign',
          entityId: c.id,
          region: c.region,
          after: toCampaign(c),
        });
        return toCampaign(c);
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new SbError('SB_ERR_DUPLICATE', {
          zh: `${input.region} ${input.year} 年认证批次已存在`,
          en: `a ${input.year} campaign for ${input.region} exists`,
        });
      throw e;
    }
  }

  async list(actor: Actor, region?: string): Promise<CampaignDto[]> {
    authorize(actor, 'certification.read');
    const r = region ?? actor.region ?? '000000';
    authorize(actor, 'certification.read', { region: r });
    return (await listCampaigns(this.db, r)).map(toCampaign);
  }

  async get(actor: Actor, id: number): Promise<CampaignDto & { counts: CampaignCounts }> {
    const c = await this.campaign(actor, 'certification.read', id);
    return { ...toCampaign(c), counts: await campaignCounts(this.db, c) };
  }

  async uncertified(actor: Actor, id: number, page: number, pageSize: number) {
    const c = await this.campaign(actor, 'certification.read', id);
    const { rows, total } = await uncertified(this.db, c, pageSize, (page - 1) * pageSize);
    return {
      items: rows.map((r) => ({
        personId: r.person_id,
        idNumber: maskIdNumber(r.id_number),
        name: r.name,
        birthDate: r.birth_date,
        region: r.region,
        awardId: r.award_id,
        awardStatus: r.award_status,
        lastCertifiedOn: r.last_certified_on,
        onVisitRegister: r.on_visit_register,
      })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * The checks of a sweep before it is queued as a background job (issue 18): the campaign in the
   * actor's region, its deadline passed (else 409 at once, not a failed job later).
   */
  async sweepable(actor: Actor, id: number): Promise<CampaignRow> {
    const c = await this.campaign(actor, 'certification.campaign', id);
    if (today() <= c.deadline)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `认证截止日 ${c.deadline} 尚未过去`,
        en: `the deadline ${c.deadline} has not passed`,
      });
    return c;
  }

  async sweep(actor: Actor, id: number, opts: SweepOptions = {}): Promise<SweepResult> {
    await this.campaign(actor, 'certification.campaign', id);
    return runSweep(this.db, actor, id, opts);
  }
}
