// The check of a hospital's bill for a work-injury case (issue #13 item 5), pure: the case's facts,
// the hospital, the filing and the bill in → each item accepted, capped or refused with its reason
// in words. No database, clock or network: the service gathers the facts and stores the result.
import { formatMoney } from '../core/money.ts';
import { lookupItem, type Catalogue } from './catalogue.rules.ts';
import type { Words } from '../core/bilingual.ts';

export type BillReason =
  | 'case-not-recognised'
  | 'cross-province-not-filed'
  | 'admission-before-accident'
  | 'before-accident'
  | 'after-submission'
  | 'outside-stay'
  | 'not-in-catalogue'
  | 'not-in-force'
  | 'not-covered'
  | 'price-capped'
  | 'duplicate-line';

export interface BillCaseFacts {
  status: string;
  accidentDate: string;
  /** the case's region (GB/T 2260): its first two digits are the province */
  region: string;
}

export interface BillItemInput {
  code: string;
  serviceDate: string;
  quantity: number;
  unitPriceFen: number;
}

export interface BillCheckInput {
  case: BillCaseFacts;
  hospitalRegion: string;
  /** a valid cross-province filing (备案) for this case at this hospital on the admission date */
  filed: boolean;
  /** the day the hospital submits (server clock) */
  submittedOn: string;
  admissionDate: string;
  dischargeDate: string | null;
  items: BillItemInput[];
}

export interface ItemResult {
  lineNo: number;
  code: string;
  nameZh: string | null;
  claimedFen: number;
  acceptedFen: number;
  reason: BillReason | null;
  reasonZh: string | null;
  reasonEn: string | null;
}

export interface BillCheckResult {
  status: 'accepted' | 'partly_accepted' | 'refused';
  billReason: BillReason | null;
  billReasonZh: string | null;
  billReasonEn: string | null;
  claimedFen: number;
  acceptedFen: number;
  items: ItemResult[];
}

const province = (region: string): string => region.slice(0, 2);

export const RECOGNISED_STATUSES: readonly string[] = ['recognised'];

/** Is the hospital outside the province of the case (treatment there needs a filing)? */
export const isCrossProvince = (caseRegion: string, hospitalRegion: string): boolean =>
  province(caseRegion) !== province(hospitalRegion);

/** A case's status in words, for the hospital reading why a bill is refused (the code read `reported`). */
const CASE_STATUS_WORDS: Readonly<Record<string, Words>> = {
  reported: { zh: '已报告，待受理', en: 'reported, not yet accepted' },
  accepted: { zh: '已受理，待认定', en: 'accepted, awaiting the decision' },
  suspended: { zh: '认定中止', en: 'suspended' },
  proposed: { zh: '认定待复核', en: 'decision awaiting review' },
  not_recognised: { zh: '不予认定为工伤', en: 'not recognised' },
  withdrawn: { zh: '申请已撤回', en: 'withdrawn' },
};

function billLevel(input: BillCheckInput): { reason: BillReason; zh: string; en: string } | null {
  const c = input.case;
  if (!RECOGNISED_STATUSES.includes(c.status)) {
    const words = CASE_STATUS_WORDS[c.status];
    return {
      reason: 'case-not-recognised',
      zh: `该案件尚未认定为工伤${words ? `（${words.zh}）` : ''}，工伤保险基金不予结算`,
      en: `the case is not recognised as a work injury${words ? ` (${words.en})` : ''}; the fund does not settle it`,
    };
  }
  if (isCrossProvince(c.region, input.hospitalRegion) && !input.filed)
    return {
      reason: 'cross-province-not-filed',
      zh: '跨省异地就医须先办理工伤异地就医备案，本院未备案',
      en: 'treatment in another province needs a filing (备案) first; there is none for this hospital',
    };
  if (input.admissionDate < c.accidentDate)
    return {
      reason: 'admission-before-accident',
      zh: '入院日期早于事故日期',
      en: 'the admission is before the accident',
    };
  return null;
}

export function checkHospitalBill(input: BillCheckInput, catalogue: Catalogue): BillCheckResult {
  const whole = billLevel(input);
  const seen = new Set<string>();
  const items: ItemResult[] = input.items.map((it, i) => {
    const claimedFen = it.quantity * it.unitPriceFen;
    const refuse = (
      reason: BillReason,
      zh: string,
      en: string,
      nameZh: string | null = null,
    ): ItemResult => ({
      lineNo: i + 1,
      code: it.code,
      nameZh,
      claimedFen,
      acceptedFen: 0,
      reason,
      reasonZh: zh,
      reasonEn: en,
    });
    const found = lookupItem(catalogue, it.code, it.serviceDate);
    const nameZh = 'item' in found ? found.item.nameZh : null;
    if (whole) return refuse(whole.reason, whole.zh, whole.en, nameZh);
    if (it.serviceDate < input.case.accidentDate)
      return refuse('before-accident', '服务日期早于事故日期', 'the service is before the accident', nameZh);
    if (it.serviceDate > input.submittedOn)
      return refuse(
        'after-submission',
        '服务日期晚于提交日期',
        'the service is after the day of submission',
        nameZh,
      );
    if (
      it.serviceDate < input.admissionDate ||
      (input.dischargeDate !== null && it.serviceDate > input.dischargeDate)
    )
      return refuse('outside-stay', '服务日期不在本次就诊期间内', 'the service is outside this stay', nameZh);
    const key = `${it.code}|${it.serviceDate}|${it.quantity}|${it.unitPriceFen}`;
    if (seen.has(key))
      return refuse('duplicate-line', '与本单前一行重复', 'repeats an earlier line of this bill', nameZh);
    seen.add(key);
    if ('missing' in found)
      return found.missing === 'unknown'
        ? refuse(
            'not-in-catalogue',
            '项目不在工伤保险服务项目目录内',
            'the item is not in the catalogue of covered items',
          )
        : refuse(
            'not-in-force',
            '服务日期不在该项目的目录有效期内',
            'the item is not in force on the service date',
          );
    const item = found.item;
    if (!item.covered)
      return refuse(
        'not-covered',
        `${item.nameZh}：${item.reasonZh ?? '不予支付'}`,
        `${item.nameEn}: ${item.reasonEn ?? 'not paid'}`,
        item.nameZh,
      );
    if (it.unitPriceFen > item.maxUnitPriceFen) {
      const acceptedFen = it.quantity * item.maxUnitPriceFen;
      return {
        lineNo: i + 1,
        code: it.code,
        nameZh: item.nameZh,
        claimedFen,
        acceptedFen,
        reason: 'price-capped',
        reasonZh: `单价 ${formatMoney(it.unitPriceFen)}超过目录限价 ${formatMoney(item.maxUnitPriceFen)}，按限价支付 ${formatMoney(acceptedFen)}`,
        reasonEn: `unit price ${formatMoney(it.unitPriceFen)} is above the ceiling of ${formatMoney(item.maxUnitPriceFen)}; ${formatMoney(acceptedFen)} paid`,
      };
    }
    return {
      lineNo: i + 1,
      code: it.code,
      nameZh: item.nameZh,
      claimedFen,
      acceptedFen: claimedFen,
      reason: null,
      reasonZh: null,
      reasonEn: null,
    };
  });
  const claimedFen = items.reduce((s, x) => s + x.claimedFen, 0);
  const acceptedFen = items.reduce((s, x) => s + x.acceptedFen, 0);
  const status =
    acceptedFen === 0
      ? 'refused'
      : acceptedFen === claimedFen && items.every((x) => x.reason === null)
        ? 'accepted'
        : 'partly_accepted';
  return {
    status,
    billReason: whole?.reason ?? null,
    billReasonZh: whole?.zh ?? null,
    billReasonEn: whole?.en ?? null,
    claimedFen,
    acceptedFen,
    items,
  };
}
