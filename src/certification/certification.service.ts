// A person's certification status: latest proofs of life, suspensions for want of one, notices, and
// whether they are on the home-visit register. Citizens see their own; staff their region's.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import type { Db } from '../db/connection.ts';
import { CardTerminalService, type TerminalView } from '../cards/card-terminal.service.ts';
import { today } from '../core/clock.ts';
import type { CertificationChannel, CertificationImportKind } from '../db/database.ts';
import { PersonService } from '../registry/person.service.ts';
import {
  awardsOfPerson,
  campaignStanding,
  importsByIds,
  lastCertifications,
  noticesOfPerson,
  openRegisterEntry,
  suspensionsOfPerson,
} from './certification.repository.ts';

/**
 * Where a certification came from, as the agency reads it: a face check (the vendor and its result id),
 * a clerk (a home visit, the counter), or a data comparison (the file, its line and, for card uses, the
 * registered terminal that saw the card that day and its region). `ref` is the stored reference.
 */
export interface CertificationSourceView {
  kind: 'liveness' | 'visit' | 'counter' | 'import' | 'other';
  ref: string;
  vendor: string | null;
  resultId: string | null;
  clerk: string | null;
  importId: number | null;
  importKind: CertificationImportKind | null;
  filename: string | null;
  line: number | null;
  terminal: Pick<TerminalView, 'terminalId' | 'name' | 'kind' | 'region'> | null;
}

/** Where a pensioner stands now (the agency's person page): the first that applies. */
export type CertificationState =
  'deceased' | 'not_pensioner' | 'suspended' | 'no_campaign' | 'not_due' | 'certified' | 'due';

const NO_SOURCE = {
  vendor: null,
  resultId: null,
  clerk: null,
  importId: null,
  importKind: null,
  filename: null,
  line: null,
  terminal: null,
};

/** The stored reference split into its parts (liveness:<vendor>:<result>, visit:<clerk>:<day>, import:<id>:<line>). */
function parseSource(ref: string, channel: CertificationChannel, by: string): CertificationSourceView {
  const live = /^liveness:([^:]+):(.+)$/.exec(ref);
  if (live)
    return { ...NO_SOURCE, kind: 'liveness', ref, vendor: live[1] ?? null, resultId: live[2] ?? null };
  const visit = /^visit:(.+):\d{4}-\d{2}-\d{2}$/.exec(ref);
  if (visit) return { ...NO_SOURCE, kind: 'visit', ref, clerk: visit[1] ?? null };
  const file = /^import:(\d+):(\d+)$/.exec(ref);
  if (file) return { ...NO_SOURCE, kind: 'import', ref, importId: Number(file[1]), line: Number(file[2]) };
  // a certification a clerk recorded at the counter names the clerk in who recorded it
  if (channel === 'counter') return { ...NO_SOURCE, kind: 'counter', ref, clerk: by };
  return { ...NO_SOURCE, kind: 'other', ref };
}

export class CertificationStatusService {
  private readonly persons: PersonService;

  constructor(private readonly db: Db) {
    this.persons = new PersonService(db);
  }

  /**
   * The agency's view of a person's certifications (staff of the person's region; another region's
   * person answers 404 as an unknown one; audited as a read): where they stand now — due in the
   * campaign under way, certified in it, suspended for not certifying — the latest restoration, every
   * certification newest first with its source in words, and the suspensions.
   */
  async history(actor: Actor, personId: number) {
    const action = 'certification.read';
    authorize(actor, action);
    const p = await this.persons.target(this.db, actor, action, personId);
    await auditStaffReads(this.db, actor, [{ action, personId, region: p.region }]);
    const [certs, suspensions, awards] = await Promise.all([
      lastCertifications(this.db, personId),
      suspensionsOfPerson(this.db, personId),
      awardsOfPerson(this.db, personId),
    ]);
    const rows = certs.map((c) => ({ c, source: parseSource(c.source_ref, c.channel, c.created_by) }));
    const importIds = [
      ...new Set(rows.flatMap((r) => (r.source.importId === null ? [] : [r.source.importId]))),
    ];
    const imports = new Map((await importsByIds(this.db, importIds)).map((i) => [i.id, i]));
    for (const { source } of rows) {
      const i = source.importId === null ? undefined : imports.get(source.importId);
      if (i) Object.assign(source, { importKind: i.kind, filename: i.filename });
    }
    // the terminal that saw the card on the day a card comparison certified the person
    const cards = rows.filter((r) => r.source.importKind === 'card');
    const seen = await new CardTerminalService(this.db).seenOn(
      personId,
      cards.map((r) => r.c.certified_on),
    );
    for (const { c, source } of cards) {
      const t = seen.find((s) => s.day === c.certified_on);
      if (t) source.terminal = { terminalId: t.terminalId, name: t.name, kind: t.kind, region: t.region };
    }
    // suspended for not certifying: by a sweep (its open suspension row), or an award that says so
    // without one (the demo's planted award)
    const open = suspensions.find((s) => s.restored_at === null);
    const unCertified = awards.find(
      (a) => a.status === 'suspended' && a.suspend_reason_code === 'not_certified',
    );
    const suspendedFrom = open?.suspended_from_period ?? unCertified?.suspended_from_period ?? null;
    const award = awards.find((a) => a.status !== 'stopped');
    const campaign =
      award === undefined
        ? undefined
        : await campaignStanding(
            this.db,
            { personId, region: award.region.trim(), startPeriod: award.start_period },
            today(),
          );
    const state: CertificationState =
      p.death_date !== null
        ? 'deceased'
        : award === undefined
          ? 'not_pensioner'
          : suspendedFrom !== null
            ? 'suspended'
            : campaign === undefined
              ? 'no_campaign'
              : !campaign.due
                ? 'not_due'
                : campaign.certified_on !== null
                  ? 'certified'
                  : 'due';
    const restored = suspensions.find((s) => s.restored_at !== null);
    return {
      personId,
      state,
      suspendedFromPeriod: suspendedFrom,
      campaign:
        campaign === undefined
          ? null
          : {
              id: campaign.id,
              year: campaign.year,
              windowStart: campaign.window_start,
              deadline: campaign.deadline,
              swept: campaign.status === 'swept',
              certifiedOn: campaign.certified_on,
            },
      lastCertifiedOn: certs[0]?.certified_on ?? null,
      restoration:
        restored === undefined
          ? null
          : {
              year: restored.year,
              suspendedFromPeriod: restored.suspended_from_period,
              restoredAt: restored.restored_at,
              restoredFromPeriod: restored.restored_from_period,
            },
      certifications: rows.map(({ c, source }) => ({
        id: c.id,
        certifiedOn: c.certified_on,
        channel: c.channel,
        source,
        recordedBy: c.created_by,
        recordedAt: c.created_at,
      })),
      suspensions: suspensions.map((s) => ({
        id: s.id,
        campaignId: s.campaign_id,
        year: s.year,
        awardId: s.award_id,
        suspendedFromPeriod: s.suspended_from_period,
        suspendedAt: s.created_at,
        restoredAt: s.restored_at,
        restoredFromPeriod: s.restored_from_period,
      })),
    };
  }

  async status(actor: Actor, personId: number) {
    const action = 'certification.status';
    authorize(actor, action);
    const p = await this.persons.target(this.db, actor, action, personId);
    await auditStaffReads(this.db, actor, [{ action: 'certification.read', personId, region: p.region }]);
    const [certs, notices, register, suspensions] = await Promise.all([
      lastCertifications(this.db, personId),
      noticesOfPerson(this.db, personId),
      openRegisterEntry(this.db, personId),
      this.db
        .selectFrom('certification_suspension')
        .select([
          'id',
          'campaign_id',
          'award_id',
          'suspended_from_period',
          'restored_at',
          'restored_from_period',
          'arrears_key',
        ])
        .where('person_id', '=', personId)
        .orderBy('id', 'desc')
        .limit(20)
        .execute(),
    ]);
    return {
      personId,
      lastCertifiedOn: certs[0]?.certified_on ?? null,
      certifications: certs.map((c) => ({
        id: c.id,
        certifiedOn: c.certified_on,
        channel: c.channel,
        source: c.source_ref,
        recordedBy: c.created_by,
        recordedAt: c.created_at,
      })),
      suspensions: suspensions.map((s) => ({
        id: s.id,
        campaignId: s.campaign_id,
        awardId: s.award_id,
        suspendedFromPeriod: s.suspended_from_period,
        restoredAt: s.restored_at,
        restoredFromPeriod: s.restored_from_period,
        arrearsKey: s.arrears_key,
      })),
      notices: notices.map((n) => ({
        id: n.id,
        kind: n.kind,
        campaignId: n.campaign_id,
        detail: n.detail,
        createdAt: n.created_at,
      })),
      onVisitRegister: register
        ? { reason: register.reason, note: register.note, addedAt: register.added_at }
        : null,
    };
  }
}
