// A person's certification status: latest proofs of life, suspensions for want of one, notices, and
// whether they are on the home-visit register. Citizens see their own; staff their region's.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import type { Db } from '../db/connection.ts';
import { PersonService } from '../registry/person.service.ts';
import { lastCertifications, noticesOfPerson, openRegisterEntry } from './certification.repository.ts';

export class CertificationStatusService {
  private readonly persons: PersonService;

  constructor(private readonly db: Db) {
    this.persons = new PersonService(db);
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
