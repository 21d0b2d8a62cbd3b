// UI text of a bill's rates and their sources (账单费率与依据), spread into the one catalogue
// (i18n/zh-CN.ts, i18n/en.ts): zh-CN is the source of the key set.
export const billRatesZhCN = {
  'billRates.open': '费率明细',
  'billRates.openFor': '查看{period}账单的费率与依据',
  'billRates.title': '{period}账单：费率与依据',
  'billRates.fund': '险种',
  'billRates.base': '缴费基数合计',
  'billRates.employerRate': '单位费率',
  'billRates.employeeRate': '个人费率',
  'billRates.employerFen': '单位缴纳',
  'billRates.employeeFen': '个人缴纳',
  'billRates.subtotal': '小计',
  'billRates.previous': '上期 {rate}',
  'billRates.changed': '与上期（{period}）相比，以下费率有变化：',
  'billRates.changedFund': '{fund}：单位 {from} → {to}，个人 {fromEe} → {toEe}',
  'billRates.total': '各险种合计 {amount}，即本账单应缴合计。',
  'billRates.rounding':
    '每名职工的缴费按其缴费基数 × 费率分别四舍五入到分后相加，因此与“基数合计 × 费率”可能相差几分。',
  'billRates.injuryClass': '工伤保险费率为行业风险类别第{class}类的基准费率（本系统按基准费率核定）。',
  'billRates.noMedical': '本账单含养老、失业、工伤保险，不含医疗保险。',
  'billRates.notReproduced':
    '按现行参数重算的{fund}金额与账单不一致（参数或行业类别在核定后有变更）。应缴金额以账单为准，如有疑问请联系经办机构。',
  'billRates.sources': '费率依据',
  'billRates.from': '自{from}起',
  'billRates.fromUntil': '{from}至{until}',
  'billRates.uncertain': '待核实',
  'billRates.uncertainHint': '该依据在政策参数中标注为未经核实（如到期后是否延续尚无文件）',
  'billRates.endedFrom': '自{from}起不再执行',
  'billRates.changedFundFlexible': '{fund}：{from} → {to}',
  'billRates.flexibleBase': '缴费基数',
  'billRates.flexibleRate': '费率',
  'billRates.flexibleFen': '本人缴纳',
  'billRates.flexibleTotal': '本账单应缴合计 {amount}。',
  'billRates.flexibleOnly': '灵活就业人员的基本养老保险费全部由本人缴纳；本账单不含失业、工伤和医疗保险。',
} as const;

export const billRatesEn: Record<keyof typeof billRatesZhCN, string> = {
  'billRates.open': 'Rates',
  'billRates.openFor': 'Rates and sources of the bill of {period}',
  'billRates.title': 'Bill of {period}: rates and sources',
  'billRates.fund': 'Insurance',
  'billRates.base': 'Total contribution base',
  'billRates.employerRate': 'Employer rate',
  'billRates.employeeRate': 'Employee rate',
  'billRates.employerFen': 'Employer pays',
  'billRates.employeeFen': 'Employees pay',
  'billRates.subtotal': 'Subtotal',
  'billRates.previous': 'Previous {rate}',
  'billRates.changed': 'Rates changed since the previous period ({period}):',
  'billRates.changedFund': '{fund}: employer {from} → {to}, employee {fromEe} → {toEe}',
  'billRates.total': 'The insurances add up to {amount}, the total of this bill.',
  'billRates.rounding':
    "Each employee's contribution is their base × the rate rounded to the fen, then added up, so it can differ by a few fen from “total base × rate”.",
  'billRates.injuryClass':
    'The work-injury rate is the benchmark rate of industry risk class {class} (the system bills the benchmark rate).',
  'billRates.noMedical':
    'This bill covers pension, unemployment and work-injury insurance, not medical insurance.',
  'billRates.notReproduced':
    'Recomputed with the current parameters, the {fund} amount differs from the bill (a parameter or the industry class changed after the assessment). The bill’s amount stands; ask the agency if in doubt.',
  'billRates.sources': 'Sources of the rates',
  'billRates.from': 'from {from}',
  'billRates.fromUntil': '{from} to {until}',
  'billRates.uncertain': 'Unconfirmed',
  'billRates.uncertainHint':
    'The policy parameters mark this source as not verified (e.g. no notice found on whether the measure continues)',
  'billRates.endedFrom': 'no longer applied from {from}',
  'billRates.changedFundFlexible': '{fund}: {from} → {to}',
  'billRates.flexibleBase': 'Contribution base',
  'billRates.flexibleRate': 'Rate',
  'billRates.flexibleFen': 'You pay',
  'billRates.flexibleTotal': 'This bill comes to {amount}.',
  'billRates.flexibleOnly':
    'A flexible worker pays the whole pension contribution; this bill has no unemployment, work-injury or medical insurance.',
};
