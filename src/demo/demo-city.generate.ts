// Generates the rows of the demo city in memory, chunk by chunk, as columns ready for `unnest`.
// Pure and deterministic: every person and employer draws from its own stream (seed, kind, index),
// so the data do not depend on the chunk size. Only the ID-number sequence counters, the employers'
// head counts and the choice of demo accounts carry state from one person to the next.
import { addMonths, dateParts, dayNumber, daysInMonth, fromDayNumber, type IsoDate } from '../core/dates.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import {
  AGE_PYRAMID,
  AVERAGE_WAGE,
  BANKS,
  CITY_CODE,
  COMPANY_FORMS,
  DISTRICTS,
  ESTATES,
  GIVEN,
  INDUSTRY_CLASSES,
  MOBILE_PREFIXES,
  ORIGINS,
  ROADS,
  SURNAMES,
  TRADE_NAMES,
  VILLAGES,
  VILLAGE_SUFFIX,
  type District,
  type Era,
} from './demo-data.ts';
import { mix32, Rng, weightTable, type WeightTable } from './random.ts';

const STREAM_EMPLOYER = 2;
const STREAM_PERSON = 1;
const STREAM_SERIAL = 3;

/** The first day each scheme's enrolments can start: the 1999 unemployment insurance regulations, the 2004 work-injury regulations. Pension periods before the 1990s reforms count as deemed contributions, so they are kept. */
const UNEMPLOYMENT_FROM = dayNumber('1999-01-22');
const INJURY_FROM = dayNumber('2004-01-01');
const RESIDENT_PENSION_FROM = dayNumber('2011-07-01');
/** The demo city's dated rule (params/registry/flexible-enrolment-requires-local-hukou.yaml): flexible workers registered elsewhere may enrol from 2022-01-01. */
const FLEXIBLE_NON_LOCAL_FROM = dayNumber('2022-01-01');

export type Category =
  | 'child'
  | 'student'
  | 'employee'
  | 'flexible'
  | 'unemployed'
  | 'resident'
  | 'none'
  | 'retiree'
  | 'rural-elderly';

export interface PersonColumns {
  id: number[];
  id_number: string[];
  name: string[];
  sex: string[];
  birth_date: string[];
  hukou_region: string[];
  region: string[];
  phone: Array<string | null>;
  address: Array<string | null>;
  bank_name: Array<string | null>;
  bank_account: Array<string | null>;
  hardship_group: Array<string | null>;
  death_date: Array<string | null>;
}

export interface EmploymentColumns {
  person_id: number[];
  employer_id: number[];
  start_date: string[];
  end_date: Array<string | null>;
  end_reason: Array<string | null>;
  monthly_wage_fen: number[];
}

export interface EnrolmentColumns {
  person_id: number[];
  scheme: string[];
  kind: string[];
  region: string[];
  employer_id: Array<number | null>;
  start_date: string[];
  end_date: Array<string | null>;
  status: string[];
}

export interface EmployerColumns {
  id: number[];
  credit_code: string[];
  name: string[];
  region: string[];
  industry_class: number[];
  size: string[];
  address: string[];
  contact_phone: string[];
}

export interface PersonChunk {
  persons: PersonColumns;
  employment: EmploymentColumns;
  enrolment: EnrolmentColumns;
}

const emptyPersons = (): PersonColumns => ({
  id: [],
  id_number: [],
  name: [],
  sex: [],
  birth_date: [],
  hukou_region: [],
  region: [],
  phone: [],
  address: [],
  bank_name: [],
  bank_account: [],
  hardship_group: [],
  death_date: [],
});
const emptyEmployment = (): EmploymentColumns => ({
  person_id: [],
  employer_id: [],
  start_date: [],
  end_date: [],
  end_reason: [],
  monthly_wage_fen: [],
});
const emptyEnrolment = (): EnrolmentColumns => ({
  person_id: [],
  scheme: [],
  kind: [],
  region: [],
  employer_id: [],
  start_date: [],
  end_date: [],
  status: [],
});

const AGE_GROUPS = weightTable(AGE_PYRAMID.map(([m, f], i) => [i, m + f] as const));
const SURNAME_TABLE = weightTable(SURNAMES);
const DISTRICT_TABLE = weightTable(DISTRICTS.map((d) => [d, d.weight] as const));
const ORIGIN_TABLE = weightTable(ORIGINS.map((o, i) => [i, o.weight] as const));
const BANK_TABLE = weightTable(BANKS.map((b) => [b, b.weight] as const));
const INDUSTRY_TABLE = weightTable(INDUSTRY_CLASSES.map((c) => [c, c.weight] as const));
const FORM_TABLE = weightTable(COMPANY_FORMS);
const LOCAL_CATEGORIES = weightTable<Category>([
  ['employee', 50],
  ['flexible', 10],
  ['unemployed', 3],
  ['resident', 31],
  ['none', 6],
]);
const MIGRANT_CATEGORIES = weightTable<Category>([
  ['employee', 68],
  ['flexible', 6],
  ['unemployed', 4],
  ['none', 22],
]);

/** Average monthly wage in yuan on a day, interpolated geometrically between the table's years. */
export function averageWage(day: number): number {
  const year = 1970 + day / 365.2425;
  let prev = AVERAGE_WAGE[0] ?? [1950, 25];
  for (const point of AVERAGE_WAGE) {
    if (point[0] >= year) {
      if (point[0] === prev[0]) return point[1];
      const t = (year - prev[0]) / (point[0] - prev[0]);
      return prev[1] * Math.pow(point[1] / prev[1], t);
    }
    prev = point;
  }
  return prev[1];
}

/**
 * Statutory retirement date, roughly: 60 for men, 55 for women in staff posts, 50 for women workers,
 * with the gradual increase from 2025 (one month per 4 months of birth, or per 2 for women retiring
 * at 50; at most 3 or 5 years). The pension capability owns the exact rule; this only shapes the demo.
 */
export function demoRetirementDate(birth: IsoDate, sex: 'M' | 'F', femaleStaff: boolean): IsoDate {
  const p = dateParts(birth);
  if (!p) throw new RangeError(`bad birth date ${birth}`);
  return addMonths(birth, retirementMonths(p.year * 12 + p.month - 1, sex, femaleStaff));
}

/** Age at retirement in months, for a birth month given as year × 12 + month − 1. */
function retirementMonths(birthMonth: number, sex: 'M' | 'F', femaleStaff: boolean): number {
  const [age, from, step, cap] =
    sex === 'M' ? [60, 1965 * 12, 4, 36] : femaleStaff ? [55, 1970 * 12, 4, 36] : [50, 1975 * 12, 2, 60];
  const delay = birthMonth >= from ? Math.min(cap, Math.floor((birthMonth - from) / step) + 1) : 0;
  return age * 12 + delay;
}

interface Skip {
  pension?: boolean;
  unemployment?: boolean;
  injury?: boolean;
}
const NO_SKIP: Skip = {};
const SKIP_ALL: Skip = { pension: true, unemployment: true, injury: true };
const SKIP_UNEMPLOYMENT: Skip = { unemployment: true };
const SKIP_INJURY: Skip = { injury: true };

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Day numbers (days since 1970-01-01) to ISO strings and month arithmetic, from tables over a fixed range: no Date per call. */
class DayCalendar {
  private readonly iso: string[] = [];
  private readonly ymd: Int32Array;

  constructor(
    private readonly from: number,
    to: number,
  ) {
    this.ymd = new Int32Array(to - from + 1);
    for (let day = from; day <= to; day++) {
      const s = fromDayNumber(day);
      this.iso.push(s);
      this.ymd[day - from] =
        Number(s.slice(0, 4)) * 10000 + Number(s.slice(5, 7)) * 100 + Number(s.slice(8, 10));
    }
  }

  toIso(day: number): string {
    return this.iso[day - this.from] ?? fromDayNumber(day);
  }

  /** [year, month, day] of a day number. */
  parts(day: number): [number, number, number] {
    const v = this.ymd[day - this.from];
    if (v === undefined) {
      const p = dateParts(fromDayNumber(day));
      return p ? [p.year, p.month, p.day] : [1970, 1, 1];
    }
    return [Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100];
  }

  /** Adds months keeping the day of month, or the month's last day (as core/dates addMonths). */
  addMonths(day: number, months: number): number {
    const [y, m, d] = this.parts(day);
    const total = y * 12 + (m - 1) + months;
    const ny = Math.floor(total / 12);
    const nm = (total % 12) + 1;
    return Date.UTC(ny, nm - 1, Math.min(d, daysInMonth(ny, nm))) / 86_400_000;
  }
}

interface Job {
  start: number;
  end: number;
}

export interface DemoPicks {
  /** A working-age employee with a long history (the `citizen` account). */
  citizenPersonId: number | null;
  /** Head count of current employees per employer index. */
  headcount: Int32Array;
}

export class CityGenerator {
  readonly asOfDay: number;
  private readonly minBirthDay: number;
  private readonly nDays: number;
  private readonly seqCounters: Uint16Array;
  private readonly employerTable: WeightTable<number>;
  private readonly employerClass: Int8Array;
  private readonly employerLarge: Uint8Array;
  private readonly forced: Map<number, number>;
  readonly picks: DemoPicks;
  private readonly cal: DayCalendar;
  // The person being generated (set in person(), read by the helpers below).
  private pId = 0;
  private pRng: Rng = new Rng(0);
  private pFactor = 1;
  private pBirth = 0;
  private pOut: PersonChunk | null = null;
  private fallbackCitizen: number | null = null;
  private readonly employerNames = new Set<string>();

  constructor(
    readonly seed: number,
    readonly persons: number,
    readonly employers: number,
    readonly asOf: IsoDate,
    readonly personIdBase: number,
    readonly employerIdBase: number,
  ) {
    this.asOfDay = dayNumber(asOf);
    this.minBirthDay = this.asOfDay - 115 * 366;
    this.nDays = this.asOfDay - this.minBirthDay + 1;
    this.cal = new DayCalendar(this.minBirthDay - 400, this.asOfDay + 400);
    this.seqCounters = new Uint16Array((DISTRICTS.length + ORIGINS.length) * this.nDays * 2);
    // Employer weights: log-normal, so a few employ many and most employ a handful.
    const weights: Array<readonly [number, number]> = [];
    this.employerClass = new Int8Array(employers);
    this.employerLarge = new Uint8Array(employers);
    for (let j = 0; j < employers; j++) {
      const rng = new Rng(seed, STREAM_EMPLOYER, j);
      rng.weighted(DISTRICT_TABLE);
      this.employerClass[j] = rng.weighted(INDUSTRY_TABLE).cls;
      weights.push([j, 0.3 + Math.exp(1.3 * rng.normal())]); // plus a floor: few employers with nobody
    }
    const byWeight = [...weights].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const nLarge = Math.max(employers > 0 ? 1 : 0, Math.round(employers * 0.05));
    for (let r = 0; r < nLarge; r++) this.employerLarge[byWeight[r]?.[0] ?? 0] = 1;
    this.employerTable = weightTable(weights);
    // A handful of centenarians, whatever the size: the article's 102-year-old retired worker first.
    this.forced = new Map();
    const nForced = Math.min(5, Math.floor(persons / 100));
    const stride = nForced > 0 ? Math.floor(persons / nForced) : 0;
    const forcedAges = [102, 100, 101, 103, 105];
    for (let k = 0; k < nForced; k++)
      this.forced.set(k * stride + Math.floor(stride / 2), forcedAges[k] ?? 100);
    this.picks = { citizenPersonId: null, headcount: new Int32Array(employers) };
  }

  /** The citizen account's person: the first long-career employee, else any employee. */
  citizenPersonId(): number | null {
    return this.picks.citizenPersonId ?? this.fallbackCitizen;
  }

  /** The `employer` account's employer: an SME whose head count is nearest the 75th percentile of those employing anyone. */
  midSizeEmployerIndex(): number {
    const h = this.picks.headcount;
    const sizes = [...h].filter((n) => n > 0).sort((a, b) => a - b);
    const target = sizes[Math.floor(sizes.length * 0.75)] ?? 0;
    let best = 0;
    let bestScore = Infinity;
    for (let j = 0; j < h.length; j++) {
      const score = Math.abs((h[j] ?? 0) - target) + (this.employerLarge[j] === 1 ? 1e9 : 0);
      if (score < bestScore) {
        best = j;
        bestScore = score;
      }
    }
    return best;
  }

  employerId(index: number): number {
    return this.employerIdBase + index;
  }

  /** Employers with index in [from, to); call in order (names are kept unique across calls). */
  generateEmployers(from: number, to: number): EmployerColumns {
    const cols: EmployerColumns = {
      id: [],
      credit_code: [],
      name: [],
      region: [],
      industry_class: [],
      size: [],
      address: [],
      contact_phone: [],
    };
    const names = this.employerNames;
    const serialBase = mix32(this.seed, STREAM_SERIAL) % 100_000_000;
    for (let j = from; j < to; j++) {
      const rng = new Rng(this.seed, STREAM_EMPLOYER, j);
      const district = rng.weighted(DISTRICT_TABLE);
      const industry = rng.weighted(INDUSTRY_TABLE);
      rng.normal(); // the weight, drawn in the constructor
      const large = this.employerLarge[j] === 1;
      let name = '';
      for (let attempt = 0; attempt < 12 && (name === '' || names.has(name)); attempt++) {
        const trade = rng.pick(TRADE_NAMES);
        const what = rng.pick(industry.trades);
        const prefix =
          attempt >= 6
            ? `${district.companyPrefix}${rng.pick(district.towns).replace(/(街道|镇|乡)$/, '')}`
            : large && rng.chance(0.5)
              ? '安徽'
              : district.companyPrefix;
        const form = large ? (rng.chance(0.5) ? '集团有限公司' : '股份有限公司') : rng.weighted(FORM_TABLE);
        name = `${prefix}${trade}${what}${form}`;
      }
      if (names.has(name)) name = `${name}（${j + 1}）`;
      names.add(name);
      cols.id.push(this.employerId(j));
      cols.credit_code.push(makeCreditCode(district.code, (serialBase + (j + 1) * 7919) % 100_000_000));
      cols.name.push(name);
      cols.region.push(CITY_CODE);
      cols.industry_class.push(industry.cls);
      cols.size.push(large ? 'large' : 'sme');
      cols.address.push(
        `安徽省${district.name}${rng.pick(district.towns)}${rng.pick(ROADS)}${rng.between(1, 388)}号`,
      );
      cols.contact_phone.push(`0563-${rng.between(2, 8)}${rng.digits(6)}`);
    }
    return cols;
  }

  /** Persons with index in [from, to), with their employment and enrolments. */
  generatePersons(from: number, to: number): PersonChunk {
    const chunk: PersonChunk = {
      persons: emptyPersons(),
      employment: emptyEmployment(),
      enrolment: emptyEnrolment(),
    };
    for (let i = from; i < to; i++) this.person(i, chunk);
    return chunk;
  }

  private nextSequence(regionIndex: number, birthDay: number, male: boolean): number | null {
    const slot = ((regionIndex * this.nDays + (birthDay - this.minBirthDay)) << 1) | (male ? 1 : 0);
    const k = this.seqCounters[slot] ?? 0;
    if (k >= 500) return null;
    this.seqCounters[slot] = k + 1;
    // Start each (region, day) at a different place, so the numbers look like a police station's.
    const offset = mix32(this.seed, regionIndex, birthDay) % 500;
    return ((offset + k) % 500) * 2 + (male ? 1 : 0);
  }

  private wageFen(
    rng: Rng,
    personFactor: number,
    employerIndex: number,
    day: number,
    birthDay: number,
  ): number {
    const cls = this.employerClass[employerIndex] ?? 1;
    const industry = INDUSTRY_CLASSES[cls - 1]?.wageFactor ?? 1;
    const size = this.employerLarge[employerIndex] === 1 ? 1.15 : 1;
    const age = (day - birthDay) / 365.2425;
    const experience = 0.72 + 0.28 * Math.min(1, Math.max(0, (age - 18) / 20));
    const avg = averageWage(day);
    const yuan = Math.max(
      avg * 0.3,
      avg * personFactor * industry * size * experience * (0.97 + 0.06 * rng.next()),
    );
    return Math.round(yuan) * 100;
  }

  /** Splits [start, end] into n jobs with short gaps between them. */
  private splitCareer(rng: Rng, start: number, end: number, n: number): Job[] {
    if (n <= 1 || end - start < n * 60) return [{ start, end }];
    const cuts: number[] = [];
    for (let k = 0; k < n - 1; k++) cuts.push(start + 30 + rng.int(end - start - 60));
    cuts.sort((a, b) => a - b);
    const jobs: Job[] = [];
    let s = start;
    for (const c of cuts) {
      if (c > s) {
        jobs.push({ start: s, end: c });
        s = c + 1 + rng.int(Math.min(120, Math.max(1, Math.floor((end - c) / 4))));
      }
    }
    if (s <= end) jobs.push({ start: s, end });
    else {
      const last = jobs[jobs.length - 1];
      if (last) last.end = end;
    }
    return jobs;
  }

  private person(i: number, out: PersonChunk): void {
    const rng = new Rng(this.seed, STREAM_PERSON, i);
    const id = this.personIdBase + i;
    const forcedAge = this.forced.get(i);
    // Age and sex from the census pyramid.
    const group = rng.weighted(AGE_GROUPS);
    const [m, f] = AGE_PYRAMID[group] ?? [1, 1];
    let sex: 'M' | 'F' = rng.chance(m / (m + f)) ? 'M' : 'F';
    let age =
      group === 20
        ? Math.min(110, 100 + Math.floor(-Math.log(1 - rng.next()) * 1.5))
        : group * 5 + rng.int(5);
    if (forcedAge !== undefined) {
      age = forcedAge;
      if (forcedAge === 102) sex = 'F';
    }
    const male = sex === 'M';
    const latest = this.cal.addMonths(this.asOfDay, -12 * age);
    let birthDay = latest - rng.int(365);
    // Where they are registered (户籍), and the region code in their ID number.
    const migrantShare = age >= 20 && age < 55 ? 0.12 : 0.04;
    const local = forcedAge !== undefined || !rng.chance(migrantShare);
    const district = rng.weighted(DISTRICT_TABLE);
    const originIndex = rng.weighted(ORIGIN_TABLE);
    const origin = ORIGINS[originIndex] ?? ORIGINS[0];
    if (!origin) throw new Error('no origins');
    const hukou = local ? district.code : origin.hukou;
    const idRegion = local ? district.code : origin.idRegion;
    const regionIndex = local ? DISTRICTS.indexOf(district) : DISTRICTS.length + originIndex;
    let seq = this.nextSequence(regionIndex, birthDay, male);
    while (seq === null) {
      birthDay -= 1; // that day is full in that region: a day earlier
      seq = this.nextSequence(regionIndex, birthDay, male);
    }
    const birth = this.cal.toIso(birthDay);
    const idNumber = makeIdNumber(idRegion, birth, seq);
    const name = this.name(rng, sex, birth);
    const phone =
      age >= 12 && (age < 85 || rng.chance(0.4)) ? `${rng.pick(MOBILE_PREFIXES)}${rng.digits(8)}` : null;
    const address = this.address(rng, district);
    let bankName: string | null = null;
    let bankAccount: string | null = null;
    if (age >= 18 && rng.chance(0.95)) {
      const bank = rng.weighted(BANK_TABLE);
      const body = bank.bin + rng.digits(bank.length - bank.bin.length - 1);
      bankName = bank.name;
      bankAccount = body + luhnDigit(body);
    }
    let hardship: string | null = null;
    if (local) {
      const r = rng.next();
      const dibao = age >= 60 ? 0.03 : 0.012;
      const tekun = age >= 60 ? 0.004 : 0;
      if (r < dibao) hardship = 'dibao';
      else if (r < dibao + tekun) hardship = 'tekun';
      else if (r < dibao + tekun + 0.02) hardship = 'disabled';
    }

    // Life course.
    const personFactor = Math.exp(0.45 * rng.normal() - 0.1);
    const femaleStaff = !male && rng.chance(0.3);
    const retireDay = this.retirementDay(birthDay, sex, femaleStaff);
    const day16 = this.cal.addMonths(birthDay, 16 * 12);
    let deathDay: number | null = null;
    let category: Category;
    if (age < 16) category = 'child';
    else if (retireDay <= this.asOfDay) {
      category =
        forcedAge === 102 || rng.chance(local ? 0.4 : 0.5)
          ? 'retiree'
          : local && rng.chance(0.92)
            ? 'rural-elderly'
            : 'none';
      if (forcedAge === undefined && age >= 65 && rng.chance(Math.min(0.25, 0.02 + 0.005 * (age - 65)))) {
        const lo = Math.max(retireDay + 1, this.asOfDay - 4 * 365);
        if (lo < this.asOfDay) deathDay = lo + rng.int(this.asOfDay - lo);
      }
    } else if ((age <= 18 && rng.chance(0.85)) || (age <= 22 && rng.chance(0.45))) category = 'student';
    else category = rng.weighted(local ? LOCAL_CATEGORIES : MIGRANT_CATEGORIES);

    const careerStart = Math.min(
      this.asOfDay,
      Math.max(day16, this.cal.addMonths(birthDay, 12 * rng.between(18, 23)) + rng.int(365)),
    );
    this.pId = id;
    this.pRng = rng;
    this.pFactor = personFactor;
    this.pBirth = birthDay;
    this.pOut = out;
    const span = this.asOfDay - careerStart;
    const years = span / 365;

    switch (category) {
      case 'employee':
      case 'unemployed': {
        let nPast = Math.min(4, rng.int(Math.floor(years / 4) + 2));
        const currentStart =
          nPast === 0 || span < 400
            ? careerStart
            : careerStart + Math.floor(span * (0.25 + 0.65 * rng.next()));
        if (currentStart === careerStart) nPast = 0;
        this.pastJobs(careerStart, currentStart - 1 - rng.int(60), nPast);
        const employer = rng.weighted(this.employerTable);
        if (category === 'unemployed' && this.asOfDay - currentStart > 60) {
          const separation = Math.max(currentStart + 30, this.asOfDay - rng.between(20, 540));
          const job = { start: currentStart, end: separation };
          this.addJob(employer, job, 'involuntary');
          this.jobEnrolments(employer, job, false, NO_SKIP, true);
          break;
        }
        const job = { start: currentStart, end: this.asOfDay };
        this.addJob(employer, job, null);
        this.picks.headcount[employer] = (this.picks.headcount[employer] ?? 0) + 1;
        // Coverage gaps: an employer that registered nobody, or left out one scheme.
        const g = rng.next();
        this.jobEnrolments(
          employer,
          job,
          true,
          g < 0.005 ? SKIP_ALL : g < 0.015 ? SKIP_UNEMPLOYMENT : g < 0.025 ? SKIP_INJURY : NO_SKIP,
          true,
        );
        if (this.fallbackCitizen === null) this.fallbackCitizen = id;
        if (
          this.picks.citizenPersonId === null &&
          local &&
          g >= 0.025 &&
          nPast >= 2 &&
          age >= 35 &&
          age <= 50 &&
          phone !== null &&
          bankAccount !== null
        ) {
          this.picks.citizenPersonId = id;
        }
        break;
      }
      case 'flexible': {
        // Enrolled below the flexible-enrolment age limit (60 for men, 55 for women) and, when
        // registered elsewhere, only once the city stopped requiring local hukou.
        const ageLimitDay = this.cal.addMonths(birthDay, (male ? 60 : 55) * 12) - 1;
        const earliest = local ? careerStart : Math.max(careerStart, FLEXIBLE_NON_LOCAL_FROM);
        const latestStart = Math.min(this.asOfDay, ageLimitDay);
        if (latestStart < earliest) break;
        const flexStart = latestStart - rng.int(Math.min(latestStart - earliest, 8 * 365) + 1);
        this.pastJobs(
          careerStart,
          flexStart - 30,
          Math.min(2, rng.int(Math.floor((flexStart - careerStart) / 1500) + 1)),
        );
        this.addEnrolment('employee_pension', 'flexible', null, flexStart, null, 'active');
        break;
      }
      case 'resident': {
        const start = Math.min(this.asOfDay, Math.max(RESIDENT_PENSION_FROM, day16) + rng.int(3 * 365));
        if (rng.chance(0.2)) this.pastJobs(careerStart, start - 30, 1);
        this.addEnrolment('resident_pension', 'resident', null, start, null, 'active');
        break;
      }
      case 'none':
        if (rng.chance(0.3))
          this.pastJobs(careerStart, Math.min(retireDay, this.asOfDay) - 30, 1 + rng.int(2));
        break;
      case 'retiree': {
        const start = Math.min(careerStart, retireDay - 5 * 365);
        const jobs = this.splitCareer(rng, start, retireDay, 1 + rng.int(4));
        jobs.forEach((job, k) => {
          const employer = rng.weighted(this.employerTable);
          const last = k === jobs.length - 1;
          this.addJob(employer, job, last ? 'retirement' : rng.chance(0.8) ? 'voluntary' : 'involuntary');
          this.jobEnrolments(employer, job, false, NO_SKIP, last);
        });
        break;
      }
      case 'rural-elderly': {
        const start = Math.max(RESIDENT_PENSION_FROM, day16) + rng.int(2 * 365);
        if (deathDay !== null && deathDay >= start)
          this.addEnrolment('resident_pension', 'resident', null, start, deathDay, 'ended');
        else if (deathDay === null && start <= this.asOfDay)
          this.addEnrolment('resident_pension', 'resident', null, start, null, 'active');
        break;
      }
      case 'child':
      case 'student':
        break;
    }
    this.pOut = null;

    const p = out.persons;
    p.id.push(id);
    p.id_number.push(idNumber);
    p.name.push(name);
    p.sex.push(sex);
    p.birth_date.push(birth);
    p.hukou_region.push(hukou);
    p.region.push(CITY_CODE);
    p.phone.push(deathDay === null ? phone : null);
    p.address.push(address);
    p.bank_name.push(bankName);
    p.bank_account.push(bankAccount);
    p.hardship_group.push(hardship);
    p.death_date.push(deathDay === null ? null : this.cal.toIso(deathDay));
  }

  private retirementDay(birthDay: number, sex: 'M' | 'F', femaleStaff: boolean): number {
    const [y, m] = this.cal.parts(birthDay);
    return this.cal.addMonths(birthDay, retirementMonths(y * 12 + m - 1, sex, femaleStaff));
  }

  private addJob(employer: number, job: Job, reason: string | null): void {
    const emp = this.out().employment;
    emp.person_id.push(this.pId);
    emp.employer_id.push(this.employerId(employer));
    emp.start_date.push(this.cal.toIso(job.start));
    emp.end_date.push(reason === null ? null : this.cal.toIso(job.end));
    emp.end_reason.push(reason);
    emp.monthly_wage_fen.push(
      this.wageFen(this.pRng, this.pFactor, employer, reason === null ? this.asOfDay : job.end, this.pBirth),
    );
  }

  private addEnrolment(
    scheme: string,
    kind: string,
    employer: number | null,
    start: number,
    end: number | null,
    status: string,
  ): void {
    const enr = this.out().enrolment;
    enr.person_id.push(this.pId);
    enr.scheme.push(scheme);
    enr.kind.push(kind);
    enr.region.push(CITY_CODE);
    enr.employer_id.push(employer === null ? null : this.employerId(employer));
    enr.start_date.push(this.cal.toIso(start));
    enr.end_date.push(end === null ? null : this.cal.toIso(end));
    enr.status.push(status);
  }

  /** Employee enrolments for one job: pension always (periods before the 1990s reforms count as deemed contributions), unemployment and injury from the day those schemes began. */
  private jobEnrolments(employer: number, job: Job, open: boolean, skip: Skip, withInjury: boolean): void {
    const end = open ? null : job.end;
    const status = open ? 'active' : 'ended';
    if (!skip.pension) this.addEnrolment('employee_pension', 'employee', employer, job.start, end, status);
    if (!skip.unemployment && (open || job.end >= UNEMPLOYMENT_FROM))
      this.addEnrolment(
        'unemployment',
        'employee',
        employer,
        Math.max(job.start, UNEMPLOYMENT_FROM),
        end,
        status,
      );
    if (withInjury && !skip.injury && (open || job.end >= INJURY_FROM))
      this.addEnrolment('injury', 'employee', employer, Math.max(job.start, INJURY_FROM), end, status);
  }

  /** Ended jobs in [start, end], each with its ended pension and unemployment enrolments. */
  private pastJobs(start: number, end: number, n: number): void {
    if (n <= 0 || end - start < 60) return;
    const rng = this.pRng;
    for (const job of this.splitCareer(rng, start, end, n)) {
      const employer = rng.weighted(this.employerTable);
      this.addJob(employer, job, rng.chance(0.75) ? 'voluntary' : 'involuntary');
      this.jobEnrolments(employer, job, false, NO_SKIP, false);
    }
  }

  private out(): PersonChunk {
    if (!this.pOut) throw new Error('no person is being generated');
    return this.pOut;
  }

  private name(rng: Rng, sex: 'M' | 'F', birth: IsoDate): string {
    const year = Number(birth.slice(0, 4));
    const era: Era = year < 1960 ? 'old' : year < 1990 ? 'middle' : 'young';
    const pool = GIVEN[era][sex];
    const surname = rng.weighted(SURNAME_TABLE);
    const given = rng.chance(0.55) ? rng.pick(pool.whole) : rng.pick(pool.first) + rng.pick(pool.second);
    return surname + given;
  }

  private address(rng: Rng, district: District): string {
    const town = rng.pick(district.towns);
    if (town.endsWith('街道') || rng.chance(0.3)) {
      return rng.chance(0.6)
        ? `安徽省${district.name}${town}${rng.pick(ESTATES)}${rng.between(1, 32)}栋${rng.between(1, 3)}单元${rng.between(1, 18)}0${rng.between(1, 4)}室`
        : `安徽省${district.name}${town}${rng.pick(ROADS)}${rng.between(1, 560)}号`;
    }
    return `安徽省${district.name}${town}${rng.pick(VILLAGES)}${rng.pick(VILLAGE_SUFFIX)}${rng.between(1, 12)}组${rng.between(1, 80)}号`;
  }
}
