// A certification lifts the person's open suspensions: the award is restored and the back pay for
// the suspended months queued through the pension capability's AwardService.restore (docs/pension-schema.md),
// in the caller's transaction, with a restoration notice per suspension.
import type { Actor } from '../auth/actor.ts';
import { addPeriods, periodOf } from '../core/dates.ts';
import { today } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { AwardService } from '../pension/award.service.ts';
import { insertNotice, markRestored, openSuspensionsLiftedBy } from './certification.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';

export interface Restoration {
  awardId: number;
  suspensionId: number;
  arrearsFen: number;
  fromPeriod: string | null;
  toPeriod: string | null;
}

export class RestorationService {
  constructor(private readonly tx: Db) {}

  async restoreAfterCertification(
    actor: Actor,
    personId: number,
    certification: { id: number; certifiedOn: string },
  ): Promise<Restoration[]> {
    const lifted = await openSuspensionsLiftedBy(this.tx, personId, certification.certifiedOn);
    const out: Restoration[] = [];
    for (const s of lifted) {
      const r = await new AwardService(this.tx).restore(actor, {
        awardId: s.award_id,
        reason: auditReason('pension-restored', {
          certification: certification.id,
          date: certification.certifiedOn,
          suspension: s.id,
        }),
      });
      // Regular payment resumes with the first period after the back pay (or the current month).
      const resumesFrom = r.toPeriod === null ? periodOf(today()) : addPeriods(r.toPeriod, 1);
      const key =
        r.fromPeriod === null || r.arrearsFen === 0
          ? null
          : `restoration:${s.award_id}:${s.suspended_from_period}`;
      await markRestored(this.tx, s.id, certification.id, resumesFrom, key);
      await insertNotice(this.tx, {
        person_id: personId,
        kind: 'restoration',
        campaign_id: s.campaign_id,
        suspension_id: s.id,
        detail: {
          awardId: s.award_id,
          certificationId: certification.id,
          certifiedOn: certification.certifiedOn,
          arrearsFen: r.arrearsFen,
          fromPeriod: r.fromPeriod,
          toPeriod: r.toPeriod,
          resumesFrom,
        },
      });
      out.push({
        awardId: s.award_id,
        suspensionId: s.id,
        arrearsFen: r.arrearsFen,
        fromPeriod: r.fromPeriod,
        toPeriod: r.toPeriod,
      });
    }
    return out;
  }
}
