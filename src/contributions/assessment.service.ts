// Assessment: a region's declarations of a period become bills (set-based, assessment.repository.ts),
// the receivables are posted to the fund journal and the run is audited, in one transaction.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import type { Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { assessPeriod, type AssessmentSummary } from './assessment.repository.ts';
import { postAssessment } from './contribution-posting.repository.ts';
import { checkPeriod } from './declaration.rules.ts';

export class AssessmentService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

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
}
