// Inspection campaigns (专项检查): a scope (region, the findings of some detectors, or a population
// filter) and a reproducible random sample of N persons or employers, drawn with a seed: the order
// is md5(seed:id), so the same seed over the same population draws the same sample on PGlite and
// PostgreSQL alike. The sample is the campaign's worklist; an inspector marks each item clear or
// flagged with a note (conditional on the item's version, audited).
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import {
  campaignItems,
  campaignRegionRow,
  campaignRows,
  candidatesSql,
  countCandidates,
  drawSample,
  insertCampaign,
  itemExists,
  markItem,
  type Population,
  type PopulationFilter,
} from './campaign.repository.ts';
import { isDetector } from './detector.rules.ts';

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
  /** the checker's display name (app_user), for the page */
  checkedByName: string | null;
  checkedAt: string | null;
  version: number;
  openFindings: number;
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
      const candidates = await countCandidates(tx, cand);
      const campaignId = await insertCampaign(tx, {
        region,
        name,
        population: input.population,
        scope: { detectors, filter },
        sampleSize: input.sampleSize,
        seed: input.seed,
        candidates,
        createdBy: actor.username,
      });
      await drawSample(tx, campaignId, cand, input);
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
    const rows = await campaignRows(this.db, region, q.id);
    return rows.map((r) => ({
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
    const items = await campaignItems(this.db, id);
    const nullable = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return {
      ...(summary as CampaignSummary),
      items: items.map((i) => ({
        seq: i.seq,
        personId: nullable(i.person_id),
        employerId: nullable(i.employer_id),
        name: i.name,
        idNumber: i.id_number,
        status: i.status,
        note: i.note,
        checkedBy: i.checked_by,
        checkedByName: i.checked_by_name,
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
      const checked = await markItem(tx, campaignId, seq, {
        status: input.status,
        note: input.note?.trim() || null,
        by: actor.username,
        version: input.version,
      });
      if (!checked) {
        if (!(await itemExists(tx, campaignId, seq))) throw new SbError('SB_ERR_NOT_FOUND', { field: 'seq' });
        throw new SbError('SB_ERR_CONFLICT', { field: 'version' });
      }
      await appendAudit(tx, actor, {
        action: 'supervision.campaign.check',
        entityType: 'supervision_campaign',
        entityId: campaignId,
        region,
        subjectPersonId: checked.personId,
        after: { seq, status: input.status, note: input.note ?? null },
      });
      return { seq, status: input.status, version: input.version + 1 };
    });
  }
}

/** The region of a campaign the supervisor may work; another region's answers as an unknown id does. */
async function campaignRegion(db: Db, actor: Actor, id: number): Promise<string> {
  return foundInRegion(actor, 'supervision.campaign', await campaignRegionRow(db, id)).region.trim();
}
