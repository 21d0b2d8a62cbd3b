// What every process of a work-injury case shares and that is no use case: the views the services
// answer with, whose case it is (targetOf), the errors they share, the words of nursing levels in notes,
// and the case's deadline list from the pure `injury-deadline` rule.
import type { Target } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import type { IsoDate } from '../core/dates.ts';
import type { HolidayCalendar } from '../core/working-days.ts';
import { int } from '../db/values.ts';
import type { InjuryCaseRow } from './injury-case.repository.ts';
import { computeInjuryDeadlines, type InjuryDeadlineResult } from './injury-deadline.rules.ts';
import type {
  InjuryBenefitKind,
  InjuryBenefitStatus,
  InjuryDocumentKind,
  InjuryKind,
  NursingLevel,
} from './injury.tables.ts';

/** The hall's services a case reports to (case.status events). */
export const RECOGNITION_SERVICE = 'injury-recognition';
export const APPRAISAL_SERVICE = 'work-capacity-assessment';

export interface DeadlineView {
  key: string;
  date: string | null;
  /** the day the step was done (null while open) */
  doneOn: string | null;
  overdue: boolean;
  /** a window of the applicant or employer (appeal, re-appraisal), not a limit on the agency */
  party: boolean;
}

export interface AppraisalView {
  id: number;
  kind: 'initial' | 'reappraisal' | 'review';
  receivedDate: string;
  conclusionDate: string | null;
  grade: number | null;
  nursingLevel: NursingLevel;
  status: 'pending' | 'concluded';
}

export interface BenefitView {
  id: number;
  kind: InjuryBenefitKind;
  payer: 'fund' | 'employer';
  advanced: boolean;
  monthly: boolean;
  amountFen: number;
  fromPeriod: string | null;
  status: InjuryBenefitStatus;
  paidFen: number;
  proposedBy: string | null;
  reviewedBy: string | null;
}

export interface CaseView extends Pick<
  InjuryCaseRow,
  | 'reportedDate'
  | 'lateDays'
  | 'employerInsured'
  | 'acceptedDate'
  | 'simpleCase'
  | 'decidedDate'
  | 'deliveredDate'
  | 'decisionNote'
> {
  id: number;
  personId: number;
  personName: string;
  employerId: number;
  employerName: string;
  regionCode: string;
  kind: InjuryKind;
  accidentDate: string;
  description: string;
  status: InjuryCaseRow['status'];
  reporterKind: InjuryCaseRow['reporterKind'];
  /** a recognition waiting for the reviewer */
  pendingApprovalId: number | null;
  proposedOutcome: 'recognised' | 'not_recognised' | null;
  deadlines: DeadlineView[];
  overdue: boolean;
  suspensions: Array<{ fromDate: string; toDate: string | null; reason: string }>;
  documents: Array<{
    id: number;
    kind: InjuryDocumentKind;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    uploadedAt: string;
  }>;
  appraisals: AppraisalView[];
  benefits: BenefitView[];
  recoveries: Array<{
    id: number;
    benefitId: number;
    amountFen: number;
    recoveredFen: number;
    status: string;
    payByDate: string;
  }>;
  events: Array<{
    fromStatus: string | null;
    toStatus: string;
    kind: string;
    note: string | null;
    /** null for a worker or an employer */
    actor: string | null;
    at: string;
  }>;
}

export interface CaseListItem {
  id: number;
  personName: string;
  employerName: string;
  kind: InjuryKind;
  accidentDate: string;
  status: InjuryCaseRow['status'];
  reportedDate: string;
  lateDays: number;
  employerInsured: boolean;
  nextDeadline: string | null;
  nextDeadlineKey: string | null;
  overdue: boolean;
  pendingApprovalId: number | null;
}

const DAY_LIMITS_BY_AGENCY = new Set([
  'acceptanceDeadline',
  'decisionDeadline',
  'simpleCaseDeadline',
  'deliveryDeadline',
  'appraisalMaterialsDeadline',
  'appraisalDeadline',
  'appraisalExtendedDeadline',
]);

export const targetOf = (c: { personId: number; employerId: number; regionCode: string }): Target => ({
  personId: c.personId,
  employerIds: [c.employerId],
  region: c.regionCode,
});

export function bad(field: string, zh: string, en: string): SbError {
  return new SbError('SB_ERR_VALIDATION', { field, zh, en });
}

export function conflict(zh: string, en: string): SbError {
  return new SbError('SB_ERR_CONFLICT', { zh, en });
}

export const NURSING_ZH: Record<NursingLevel, string> = {
  none: '无生活护理依赖',
  partial: '部分护理依赖',
  mostly: '大部分护理依赖',
  wholly: '完全护理依赖',
};

export const NURSING_EN: Record<NursingLevel, string> = {
  none: 'no nursing dependency',
  partial: 'partly dependent on nursing',
  mostly: 'mostly dependent on nursing',
  wholly: 'wholly dependent on nursing',
};

export function appraisalView(a: {
  id: number;
  kind: 'initial' | 'reappraisal' | 'review';
  received_date: string;
  conclusion_date: string | null;
  grade: number | null;
  nursing_level: NursingLevel;
  status: 'pending' | 'concluded';
}): AppraisalView {
  return {
    id: int(a.id),
    kind: a.kind,
    receivedDate: a.received_date,
    conclusionDate: a.conclusion_date,
    grade: a.grade,
    nursingLevel: a.nursing_level,
    status: a.status,
  };
}

/** Whether a deadline binds this case: the 15-day simple-case limit only a case accepted as simple, the extension never by itself. */
export function deadlineApplies(key: string, simpleCase: boolean): boolean {
  return key === 'simpleCaseDeadline' ? simpleCase : key !== 'appraisalExtendedDeadline';
}

/** Every deadline of a case from its dates, with the day it was met and whether it is overdue on `on`. */
export function deadlineList(
  c: {
    accidentDate: string;
    reportedDate: string;
    reporterKind: string;
    acceptedDate: string | null;
    simpleCase: boolean;
    decidedDate: string | null;
    deliveredDate: string | null;
    status: string;
  },
  suspensions: ReadonlyArray<{ from_date: string; to_date: string | null }>,
  appraisal: { received_date: string; conclusion_date: string | null; kind: string } | null,
  on: IsoDate,
  cal: HolidayCalendar,
): { rule: InjuryDeadlineResult; list: DeadlineView[] } {
  const rule = computeInjuryDeadlines(
    {
      accidentDate: c.accidentDate,
      reportedDate: c.reportedDate,
      reporterKind: c.reporterKind === 'employer' ? 'employer' : 'worker',
      receivedDate: c.reportedDate,
      acceptedDate: c.acceptedDate ?? undefined,
      suspensions: suspensions.map((s) =>
        s.to_date === null ? { from: s.from_date } : { from: s.from_date, to: s.to_date },
      ),
      decisionDate: c.decidedDate ?? undefined,
      deliveredDate: c.deliveredDate ?? undefined,
      appraisalReceivedDate: appraisal?.received_date,
      conclusionReceivedDate:
        appraisal?.kind === 'initial' ? (appraisal.conclusion_date ?? undefined) : undefined,
      conclusionDate: appraisal?.conclusion_date ?? undefined,
    },
    cal,
  );
  const closed = c.status === 'withdrawn';
  const accepted =
    c.acceptedDate ?? (c.status === 'not_recognised' || c.status === 'recognised' ? c.decidedDate : null);
  const done: Record<string, string | null> = {
    employerDeadline: c.reporterKind === 'employer' ? c.reportedDate : null,
    workerDeadline: c.reportedDate,
    acceptanceDeadline: accepted,
    decisionDeadline: c.decidedDate,
    simpleCaseDeadline: c.decidedDate,
    deliveryDeadline: c.deliveredDate,
    appraisalMaterialsDeadline: appraisal ? appraisal.received_date : null,
    appraisalDeadline: appraisal?.conclusion_date ?? null,
    appraisalExtendedDeadline: appraisal?.conclusion_date ?? null,
  };
  const list: DeadlineView[] = [];
  for (const [key, value] of Object.entries(rule)) {
    if (!key.endsWith('Deadline') && key !== 'reviewEarliestDate') continue;
    const date = (value as string | null) ?? null;
    const party = !DAY_LIMITS_BY_AGENCY.has(key) && key !== 'employerDeadline' && key !== 'workerDeadline';
    const doneOn = done[key] ?? null;
    const overdue =
      !closed &&
      !party &&
      deadlineApplies(key, c.simpleCase) &&
      date !== null &&
      (doneOn === null ? on > date : doneOn > date) &&
      // a suspended case's decision clock is stopped
      !(c.status === 'suspended' && (key === 'decisionDeadline' || key === 'simpleCaseDeadline')) &&
      // the employer's own window is shown as late days, and the worker's is the applicant's
      key !== 'employerDeadline' &&
      key !== 'workerDeadline' &&
      // the appraisal materials notice is met by the committee's acknowledgement, not tracked here
      key !== 'appraisalMaterialsDeadline';
    list.push({ key, date, doneOn, overdue, party });
  }
  return { rule, list };
}
