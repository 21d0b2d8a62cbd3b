// Money, dates and masks for display. Amounts arrive in integer fen and are formatted by integer
// and string arithmetic only, so no float rounding can change a fen.
import type { Lang } from './i18n/index.tsx';

/** Groups an unsigned digit string by thousands: "1234567" → "1,234,567". */
function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/** 123456 fen → "1,234.56" (no currency sign). Accepts number or bigint; rejects non-integers. */
export function fenToYuan(fen: number | bigint): string {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) return '—';
  const negative = fen < 0;
  const digits = (negative ? -BigInt(fen) : BigInt(fen)).toString().padStart(3, '0');
  const yuan = digits.slice(0, -2);
  const cents = digits.slice(-2);
  return `${negative ? '-' : ''}${groupThousands(yuan)}.${cents}`;
}

/** 123456 fen → "¥1,234.56". */
export const formatMoney = (fen: number | bigint | null | undefined): string =>
  fen === null || fen === undefined ? '—' : `¥${fenToYuan(fen)}`;

/** "1,234.56" or "1234.5" (yuan typed by a person) → integer fen, or null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const s = text.trim().replaceAll(',', '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2021-09-01" → "2021年9月1日" (zh-CN) or "1 Sep 2021" (en). Other text is shown as it is. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  return lang === 'zh-CN'
    ? `${y}年${Number(mo)}月${Number(d)}日`
    : `${Number(d)} ${EN_MONTHS[Number(mo) - 1] ?? mo} ${y}`;
}

/** "2021-09" → "2021年9月" / "Sep 2021". */
export function formatPeriod(period: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  return lang === 'zh-CN' ? `${m[1]}年${Number(m[2])}月` : `${EN_MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** Months as "15年3个月" / "15 y 3 m". */
export function formatMonths(months: number, lang: Lang): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  return lang === 'zh-CN' ? `${y}年${m ? `${m}个月` : ''}` : `${y} y${m ? ` ${m} m` : ''}`;
}

/** Integer with thousands separators. */
export const formatCount = (n: number): string =>
  Number.isSafeInteger(n) ? (n < 0 ? '-' : '') + groupThousands(String(Math.abs(n))) : String(n);

/** Today in the agency's time zone (Asia/Shanghai), as YYYY-MM-DD. */
export function todayIso(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
