// Fund supervision (基金监管), the pure part of the detectors: the catalogue of names, the thresholds
// read from params/supervision with their sources, the fingerprint that makes a re-run add nothing,
// and the scoring a supervisor sorts by. The detection itself is SQL (detector.repository.ts).
import { addPeriods, type IsoDate } from '../core/dates.ts';
import type { ParamReference, ParamStore } from '../core/params.ts';
import type { Words } from '../core/bilingual.ts';

export const DETECTORS = [
  'pension_after_death',
  'unemployment_after_death',
  'double_pension',
  'pension_and_unemployment',
  'unemployment_while_employed',
  'pension_while_suspended',
  'late_career_hire',
  'back_payment_undocumented',
  'staff_own_records',
  'employer_injuries',
  'shared_bank_account',
] as const;
export type DetectorName = (typeof DETECTORS)[number];

export const isDetector = (s: string): s is DetectorName => (DETECTORS as readonly string[]).includes(s);

/** What each detector looks for, in Chinese and English (the finding list and docs/supervision.md). */
export const DETECTOR_TITLES: Record<DetectorName, Words> = {
  pension_after_death: { zh: '死亡后继续领取养老金', en: 'Pension paid after death' },
  unemployment_after_death: { zh: '死亡后继续领取失业金', en: 'Unemployment benefit paid after death' },
  double_pension: { zh: '重复领取基本养老金', en: 'Two basic pensions in the same month' },
  pension_and_unemployment: {
    zh: '同月领取养老金和失业金',
    en: 'Pension and unemployment benefit in the same month',
  },
  unemployment_while_employed: {
    zh: '就业参保期间领取失业金',
    en: 'Unemployment benefit while contributing as employed',
  },
  pension_while_suspended: { zh: '暂停期间仍发放养老金', en: 'Pension paid while suspended' },
  late_career_hire: {
    zh: '临近退休入职且基数异常或补缴',
    en: 'Hired shortly before retirement with a ceiling base or back payments',
  },
  back_payment_undocumented: { zh: '违规补缴', en: 'Back payment without the required documents' },
  staff_own_records: {
    zh: '经办人员办理本人或关联人员业务',
    en: 'Staff acting on their own or a linked person’s record',
  },
  employer_injuries: { zh: '单位工伤异常频发', en: 'Employer with unusually many injuries' },
  shared_bank_account: {
    zh: '多人待遇发往同一银行账户',
    en: 'One bank account receiving benefits for several unrelated people',
  },
};

/** A detector's name in both languages, as the case and recovery views give it (its code if unknown). */
export const detectorTitle = (d: string) => {
  const t = isDetector(d) ? DETECTOR_TITLES[d] : { zh: d, en: d };
  return { detectorZh: t.zh, detectorEn: t.en };
};

/** The thresholds, each a dated parameter in params/supervision/. */
export interface DetectorThresholds {
  lateHireWindowMonths: number;
  lateHireBasePercent: number;
  backPaymentLumpMonths: number;
  backPaymentMinMonths: number;
  injuryWindowMonths: number;
  injuryMinCases: number;
  injuryRatePerThousand: number;
  sharedAccountMinPersons: number;
}

/** A threshold as the evidence records it: the value, where it comes from, and whether it is assumed. */
export interface ThresholdUsed {
  path: string;
  value: number;
  effectiveFrom: string;
  reference: ParamReference;
  uncertain: boolean;
}

const THRESHOLD_PATHS: Record<keyof DetectorThresholds, string> = {
  lateHireWindowMonths: 'supervision/late-hire-window-months',
  lateHireBasePercent: 'supervision/late-hire-base-percent',
  backPaymentLumpMonths: 'supervision/back-payment-lump-months',
  backPaymentMinMonths: 'supervision/back-payment-min-months',
  injuryWindowMonths: 'supervision/injury-window-months',
  injuryMinCases: 'supervision/injury-min-cases',
  injuryRatePerThousand: 'supervision/injury-rate-per-thousand',
  sharedAccountMinPersons: 'supervision/shared-account-min-persons',
};

/** Which thresholds a detector reads (its evidence lists them). */
export const DETECTOR_THRESHOLDS: Record<DetectorName, readonly (keyof DetectorThresholds)[]> = {
  pension_after_death: [],
  unemployment_after_death: [],
  double_pension: [],
  pension_and_unemployment: [],
  unemployment_while_employed: [],
  pension_while_suspended: [],
  late_career_hire: ['lateHireWindowMonths', 'lateHireBasePercent'],
  back_payment_undocumented: ['backPaymentMinMonths', 'backPaymentLumpMonths'],
  staff_own_records: [],
  employer_injuries: ['injuryWindowMonths', 'injuryMinCases', 'injuryRatePerThousand'],
  shared_bank_account: ['sharedAccountMinPersons'],
};

/** Every threshold in force for the region on the day, with its source (params/supervision/*.yaml). */
export function detectorThresholds(
  params: ParamStore,
  region: string,
  asOf: IsoDate,
): { values: DetectorThresholds; used: Record<keyof DetectorThresholds, ThresholdUsed> } {
  const values = {} as DetectorThresholds;
  const used = {} as Record<keyof DetectorThresholds, ThresholdUsed>;
  for (const key of Object.keys(THRESHOLD_PATHS) as (keyof DetectorThresholds)[]) {
    const path = THRESHOLD_PATHS[key];
    const r = params.tryResolve<number>(path, region, asOf);
    if (!r || r.value === null || !Number.isInteger(r.value) || r.value < 0)
      throw new Error(`supervision threshold ${path} has no whole value in force on ${asOf} for ${region}`);
    values[key] = r.value;
    used[key] = {
      path,
      value: r.value,
      effectiveFrom: r.effectiveFrom,
      reference: r.reference,
      uncertain: r.uncertain,
    };
  }
  return { values, used };
}

/** The thresholds one detector reads, for its evidence. */
export function thresholdsOf(
  detector: DetectorName,
  used: Record<keyof DetectorThresholds, ThresholdUsed>,
): ThresholdUsed[] {
  return DETECTOR_THRESHOLDS[detector].map((k) => used[k]);
}

/**
 * The fingerprint of a finding: detector + subject + period. The same fact found again gives the
 * same text, so the unique column turns a re-run into no new row. Subjects are `p<id>` (person),
 * `e<id>` (employer), `u<id>` (staff user), `a<id>` (award) or a hash (bank account).
 */
export function fingerprint(detector: DetectorName, subjects: readonly string[], period?: string): string {
  if (subjects.length === 0) throw new Error('a finding needs a subject');
  for (const s of subjects) if (!/^[a-z]+[0-9a-f]+$/.test(s)) throw new Error(`bad subject ${s}`);
  return [detector, ...subjects, ...(period === undefined ? [] : [period])].join(':');
}

/** Does an employer's injury count exceed both thresholds? (cases ≥ min, and cases per 1,000 workers ≥ rate) */
export function injuriesUnusual(cases: number, workers: number, t: DetectorThresholds): boolean {
  return cases >= t.injuryMinCases && cases * 1000 >= t.injuryRatePerThousand * Math.max(workers, 1);
}

/** Is a contribution base unusual for a late hire? base ≥ percent × average wage, in integers. */
export function baseUnusual(baseFen: number, averageWageFen: number, t: DetectorThresholds): boolean {
  return averageWageFen > 0 && baseFen * 100 >= t.lateHireBasePercent * averageWageFen;
}

/** Which back payments are findings: no approved back-entry for enough months, or a lump of years. */
export function backPaymentFinding(
  months: number,
  documented: boolean,
  t: DetectorThresholds,
): 'undocumented' | 'lump_sum' | null {
  if (months >= t.backPaymentLumpMonths) return 'lump_sum';
  if (!documented && months >= t.backPaymentMinMonths) return 'undocumented';
  return null;
}

/** The first month of the window of `months` that ends with the month of asOf. */
export function windowStart(asOf: IsoDate, months: number): string {
  return addPeriods(asOf.slice(0, 7), -(months - 1));
}

export type Severity = 'high' | 'medium' | 'low';

/**
 * The order a supervisor works in: money already paid wrongly and staff acting on linked records
 * first (high), then patterns with money at risk (medium), then signals without an amount (low).
 * 100,000 yuan and more is always high.
 */
export function severity(detector: DetectorName, amountAtRiskFen: number): Severity {
  if (amountAtRiskFen >= 10_000_000) return 'high';
  if (
    detector === 'pension_after_death' ||
    detector === 'unemployment_after_death' ||
    detector === 'staff_own_records' ||
    detector === 'shared_bank_account'
  )
    return 'high';
  return amountAtRiskFen > 0 ? 'medium' : 'low';
}

/**
 * The account a staff_own_records finding is about (its evidence's userId), so a reader can show the
 * staff member's display name rather than the username the scan stored; null for other findings.
 */
export function staffUserId(evidence: unknown): number | null {
  const e: unknown = typeof evidence === 'string' ? JSON.parse(evidence) : evidence;
  if (e === null || typeof e !== 'object' || !('userId' in e)) return null;
  const id = Number(e.userId);
  return Number.isSafeInteger(id) ? id : null;
}
