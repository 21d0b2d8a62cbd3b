// A flexible worker's declaration is billed at once (not at the next monthly assessment), so the
// worker can pay it online right away: the assessment of that one person's declaration, with the
// same SQL, ledger posting and outbox event as the region's run. A month already on a live bill is
// not billed twice (the assessment's anti-join); the region's later run skips it for the same reason.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import type { Period } from '../core/dates.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { assessPeriod } from './assessment.repository.ts';
import { postAssessment } from './contribution-posting.repository.ts';
import type { ContributionService } from './contribution.service.ts';

export interface FlexibleDeclared {
  declarationId: number;
  floorFen: number;
  ceilingFen: number;
  /** the bill of the declared month (new or the live one already there), null when none */
  billId: number | null;
  billTotalFen: number | null;
}

export class FlexibleBillingService {
  constructor(
    private readonly svc: ContributionService,
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async declareAndBill(
    actor: Actor,
    personId: number,
    input: { period: Period; baseFen: number },
  ): Promise<FlexibleDeclared> {
    const d = await this.svc.declareFlexible(actor, personId, input);
    const bill = await this.db.transaction().execute(async (tx) => {
      const decl = await tx
        .selectFrom('contribution_declaration')
        .select(['region'])
        .where('id', '=', d.declarationId)
        .executeTakeFirstOrThrow();
      const region = decl.region.trim();
      const s = await assessPeriod(tx, this.params, {
        region,
        period: input.period,
        today: today(),
        createdBy: actor.username,
        personId,
      });
      if (s.bills > 0) {
        await postAssessment(tx, actor, s);
        await appendAudit(tx, actor, {
          action: 'assessment.flexible',
          entityType: 'contribution_assessment',
          entityId: s.assessmentId,
          region,
          subjectPersonId: personId,
          after: s,
        });
      }
      return tx
        .selectFrom('contribution_bill')
        .select(['id', 'total_fen'])
        .where('person_id', '=', personId)
        .where('payer_kind', '=', 'flexible')
        .where('period', '=', input.period)
        .where('status', '<>', 'cancelled')
        .orderBy('id', 'desc')
        .executeTakeFirst();
    });
    return {
      ...d,
      billId: bill ? Number(bill.id) : null,
      billTotalFen: bill ? Number(bill.total_fen) : null,
    };
  }
}
