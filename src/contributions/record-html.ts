// The person's rights record as a printable page (GET /api/v1/persons/{id}/record.html): formatting only.
import { dateInWords, monthInWords } from '../core/dates.ts';
import { formatMoney } from '../core/money.ts';
import { regionName } from '../core/regions.ts';
import type { PersonRecord } from './record.service.ts';

// Money with ¥ and days and months in words, Chinese first and English under it, as the
// certificates write them (they were 12345.67, 2026-12-02 and 2015-10 — 2025-03).
const yuan = (f: number): string => formatMoney(f);
const months = (from: string, to: string): string =>
  `${monthInWords(from, 'zh')} — ${monthInWords(to, 'zh')}<br><small>${monthInWords(from, 'en')} — ${monthInWords(to, 'en')}</small>`;
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const SCHEME_ZH = { employee_pension: '职工养老', resident_pension: '城乡居民养老' } as const;

/** A row credited from elsewhere says so (a transfer names the province it came from). */
const credit = (c: PersonRecord['years'][number]['credited']): string =>
  c === null
    ? ''
    : c.kind === 'transfer'
      ? `<br><small>自 ${esc(regionName(c.fromProvince ?? ''))} 转入 / transferred in from ${esc(regionName(c.fromProvince ?? '', 'en'))}</small>`
      : '<br><small>制度衔接转入 / scheme bridging</small>';

/** A row whose pension relation moved to another province says where (66号: kept here for queries). */
const moved = (m: PersonRecord['years'][number]['movedOut']): string =>
  m === null
    ? ''
    : `<br><small>已转出至 ${esc(regionName(m.toProvince))} / moved out to ${esc(regionName(m.toProvince, 'en'))}</small>`;

/**
 * 第 N 页 / 共 M 页 at the foot of every printed sheet, a one-sheet record's too (the count shows that
 * none is missing), as the PDF certificates number theirs; the browser fills in the counters.
 */
const PAGE_NUMBERS =
  '@page{margin:15mm 12mm 18mm;@bottom-center{content:"第 " counter(page) " 页 / 共 " counter(pages) " 页 · Page " counter(page) " of " counter(pages);font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:9pt;color:#666}}';

/** The printable page (Chinese first, English second). */
export function recordHtml(r: PersonRecord, printedOn: string): string {
  const rows = r.years
    .map(
      (y) =>
        `<tr><td>${y.year}</td><td>${SCHEME_ZH[y.scheme]}${credit(y.credited)}${moved(y.movedOut)}</td><td>${y.pensionMonths}</td><td>${y.unemploymentMonths}</td><td>${y.injuryMonths}</td><td>${y.unpaidMonths}</td><td class="n">${y.averageBaseFen ? yuan(y.averageBaseFen) : '—'}</td><td class="n">${y.contributionIndex ?? '—'}</td><td class="n">${yuan(y.accountCreditFen)}</td><td class="n">${yuan(y.interestFen)}</td><td class="n">${yuan(y.closingBalanceFen)}</td></tr>`,
    )
    .join('\n');
  const emps = r.employers
    .map(
      (e) =>
        `<tr><td>${esc(e.name)}</td><td>${esc(e.creditCode)}</td><td>${months(e.firstPeriod, e.lastPeriod)}</td><td>${e.months}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>社会保险个人权益记录单 / Social insurance record — ${esc(r.person.name)}</title>
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #999;padding:4px 6px;font-size:13px}th{background:#eee}.n{text-align:right}h1{font-size:20px}small{color:#666}@media print{body{margin:0}}${PAGE_NUMBERS}</style></head>
<body>
<h1>社会保险个人权益记录单 <small>Social insurance rights record</small></h1>
<p>姓名 Name：<b>${esc(r.person.name)}</b>&emsp;公民身份号码 ID：${esc(r.person.idNumberMasked)}&emsp;参保地 Region：${esc(regionName(r.person.region))} ${esc(regionName(r.person.region, 'en'))}（${esc(r.person.region)}）&emsp;打印日期 Printed：${dateInWords(printedOn, 'zh')} / ${dateInWords(printedOn, 'en')}</p>
<h2>汇总 Summary</h2>
<table><tr><th>职工养老缴费月数<br><small>Employee pension months</small></th><th>失业保险月数<br><small>Unemployment months</small></th><th>工伤保险月数<br><small>Injury months</small></th><th>平均缴费工资指数<br><small>Average index</small></th><th>职工养老个人账户<br><small>Account, employee pension</small></th><th>居民养老个人账户<br><small>Account, residents' pension</small></th><th>其中利息<br><small>of which interest</small></th></tr>
<tr><td>${r.totals.employeePensionMonths}</td><td>${r.totals.unemploymentMonths}</td><td>${r.totals.injuryMonths}</td><td>${r.totals.averageContributionIndex ?? '—'}</td><td class="n">${yuan(r.personalAccount.employeePensionFen)}</td><td class="n">${yuan(r.personalAccount.residentPensionFen)}</td><td class="n">${yuan(r.personalAccount.interestFen)}</td></tr></table>
<h2>分年度缴费 Contributions by year</h2>
<table><tr><th>年度<br><small>Year</small></th><th>险种<br><small>Scheme</small></th><th>养老月数<br><small>Pension</small></th><th>失业月数<br><small>Unempl.</small></th><th>工伤月数<br><small>Injury</small></th><th>欠缴月数<br><small>Unpaid</small></th><th>平均缴费基数<br><small>Average base</small></th><th>缴费工资指数<br><small>Index</small></th><th>记入个人账户<br><small>Credited</small></th><th>利息<br><small>Interest</small></th><th>年末余额<br><small>Balance</small></th></tr>
${rows || '<tr><td colspan="11">暂无缴费记录 / no contributions yet</td></tr>'}</table>
<h2>参保单位 Employers</h2>
<table><tr><th>单位名称 Employer</th><th>统一社会信用代码 Credit code</th><th>缴费期间 Periods</th><th>月数 Months</th></tr>
${emps || '<tr><td colspan="4">—</td></tr>'}</table>
<p><small>本记录单依据已缴费记录生成；欠缴月数不计入缴费年限；已转出的月数与个人账户仅供查询，不计入本地。缴费工资指数 = 缴费基数 ÷ 当年社会平均工资。/ Built from paid contributions; unpaid months do not count; months and account moved out are kept for reference and no longer count here. Index = base ÷ the year's average wage.</small></p>
</body></html>`;
}
