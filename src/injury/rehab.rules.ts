// Rehabilitation screening at recognition (工伤康复早期介入筛查, issue #13 item 6), pure: the case's
// facts in → whether the case is flagged for rehabilitation, which kinds, and a trace of the criteria.
//
// Criteria (UNCERTAIN — recalled, not checked against the texts; a province replaces them with its
// own list): the injury kinds that national guidance names as the focus of work-injury
// rehabilitation — head/brain injury, spinal cord injury, peripheral nerve injury, amputation,
// fractures and joint injuries, hand injuries, burns (劳社部发〔2007〕31号《关于加强工伤康复试点工作的
// 指导意见》; 人社部发〔2013〕30号《工伤康复服务项目（试行）》《工伤康复服务规范（试行）》) — and, once
// appraised, a disability of grade 1–6. Vocational rehabilitation (职业康复) is offered to workers
// below 60 who can go back to work (grade 5–10 or not yet appraised); grade 1–4 workers leave work
// (条例 Art. 35) and get medical rehabilitation only.
import type { TraceStep } from '../core/trace.ts';
import type { Words } from '../core/bilingual.ts';

export type RehabCategory =
  | 'brain'
  | 'spinal-cord'
  | 'peripheral-nerve'
  | 'amputation'
  | 'fracture'
  | 'hand'
  | 'burn'
  | 'pneumoconiosis';

export type RehabKind = 'medical' | 'vocational';

/** The rehabilitation rules, as the trace cites them (the items are recalled: the steps are marked uncertain). */
const REHAB_SOURCE = {
  referenceZh: '劳社部发〔2007〕31号；《工伤康复服务项目（试行）》（人社部发〔2013〕30号）',
  reference:
    'Laoshebufa [2007] No. 31; Work-Injury Rehabilitation Service Items (trial) (Renshebufa [2013] No. 30)',
};

/** Words in the case's description that point to a category (zh). */
const KEYWORDS: Record<RehabCategory, RegExp> = {
  brain: /颅脑|脑外伤|脑挫|颅骨|脑出血/,
  'spinal-cord': /脊髓|截瘫|四肢瘫/,
  'peripheral-nerve': /神经损伤|神经断裂|臂丛/,
  amputation: /截肢|离断|断指|断肢/,
  fracture: /骨折|关节|脱位|韧带/,
  hand: /手外伤|手指|手掌|手部/,
  burn: /烧伤|烫伤|灼伤/,
  pneumoconiosis: /尘肺|矽肺|硅肺/,
};

export const REHAB_CATEGORY_NAMES: Record<RehabCategory, Words> = {
  brain: { zh: '颅脑损伤', en: 'head or brain injury' },
  'spinal-cord': { zh: '脊髓损伤', en: 'spinal cord injury' },
  'peripheral-nerve': { zh: '周围神经损伤', en: 'peripheral nerve injury' },
  amputation: { zh: '截肢或离断伤', en: 'amputation' },
  fracture: { zh: '骨折及关节损伤', en: 'fracture or joint injury' },
  hand: { zh: '手外伤', en: 'hand injury' },
  burn: { zh: '烧伤', en: 'burn' },
  pneumoconiosis: { zh: '尘肺（呼吸康复）', en: 'pneumoconiosis (respiratory rehabilitation)' },
};

export interface RehabInput {
  description: string;
  /** categories a clerk recorded; when given, the description is not searched */
  categories?: RehabCategory[] | undefined;
  ageAtAccident: number;
  /** the disability grade once appraised (1–10), else null */
  grade: number | null;
}

export interface RehabScreening {
  flagged: boolean;
  kinds: RehabKind[];
  categories: RehabCategory[];
  trace: TraceStep[];
}

export function detectRehabCategories(description: string): RehabCategory[] {
  return (Object.keys(KEYWORDS) as RehabCategory[]).filter((c) => KEYWORDS[c].test(description));
}

export function screenRehabilitation(input: RehabInput): RehabScreening {
  const trace: TraceStep[] = [];
  const categories = input.categories ?? detectRehabCategories(input.description);
  // The figures go into the step's words in each language and the value is a yes or no, so a reader
  // of either language sees the whole step in theirs.
  const names = (lang: 'zh' | 'en') => categories.map((c) => REHAB_CATEGORY_NAMES[c][lang]);
  trace.push({
    step: `injury categories (${input.categories ? 'recorded by the clerk' : 'from the description'}): ${names('en').join(', ') || 'none'}`,
    stepZh: `伤情类别（${input.categories ? '经办人员录入' : '由伤情描述识别'}）：${names('zh').join('、') || '无'}`,
    value: categories.length > 0,
    unit: 'boolean',
    ...REHAB_SOURCE,
    uncertain: true,
  });
  const byGrade = input.grade !== null && input.grade >= 1 && input.grade <= 6;
  trace.push({
    step:
      input.grade === null
        ? 'disability grade 1–6 (not yet appraised)'
        : `disability grade ${input.grade}, within grades 1–6`,
    stepZh: input.grade === null ? '伤残等级为一至六级（尚未鉴定）' : `伤残等级${input.grade}级，属一至六级`,
    value: byGrade,
    unit: 'boolean',
    uncertain: true,
  });
  const flagged = categories.length > 0 || byGrade;
  const kinds: RehabKind[] = [];
  if (flagged) kinds.push('medical');
  const canReturn = input.grade === null || input.grade >= 5;
  if (flagged && input.ageAtAccident < 60 && canReturn) kinds.push('vocational');
  trace.push({
    step: `aged ${input.ageAtAccident} at the accident, below 60 and able to return to work → vocational rehabilitation`,
    stepZh: `事故时${input.ageAtAccident}周岁，未满60周岁且可返岗 → 职业康复`,
    value: kinds.includes('vocational'),
    unit: 'boolean',
    uncertain: true,
  });
  trace.push({ step: 'flagged for rehabilitation', stepZh: '纳入工伤康复', value: flagged, unit: 'boolean' });
  return { flagged, kinds, categories, trace };
}
