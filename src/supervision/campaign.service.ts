// Inspection campaigns (专项检查): a scope (region, the findings of some detectors, or a population
// filter) and a reproducible random sample of N persons or employers, drawn with a seed: the order
// is md5(seed:id), so the same seed over the same population draws the same sample on PGlite and
// PostgreSQL alike. The sample is the campaign's worklist; an inspector marks each item clear or
// flagged with a note (conditional on the item's version, audited).
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { isDetector } from './detector.rules.ts';

export type Population = 'person' | 'employer';
export type PopulationFilter = 'all' | 'pensioners' | 'unemployment_recipients';

export interface CampaignInput {
  name: string;
  region?: string;
  population: Population;
  detectors?: string[];
  filter?: PopulationFilter;
  sampleSize: number;
  seed: string;
}

export interface CampaignSummary {
  id: number;
  name: string;
  region: string;
  population: Population;
  scope: { detectors: string[]; filter: PopulationFilter };
  sampleSize: number;
  seed: string;
  candidates: number;
  createdBy: string;
  createdAt: string;
  progress: { todo: number; clear: number; flagged: number };
}

export interface CampaignItem {
  seq: number;
  personId: number | null;
  employerId: number | null;
  name: string | null;
  idNumber: string | null;
  status: 'todo' | 'clear' | 'flagged';
  note: string | null;
  checkedBy: string | null;
  checkedAt: string | null;
  version: number;
  openFindings: number;
}

/** The candidates of a scope, as a SQL subquery of ids. */
function candidatesSql(
  region: string,
  population: Population,
  detectors: string[],
  filter: PopulationFilter,
) {
  if (detectors.length > 0) {
    const col = population === 'person' ? sql.ref('f.person_id') : sql.ref('f.employer_id');
    return sql`SELECT DISTINCT ${col} AS id FROM supervision_finding f
      WHERE ${regionCoversSql(sql.ref('f.region'), region)} AND f.detector IN (${sql.join(detectors)})
        AND f.status <> 'dismissed' AND ${col} IS NOT NULL`;
  }
  if (population === 'employer')
    return sql`SELECT e.id FROM employer e WHERE ${regionCoversSql(sql.ref('e.region'), region)}`;
  const extra =
    filter === 'pensioners'
      ? sql`AND EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.status = 'active')`
      : filter === 'unemployment_recipients'
        ? sql`AND EXISTS (SELECT 1 FROM unemployment_claim c WHERE c.person_id = p.id AND c.status = 'approved')`
        : sql``;
  return sql`SELECT p.id FROM person p WHERE ${regionCoversSql(sql.ref('p.region'), region)} AND p.death_date IS NULL ${extra}`;
}

export class CampaignService {
  constructor(private readonly db: Db) {}

  async createCampaign(actor: Actor, input: CampaignInput): Promise<CampaignSummary> {
    const region = input.region ?? actor.region ?? '000000';
    authorize(actor, 'supervision.campaign', { region });
    const name = input.name.trim();
    if (name.length === 0) throw new SbError('SB_ERR_REQUIRED', { field: 'name' });
    const detectors = [...new Set(input.detectors ?? [])].sort();
    const filter = input.filter ?? 'all';
    const unknown = detectors.find((d) => !isDetector(d));
    if (unknown !== undefined)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'detectors',
        zh: `未知的监测规则 ${unknown}`,
        en: `unknown detector ${unknown}`,
      });
    if (detectors.length > 0 && filter !== 'all')
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'filter',
        zh: '按监测规则或按人群筛选，二选一',
        en: 'scope by detectors or by a population filter, not both',
      });
    if (input.population === 'employer' && filter !== 'all')
      throw new SbError('SB_ERR_VALIDATION', { field: 'filter' });
    const id = await this.db.transaction().execute(async (tx) => {
      const cand = candidatesSql(region, input.population, detectors, filter);
      const count = await sql<{ n: unknown }>`SELECT count(*)::bigint AS n FROM (${cand}) c`.execute(tx);
      const candidates = int(count.rows[0]?.n);
      const row = await sql<{ id: number }>`
      INSERT INTO supervision_campaign (region, name, population, scope, sample_size, seed, candidates, created_by)
      VALUES (${region}, ${name}, ${input.population}, ${JSON.stringify({ detectors, filter })}::jsonb,
              ${input.sampleSize}, ${input.seed}, ${candidates}, ${actor.username}) RETURNING id`.execute(tx);
      const campaignId = int(row.rows[0]?.id);
      const col = input.population === 'person' ? sql.raw('person_id') : sql.raw('employer_id');
      await sql`INSERT INTO supervision_campaign_item (campaign_id, seq, ${col})
      SELECT ${campaignId}, row_number() OVER (ORDER BY s.k, s.id), s.id FROM (
        SELECT c.id, md5(${input.seed} || ':' || c.id::text) AS k FROM (${cand}) c
        ORDER BY k, c.id LIMIT ${input.sampleSize}) s`.execute(tx);
      await appendAudit(tx, actor, {
        action: 'supervision.campaign.create',
        entityType: 'supervision_campaign',
        entityId: campaignId,
        region,
        after: {
          name,
          population: input.population,
          detectors,
          filter,
          sampleSize: input.sampleSize,
          seed: input.seed,
          candidates,
        },
      });
      return campaignId;
    });
    return (await this.listCampaigns(actor, { region, id }))[0] as CampaignSummary;
  }

  async listCampaigns(actor: Actor, q: { region?: string; id?: number }): Promise<CampaignSummary[]> {
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'supervision.campaign', { region });
    const rows = await sql<{
      id: number;
      name: string;
      region: string;
      population: Population;
      scope: { detectors: string[]; filter: PopulationFilter };
      sample_size: number;
      seed: string;
      candidates: number;
      created_by: string;
      created_at: string;
      todo: unknown;
      clear: unknown;
      flagged: unknown;
    }>`
    SELECT c.*, 
      (SELECT count(*) FROM supervision_campaign_item i WHERE i.campaign_id = c.id AND i.status = 'todo')::bigint AS todo,
      (SELECT count(*) FROM supervision_campaign_item i WHERE i.campaign_id = c.id AND i.status = 'clear')::bigint AS clear,
      (SELECT count(*) FROM supervision_campaign_item i WHERE i.campaign_id = c.id AND i.status = 'flagged')::bigint AS flagged
    FROM supervision_campaign c
    WHERE ${regionCoversSql(sql.ref('c.region'), region)} ${q.id !== undefined ? sql`AND c.id = ${q.id}` : sql``}
    ORDER BY c.id DESC LIMIT 200`.execute(this.db);
    return rows.rows.map((r) => ({
      id: int(r.id),
      name: r.name,
      region: r.region.trim(),
      population: r.population,
      scope: { detectors: r.scope.detectors, filter: r.scope.filter },
      sampleSize: r.sample_size,
      seed: r.seed,
      candidates: r.candidates,
      createdBy: r.created_by,
      createdAt: new Date(r.created_at).toISOString(),
      progress: { todo: int(r.todo), clear: int(r.clear), flagged: int(r.flagged) },
    }));
  }

  async getCampaign(actor: Actor, id: number): Promise<CampaignSummary & { items: CampaignItem[] }> {
    authorize(actor, 'supervision.campaign');
    const region = await campaignRegion(this.db, actor, id);
    const [summary] = await this.listCampaigns(actor, { region, id });
    const items = await sql<{
      seq: number;
      person_id: unknown;
      employer_id: unknown;
      name: string | null;
      id_number: string | null;
      status: 'todo' | 'clear' | 'flagged';
      note: string | null;
      checked_by: string | null;
      checked_at: string | null;
      version: number;
      open_findings: unknown;
    }>`
    SELECT i.seq, i.person_id, i.employer_id, coalesce(p.name, e.name) AS name, coalesce(p.id_number, e.credit_code) AS id_number,
           i.status, i.note, i.checked_by, i.checked_at, i.version,
           (SELECT count(*) FROM supervision_finding f WHERE f.status = 'open'
              AND (f.person_id = i.person_id OR f.employer_id = i.employer_id))::bigint AS open_findings
    FROM supervision_campaign_item i LEFT JOIN person p ON p.id = i.person_id LEFT JOIN employer e ON e.id = i.employer_id
    WHERE i.campaign_id = ${id} ORDER BY i.seq`.execute(this.db);
    const nullable = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return {
      ...(summary as CampaignSummary),
      items: items.rows.map((i) => ({
        seq: i.seq,
        personId: nullable(i.person_id),
        employerId: nullable(i.employer_id),
        name: i.name,
        idNumber: i.id_number,
        status: i.status,
        note: i.note,
        checkedBy: i.checked_by,
        checkedAt: i.checked_at === null ? null : new Date(i.checked_at).toISOString(),
        version: i.version,
        openFindings: int(i.open_findings),
      })),
    };
  }

  async checkItem(
    actor: Actor,
    campaignId: number,
    seq: number,
    input: { status: 'clear' | 'flagged'; note?: string; version: number },
  ): Promise<{ seq: number; status: string; version: number }> {
    authorize(actor, 'supervision.campaign');
    const region = await campaignRegion(this.db, actor, campaignId);
    if (input.status === 'flagged' && !input.note?.trim())
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'note',
        zh: '标记疑点须说明',
        en: 'say why it is flagged',
      });
    return this.db.transaction().execute(async (tx) => {
      const r = await sql<{ person_id: unknown; status: string }>`
      UPDATE supervision_campaign_item SET status = ${input.status}, note = ${input.note?.trim() || null},
        checked_by = ${actor.username}, checked_at = now(), version = version + 1
      WHERE campaign_id = ${campaignId} AND seq = ${seq} AND version = ${input.version}
      RETURNING person_id, status`.execute(tx);
      if (!r.rows[0]) {
        const exists =
          await sql`SELECT 1 FROM supervision_campaign_item WHERE campaign_id = ${campaignId} AND seq = ${seq}`.execute(
            tx,
          );
        if (exists.rows.length === 0) throw new SbError('SB_ERR_NOT_FOUND', { field: 'seq' });
        throw new SbError('SB_ERR_CONFLICT', { field: 'version' });
      }
      await appendAudit(tx, actor, {
        action: 'supervision.campaign.check',
        entityType: 'supervision_campaign',
        entityId: campaignId,
        region,
        subjectPersonId: r.rows[0].person_id === null ? null : int(r.rows[0].person_id),
        after: { seq, status: input.status, note: input.note ?? null },
      });
      return { seq, status: input.status, version: input.version + 1 };
    });
  }
}

/** The region of a campaign the supervisor may work; another region's answers as an unknown id does. */
async function campaignRegion(db: Db, actor: Actor, id: number): Promise<string> {
  const r = await sql<{ region: string }>`SELECT region FROM supervision_campaign WHERE id = ${id}`.execute(
    db,
  );
  return foundInRegion(actor, 'supervision.campaign', r.rows[0]).region.trim();
}
