// The codes a work-injury case, its appraisals and its benefits carry, each listed once with its words
// in both languages. The tables' types, the routes' schemas, the injury pages, the web catalogue and
// the approval page (web/src/pages/agency/approval-values.ts) all read these lists: the approval page
// had its own copy of the benefit kinds. A code added to a list does not compile until it has words.
import { codeLabels, type Words } from '../core/bilingual.ts';

/** An accident at work, or an occupational disease (its "accident date" is the diagnosis). */
export const CASE_KINDS = ['injury', 'occupational_disease'] as const;
export type InjuryKind = (typeof CASE_KINDS)[number];
const CASE_KIND_WORDS: Readonly<Record<InjuryKind, Words>> = {
  injury: { zh: '事故伤害', en: 'Accident' },
  occupational_disease: { zh: '职业病', en: 'Occupational disease' },
};

/** Where a case stands, from the report to the recognition decision. */
export const CASE_STATUSES = [
  'reported',
  'accepted',
  'suspended',
  'proposed',
  'recognised',
  'not_recognised',
  'withdrawn',
] as const;
export type InjuryCaseStatus = (typeof CASE_STATUSES)[number];
const CASE_STATUS_WORDS: Readonly<Record<InjuryCaseStatus, Words>> = {
  reported: { zh: '已申请', en: 'Applied' },
  accepted: { zh: '已受理', en: 'Accepted' },
  suspended: { zh: '已中止', en: 'Suspended' },
  proposed: { zh: '待复核', en: 'Awaiting review' },
  recognised: { zh: '认定工伤', en: 'Recognised' },
  not_recognised: { zh: '不予认定', en: 'Not recognised' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** What a recognition decides: the status the case ends in. */
export const RECOGNITION_OUTCOMES = [
  'recognised',
  'not_recognised',
] as const satisfies readonly InjuryCaseStatus[];
export type RecognitionOutcome = (typeof RECOGNITION_OUTCOMES)[number];

/** The papers an application carries. */
export const DOCUMENT_KINDS = ['medical', 'labour_relation', 'accident', 'identity', 'other'] as const;
export type InjuryDocumentKind = (typeof DOCUMENT_KINDS)[number];
const DOCUMENT_KIND_WORDS: Readonly<Record<InjuryDocumentKind, Words>> = {
  medical: { zh: '医疗诊断证明', en: 'Medical certificate' },
  labour_relation: { zh: '劳动关系证明', en: 'Proof of employment' },
  accident: { zh: '事故调查材料', en: 'Accident report' },
  identity: { zh: '身份证明', en: 'Identity' },
  other: { zh: '其他', en: 'Other' },
};

/** A work-capacity appraisal: the first, one asked for again within 15 days, or a review a year on. */
export const APPRAISAL_KINDS = ['initial', 'reappraisal', 'review'] as const;
export type AppraisalKind = (typeof APPRAISAL_KINDS)[number];
const APPRAISAL_KIND_WORDS: Readonly<Record<AppraisalKind, Words>> = {
  initial: { zh: '初次鉴定', en: 'Initial' },
  reappraisal: { zh: '再次鉴定', en: 'Re-appraisal' },
  review: { zh: '复查鉴定', en: 'Review' },
};

/** How far an appraisal finds the worker depends on nursing (生活自理障碍). */
export const NURSING_LEVELS = ['none', 'partial', 'mostly', 'wholly'] as const;
export type NursingLevel = (typeof NURSING_LEVELS)[number];
const NURSING_LEVEL_WORDS: Readonly<Record<NursingLevel, Words>> = {
  none: { zh: '无护理依赖', en: 'None' },
  partial: { zh: '部分护理依赖', en: 'Partly dependent' },
  mostly: { zh: '大部分护理依赖', en: 'Mostly dependent' },
  wholly: { zh: '完全护理依赖', en: 'Wholly dependent' },
};

/** The benefits of a recognised case (工伤保险条例 Art. 30–39). */
export const BENEFIT_KINDS = [
  'disability_lump_sum',
  'disability_allowance',
  'nursing_allowance',
  'medical_subsidy',
  'employment_subsidy',
  'funeral_grant',
  'death_grant',
  'dependents_pension',
] as const;
export type InjuryBenefitKind = (typeof BENEFIT_KINDS)[number];
export const BENEFIT_KIND_WORDS: Readonly<Record<InjuryBenefitKind, Words>> = {
  disability_lump_sum: { zh: '一次性伤残补助金', en: 'One-off disability subsidy' },
  disability_allowance: { zh: '伤残津贴', en: 'Disability allowance' },
  nursing_allowance: { zh: '生活护理费', en: 'Nursing allowance' },
  medical_subsidy: { zh: '一次性工伤医疗补助金', en: 'One-off injury medical subsidy' },
  employment_subsidy: { zh: '一次性伤残就业补助金', en: 'One-off disability employment subsidy' },
  funeral_grant: { zh: '丧葬补助金', en: 'Funeral grant' },
  death_grant: { zh: '一次性工亡补助金', en: 'One-off death grant' },
  dependents_pension: { zh: '供养亲属抚恤金', en: 'Dependants’ pension' },
};

/** A dead worker's dependant, by relation (供养亲属; the spouse's share differs from the others'). */
export const DEPENDENT_RELATIONS = ['spouse', 'child', 'parent', 'other'] as const;
export type DependentRelation = (typeof DEPENDENT_RELATIONS)[number];
const DEPENDENT_RELATION_WORDS: Readonly<Record<DependentRelation, Words>> = {
  spouse: { zh: '配偶', en: 'spouse' },
  child: { zh: '子女', en: 'child' },
  parent: { zh: '父母', en: 'parent' },
  other: { zh: '其他亲属', en: 'other relative' },
};

/** Who pays a benefit: the work-injury fund, or the employer (an uninsured one pays every item). */
export const BENEFIT_PAYERS = ['fund', 'employer'] as const;
export type BenefitPayer = (typeof BENEFIT_PAYERS)[number];
const BENEFIT_PAYER_WORDS: Readonly<Record<BenefitPayer, Words>> = {
  fund: { zh: '工伤保险基金', en: 'Work-injury fund' },
  employer: { zh: '用人单位', en: 'Employer' },
};

/** Where a decided benefit stands. */
export const BENEFIT_STATUSES = ['decided', 'paid', 'owed_by_employer', 'stopped'] as const;
export type InjuryBenefitStatus = (typeof BENEFIT_STATUSES)[number];
const BENEFIT_STATUS_WORDS: Readonly<Record<InjuryBenefitStatus, Words>> = {
  decided: { zh: '已核定，按月发放', en: 'Decided, paid monthly' },
  paid: { zh: '已支付', en: 'Paid' },
  owed_by_employer: { zh: '由用人单位支付', en: 'Owed by the employer' },
  stopped: { zh: '已停发', en: 'Stopped' },
};

/** The web catalogue's words of these codes in one language, keyed as the pages look them up. */
export function injuryCodeLabels(lang: keyof Words) {
  return {
    ...codeLabels('injury.kind', CASE_KIND_WORDS, lang),
    ...codeLabels('injury.status', CASE_STATUS_WORDS, lang),
    ...codeLabels('injury.doc', DOCUMENT_KIND_WORDS, lang),
    ...codeLabels('injury.appraisal', APPRAISAL_KIND_WORDS, lang),
    ...codeLabels('injury.nursing', NURSING_LEVEL_WORDS, lang),
    ...codeLabels('injury.benefit', BENEFIT_KIND_WORDS, lang),
    ...codeLabels('injury.relation', DEPENDENT_RELATION_WORDS, lang),
    ...codeLabels('injury.payer', BENEFIT_PAYER_WORDS, lang),
    ...codeLabels('injury.benefitStatus', BENEFIT_STATUS_WORDS, lang),
  };
}
