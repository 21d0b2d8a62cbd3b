// Work-injury cases end to end (issue 13), one service per process over one case table:
// `InjuryCaseService` (report, the case and its deadlines, the queue, documents, statistics),
// `RecognitionService` (acceptance, suspension, recognition released by a reviewer, the letter),
// `InjuryAppraisalService` (capacity appraisals) and `InjuryBenefitService` (benefits by grade, what an
// employer owes). This one joins them for the routes and gives the capability's approval kinds; it
// adds no logic.
import type { AppContext } from '../app-context.ts';
import type { ApprovalKind } from '../approval/approval.service.ts';
import { authorize } from '../auth/policy.ts';
import { InjuryAppraisalService } from './injury-appraisal.service.ts';
import { InjuryBenefitService, type ComputedBenefit } from './injury-benefit.service.ts';
import { InjuryCaseService } from './injury-case.service.ts';
import { RecognitionService, type RecognitionPayload } from './injury-recognition.service.ts';

export class InjuryService {
  readonly cases: InjuryCaseService;
  readonly recognition: RecognitionService;
  readonly appraisals: InjuryAppraisalService;
  readonly benefits: InjuryBenefitService;
  constructor(private readonly ctx: AppContext) {
    this.cases = new InjuryCaseService(ctx);
    this.recognition = new RecognitionService(ctx, this.cases);
    this.appraisals = new InjuryAppraisalService(ctx, this.cases);
    this.benefits = new InjuryBenefitService(ctx, this.cases);
  }

  /** The approval kinds of the work-injury capability (assembled in src/approval-kinds.ts). */
  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'injury-recognition',
        checkAction: 'injury.recognise',
        execute: (maker, payload, approvalId) =>
          this.recognition.decide(maker, approvalId, payload as RecognitionPayload),
      },
      {
        kind: 'injury-benefit',
        checkAction: 'money.release',
        execute: (maker, payload, approvalId) =>
          this.benefits.decideBenefit(maker, approvalId, payload as ComputedBenefit),
      },
      {
        kind: 'injury-payroll',
        checkAction: 'money.release',
        resumable: true,
        background: true,
        execute: async (maker, payload) => {
          const p = payload as { period: string; region: string };
          authorize(maker, 'injury.payroll', { region: p.region });
          const { runInjuryPayroll } = await import('./injury-payroll.job.ts');
          return runInjuryPayroll(this.ctx.db, maker, p);
        },
      },
    ];
  }
}
