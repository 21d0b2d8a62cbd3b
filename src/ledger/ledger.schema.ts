// Response shapes of the ledger routes (the fund report and the verification).
import { Type } from '@sinclair/typebox';

const RegionNames = {
  regionNameZh: Type.String(),
  regionNameEn: Type.String(),
};

const FundStatementRow = Type.Object({
  fund: Type.String(),
  region: Type.String(),
  ...RegionNames,
  incomeFen: Type.Integer(),
  expenditureFen: Type.Integer(),
  balanceFen: Type.Integer(),
  personalAccountFen: Type.Integer(),
  summaryZh: Type.String(),
});

export const FundsReportSchema = Type.Object({
  period: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  regionNameZh: Type.Union([Type.String(), Type.Null()]),
  regionNameEn: Type.Union([Type.String(), Type.Null()]),
  month: Type.Array(FundStatementRow),
  yearToDate: Type.Array(FundStatementRow),
  /** each fund's twelve months up to the period: income and expenditure in the month, balance at its end */
  months: Type.Array(
    Type.Object({
      period: Type.String(),
      fund: Type.String(),
      incomeFen: Type.Integer(),
      expenditureFen: Type.Integer(),
      balanceFen: Type.Integer(),
    }),
  ),
  insured: Type.Array(
    Type.Object({ region: Type.String(), ...RegionNames, scheme: Type.String(), count: Type.Integer() }),
  ),
  centralAdjustment: Type.Union([
    Type.Null(),
    Type.Object({
      year: Type.Integer(),
      perCapitaAllocationFen: Type.Integer(),
      regions: Type.Array(
        Type.Object({
          region: Type.String(),
          ...RegionNames,
          annualAverageWageFen: Type.Integer(),
          insuredCount: Type.Integer(),
          retireeCount: Type.Integer(),
          contributionFen: Type.Integer(),
          allocationFen: Type.Integer(),
          netFen: Type.Integer(),
        }),
      ),
      note: Type.String(),
    }),
  ]),
  /** figures that do not hang together, e.g. personal accounts above the balance they are part of */
  warnings: Type.Array(
    Type.Object({
      fund: Type.String(),
      region: Type.String(),
      code: Type.Literal('personal-accounts-exceed-balance'),
      shortfallFen: Type.Integer(),
      zh: Type.String(),
      en: Type.String(),
    }),
  ),
});

export const LedgerVerifySchema = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  lines: Type.Integer(),
  unbalancedEntries: Type.Array(Type.Integer()),
  equationDifferences: Type.Array(Type.String()),
  subLedgers: Type.Array(
    Type.Object({ name: Type.String(), ok: Type.Boolean(), differences: Type.Array(Type.String()) }),
  ),
  balances: Type.Array(
    Type.Object({
      fund: Type.String(),
      region: Type.String(),
      assetsFen: Type.Integer(),
      liabilitiesFen: Type.Integer(),
      netAssetsFen: Type.Integer(),
    }),
  ),
});
