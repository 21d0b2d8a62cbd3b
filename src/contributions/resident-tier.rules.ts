// Residents' pension (城乡居民基本养老保险) yearly contribution: the chosen tier, the government
// subsidy for that tier, and for hardship groups the lowest tier paid by government (代缴).
// Parameters: contributions/resident-tiers (国发〔2014〕8号; bands partly uncertain).
import { SbError } from '../core/errors.ts';
import { fen, mulDiv, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam } from '../core/rule-support.ts';

export interface ResidentTierTable {
  tiers: number[];
  subsidy: Array<[number, number]>;
  hardshipGroups: string[];
  governmentPaysLowestTierShare: number;
}

export interface ResidentContribution {
  tierFen: Fen;
  subsidyFen: Fen;
  /** the part of the lowest tier the government pays for a hardship group (代缴) */
  governmentPaidFen: Fen;
  /** what the resident pays */
  personFen: Fen;
}

export function residentContribution(
  params: ParamStore,
  input: { region: string; year: number; tierFen: number; hardshipGroup: string | null },
  trace?: Trace,
): ResidentContribution {
  const t = getParam<ResidentTierTable>(
    params,
    'contributions/resident-tiers',
    input.region,
    `${input.year}-01-01`,
    trace,
    'year',
  );
  const tiers = t.tiers.map((y) => y * 100);
  if (!tiers.includes(input.tierFen)) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'tierFen',
      zh: `缴费档次应为 ${t.tiers.join('、')} 元之一`,
      en: `the tier must be one of ${t.tiers.join(', ')} yuan`,
    });
  }
  let subsidyYuan = 0;
  for (const [from, amount] of t.subsidy) if (input.tierFen >= from * 100) subsidyYuan = amount;
  const subsidyFen = fen(subsidyYuan * 100);
  trace?.add('government subsidy for the tier', subsidyFen, 'fen', '政府缴费补贴');
  const lowest = Math.min(...tiers);
  const hardship = input.hardshipGroup !== null && t.hardshipGroups.includes(input.hardshipGroup);
  const governmentPaidFen = hardship ? mulDiv(lowest, t.governmentPaysLowestTierShare, 100) : fen(0);
  trace?.add(
    'lowest tier paid by government (hardship group)',
    governmentPaidFen,
    'fen',
    '困难群体最低档次政府代缴',
  );
  const personFen = fen(input.tierFen - governmentPaidFen);
  return { tierFen: fen(input.tierFen), subsidyFen, governmentPaidFen, personFen };
}
