// Who may be enrolled in what: the schemes an employee must have, flexible-worker (灵活就业)
// self-enrolment in the employee pension, and residents' pension enrolment. Pure: the facts and the
// parameters come in, a decision with its reasons and a trace comes out.
import { ageInYears, type IsoDate } from '../core/dates.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import { regionContains } from './person.rules.ts';
import type { Words } from '../core/bilingual.ts';

export type SchemeName = 'employee_pension' | 'resident_pension' | 'unemployment' | 'injury';

/** 社会保险法 Art. 10, 44, 33: an employee is insured for pension, unemployment and work injury. */
export const EMPLOYEE_SCHEMES: readonly SchemeName[] = ['employee_pension', 'unemployment', 'injury'];

export const HUKOU_PARAM = 'registry/flexible-enrolment-requires-local-hukou';
export const AGE_PARAM = 'registry/flexible-enrolment-age';

export interface Reason extends Words {
  code:
    | 'dead'
    | 'employed'
    | 'already-enrolled'
    | 'under-age'
    | 'over-age'
    | 'hukou-not-local'
    | 'has-employee-pension';
}

export interface Decision {
  eligible: boolean;
  reasons: Reason[];
  trace: TraceStep[];
}

export interface FlexibleFacts {
  date: IsoDate;
  sex: 'M' | 'F';
  birthDate: IsoDate;
  deathDate: IsoDate | null;
  hukouRegion: string;
  /** the city-level pooling region of the person's residence */
  poolingRegion: string;
  /** open employment relations on `date` */
  openEmployments: number;
  /** an open employee-pension enrolment (any kind) */
  enrolledInEmployeePension: boolean;
}

interface AgeLimits {
  minAge: number;
  maxAgeMale: number;
  maxAgeFemale: number;
}

/**
 * Flexible-worker self-enrolment in the employee pension: not employed, not already enrolled, of
 * working age, and — where the pooling region's dated parameter says so — local hukou.
 */
export function flexibleEligibility(f: FlexibleFacts, params: ParamStore): Decision {
  const trace = new Trace();
  const reasons: Reason[] = [];
  trace.add('date', f.date, 'date', '办理日期');
  trace.add('pooling region', f.poolingRegion, 'text', '统筹地区');
  if (f.deathDate !== null)
    reasons.push({
      code: 'dead',
      zh: `已登记死亡（${f.deathDate}）`,
      en: `recorded as deceased on ${f.deathDate}`,
    });
  trace.add('open employment relations', f.openEmployments, 'count', '在职劳动关系数');
  if (f.openEmployments > 0) {
    reasons.push({
      code: 'employed',
      zh: '目前有在职劳动关系，应由用人单位参保',
      en: 'currently employed: the employer must enrol the person',
    });
  }
  trace.add(
    'already enrolled in the employee pension',
    f.enrolledInEmployeePension,
    'boolean',
    '已参加职工养老保险',
  );
  if (f.enrolledInEmployeePension) {
    reasons.push({
      code: 'already-enrolled',
      zh: '已参加企业职工基本养老保险',
      en: 'already enrolled in the employee pension',
    });
  }
  const limits = params.get<AgeLimits>(AGE_PARAM, f.poolingRegion, f.date, trace);
  const age = ageInYears(f.birthDate, f.date);
  const maxAge = f.sex === 'M' ? limits.maxAgeMale : limits.maxAgeFemale;
  trace.add('age in completed years', age, 'age', '周岁');
  if (age < limits.minAge) {
    reasons.push({
      code: 'under-age',
      zh: `未满 ${limits.minAge} 周岁（现 ${age} 周岁）`,
      en: `younger than ${limits.minAge} (age ${age})`,
    });
  } else if (age >= maxAge) {
    reasons.push({
      code: 'over-age',
      zh: `已达 ${maxAge} 周岁，超过参保年龄`,
      en: `aged ${age}, at or past the enrolment age limit of ${maxAge}`,
    });
  }
  const requiresLocal = params.get<boolean>(HUKOU_PARAM, f.poolingRegion, f.date, trace);
  if (requiresLocal) {
    const local = regionContains(f.poolingRegion, f.hukouRegion);
    trace.add('hukou region', f.hukouRegion, 'text', '户籍地');
    trace.add('hukou in the pooling region', local, 'boolean', '户籍在统筹地区内');
    if (!local) {
      reasons.push({
        code: 'hukou-not-local',
        zh: `统筹地区 ${f.poolingRegion} 在 ${f.date} 要求本地户籍，户籍地 ${f.hukouRegion} 不在本地`,
        en: `pooling region ${f.poolingRegion} requires local hukou on ${f.date}; hukou region ${f.hukouRegion} is not local`,
      });
    }
  }
  trace.add('eligible', reasons.length === 0, 'boolean', '符合条件');
  return { eligible: reasons.length === 0, reasons, trace: trace.steps };
}

export interface ResidentFacts {
  date: IsoDate;
  birthDate: IsoDate;
  deathDate: IsoDate | null;
  enrolledInEmployeePension: boolean;
  enrolledInResidentPension: boolean;
}

/** 城乡居民基本养老保险: 16 or older (not a student — not recorded here), without the employee pension. */
export function residentEligibility(f: ResidentFacts): Decision {
  const trace = new Trace();
  const reasons: Reason[] = [];
  const age = ageInYears(f.birthDate, f.date);
  trace.add('age in completed years', age, 'age', '周岁');
  if (f.deathDate !== null)
    reasons.push({
      code: 'dead',
      zh: `已登记死亡（${f.deathDate}）`,
      en: `recorded as deceased on ${f.deathDate}`,
    });
  if (age < 16)
    reasons.push({
      code: 'under-age',
      zh: `未满 16 周岁（现 ${age} 周岁）`,
      en: `younger than 16 (age ${age})`,
    });
  if (f.enrolledInEmployeePension) {
    reasons.push({
      code: 'has-employee-pension',
      zh: '已参加企业职工基本养老保险，不能同时参加城乡居民养老保险',
      en: 'enrolled in the employee pension, which excludes the residents\u2019 pension',
    });
  }
  if (f.enrolledInResidentPension) {
    reasons.push({
      code: 'already-enrolled',
      zh: '已参加城乡居民基本养老保险',
      en: 'already enrolled in the residents\u2019 pension',
    });
  }
  trace.add('eligible', reasons.length === 0, 'boolean', '符合条件');
  return { eligible: reasons.length === 0, reasons, trace: trace.steps };
}

/** Reasons joined into one clerk-readable message. */
export function reasonText(reasons: readonly Reason[]): Words {
  return { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') };
}
