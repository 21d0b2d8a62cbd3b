// GET /api/v1/persons/{id}/record: the person's own rights record. A citizen reads their own; staff
// read their region's, and every staff read is audited with the person as subject.
import type { Actor } from '../auth/actor.ts';
import { permits } from '../auth/policy.ts';
import { auditReads } from '../audit/audit-queue.ts';
import { maskIdNumber } from '../core/ids.ts';
import { SbError } from '../core/errors.ts';
import { mulDiv } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { ContributionIndexService } from './contribution-index.service.ts';
import { recordSources } from './record.repository.ts';

export interface PersonRecord {
  person: { id: number; name: string; idNumberMasked: string; region: string };
  years: Array<{
    year: number;
    scheme: 'employee_pension' | 'resident_pension';
    pensionMonths: number;
    unemploymentMonths: number;
    injuryMonths: number;
    unpaidMonths: number;
    averageBaseFen: number;
    contributionIndex: number | null;
    accountCreditFen: number;
    interestFen: number;
    closingBalanceFen: number;
    /**
     * null for the months paid here; for a row credited by a pension transfer (the months and the
     * account booked from the old place) or a scheme bridging, where it came from.
     */
    credited: { kind: 'transfer' | 'bridging'; fromProvince: string | null } | null;
    /**
     * null unless the pension relation of these months moved to another province (66号): the old
     * place keeps them as the copy for queries but no longer counts them (pensionRecord). A row of
     * moved months shows them; a row with no months and a negative credit is the account that moved.
     */
    movedOut: { toProvince: string } | null;
  }>;
  totals: {
    employeePensionMonths: number;
    unemploymentMonths: number;
    injuryMonths: number;
    residentPensionYears: number;
    averageContributionIndex: number | null;
  };
  personalAccount: { employeePensionFen: number; residentPensionFen: number; interestFen: number };
  employers: Array<{
    employerId: number;
    name: string;
    creditCode: string;
    firstPeriod: string;
    lastPeriod: string;
    months: number;
  }>;
}

type Row = PersonRecord['years'][number];

/** A year row with nothing counted yet, marked as credited from or moved out to another place. */
const blankRow = (year: number, scheme: Row['scheme'], marks: Pick<Row, 'credited' | 'movedOut'>): Row => ({
  year,
  scheme,
  pensionMonths: 0,
  unemploymentMonths: 0,
  injuryMonths: 0,
  unpaidMonths: 0,
  averageBaseFen: 0,
  contributionIndex: null,
  accountCreditFen: 0,
  interestFen: 0,
  closingBalanceFen: 0,
  ...marks,
});

export class RecordService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async personRecord(actor: Actor, personId: number): Promise<PersonRecord> {
    // One round trip for the person, the years, the employers, the index lines and the interest;
    // nothing of it leaves before the policy has said yes (issue 18).
    const {
      person,
      years,
      interest,
      employers,
      indexLines,
      creditedLines,
      movedOutCreditedLines,
      credits,
      movedOutYears,
      movedOutLines,
      movedOut,
    } = await recordSources(this.db, personId);
    // another person's (another city's) record answers as an unknown one, and neither repeats the number
    if (!person || !permits(actor, 'record.read', { personId, region: person.region.trim() }))
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    const indexSvc = new ContributionIndexService(this.db, this.params);
    const index = indexSvc.ofLines(indexLines, { region: person.region });
    const rows: Row[] = [];
    // Each year and fund with lines or interest once, the first row of each, in year and fund order
    // (a number a key: year × 2, +1 for the residents' fund, which sorts after the employees').
    const byYear = new Map<
      number,
      { y: (typeof years)[number] | undefined; i: (typeof interest)[number] | undefined }
    >();
    const keyOf = (year: number, fund: Row['scheme']) => year * 2 + (fund === 'resident_pension' ? 1 : 0);
    for (const y of years) {
      const e = byYear.get(keyOf(y.year, y.fund));
      if (e === undefined) byYear.set(keyOf(y.year, y.fund), { y, i: undefined });
      else e.y ??= y;
    }
    for (const i of interest) {
      const e = byYear.get(keyOf(i.year, i.fund));
      if (e === undefined) byYear.set(keyOf(i.year, i.fund), { y: undefined, i });
      else e.i ??= i;
    }
    const yearIndices = new Map(index.years.map((r) => [r.year, r.index]));
    for (const key of [...byYear.keys()].sort((a, b) => a - b)) {
      const { y, i } = byYear.get(key)!;
      const year = Math.floor(key / 2);
      const fund: Row['scheme'] = key % 2 === 1 ? 'resident_pension' : 'employee_pension';
      const months = y?.pension_months ?? 0;
      const yearIndex = yearIndices.get(year);
      rows.push({
        year,
        scheme: fund,
        pensionMonths: months,
        unemploymentMonths: y?.unemployment_months ?? 0,
        injuryMonths: y?.injury_months ?? 0,
        unpaidMonths: y?.unpaid_months ?? 0,
        averageBaseFen: y && months > 0 && fund === 'employee_pension' ? mulDiv(y.base_sum, 1, months) : 0,
        contributionIndex: fund === 'employee_pension' && yearIndex !== undefined ? Number(yearIndex) : null,
        accountCreditFen: y?.account_credit ?? 0,
        interestFen: i?.interestFen ?? 0,
        closingBalanceFen: 0,
        credited: null,
        movedOut: null,
      });
    }
    // What a transfer or a scheme bridging credited here (as the award counts it: pensionRecord), each
    // province's months by year and each credit by the year it was booked, as rows of their own.
    const credited = new Map<string, { row: Row; baseSum: number; periods: Set<string> }>();
    // Months credited here that a later transfer took on (A → B → C, seen at B) keep their origin and
    // are marked moved out too: shown as the copy kept for queries, not counted (movedTo).
    const creditedRow = (
      year: number,
      fund: Row['scheme'],
      c: NonNullable<Row['credited']>,
      movedTo: string | null = null,
    ) => {
      const key = `${year}|${fund}|${c.kind}|${c.fromProvince ?? ''}|${movedTo ?? ''}`;
      let r = credited.get(key);
      if (r === undefined) {
        r = {
          row: blankRow(year, fund, {
            credited: c,
            movedOut: movedTo === null ? null : { toProvince: movedTo },
          }),
          baseSum: 0,
          periods: new Set(),
        };
        credited.set(key, r);
      }
      return r;
    };
    const creditedAll = [...creditedLines.map((l) => ({ ...l, toProvince: null })), ...movedOutCreditedLines];
    for (const l of creditedAll) {
      const r = creditedRow(
        Number(l.period.slice(0, 4)),
        'employee_pension',
        { kind: 'transfer', fromProvince: l.fromProvince },
        l.toProvince,
      );
      r.periods.add(l.period);
      r.baseSum += l.baseFen;
    }
    for (const key of new Set(creditedAll.map((l) => `${l.fromProvince}|${l.toProvince ?? ''}`))) {
      // The year's index of the months from that province, by the same rule as the months paid here.
      const of = indexSvc.ofLines(
        creditedAll.filter((l) => `${l.fromProvince}|${l.toProvince ?? ''}` === key),
        { region: person.region },
      );
      const [province, to] = key.split('|') as [string, string];
      for (const y of of.years)
        creditedRow(
          y.year,
          'employee_pension',
          { kind: 'transfer', fromProvince: province },
          to === '' ? null : to,
        ).row.contributionIndex = Number(y.index);
    }
    for (const r of credited.values()) {
      r.row.pensionMonths = r.periods.size;
      if (r.periods.size > 0) r.row.averageBaseFen = mulDiv(r.baseSum, 1, r.periods.size);
    }
    for (const c of credits) {
      const r = creditedRow(c.year, c.fund, { kind: c.kind, fromProvince: c.fromProvince });
      r.row.pensionMonths += c.months;
      r.row.accountCreditFen += c.accountFen;
    }
    rows.push(...[...credited.values()].map((r) => r.row));
    // What a pension relation transferred away took (as the award leaves it out: pensionRecord): the
    // months, still shown as the copy kept for queries, by year and the province they went to, and the
    // account, a negative credit in the year it was sent.
    for (const province of new Set(movedOutYears.map((y) => y.toProvince))) {
      const of = indexSvc.ofLines(
        movedOutLines.filter((l) => l.toProvince === province),
        { region: person.region },
      );
      for (const y of movedOutYears.filter((r) => r.toProvince === province)) {
        const yearIndex = of.years.find((r) => r.year === y.year)?.index;
        rows.push({
          year: y.year,
          scheme: y.fund,
          pensionMonths: y.pension_months,
          unemploymentMonths: y.unemployment_months,
          injuryMonths: y.injury_months,
          unpaidMonths: y.unpaid_months,
          averageBaseFen: y.pension_months > 0 ? mulDiv(y.base_sum, 1, y.pension_months) : 0,
          contributionIndex: yearIndex !== undefined ? Number(yearIndex) : null,
          accountCreditFen: y.account_credit,
          interestFen: 0,
          closingBalanceFen: 0,
          credited: null,
          movedOut: { toProvince: province },
        });
      }
    }
    for (const m of movedOut)
      rows.push({
        ...blankRow(m.year, 'employee_pension', { credited: null, movedOut: { toProvince: m.toProvince } }),
        accountCreditFen: -m.accountFen,
      });
    // In year order, the months paid here, then the credited ones, then those moved out and last the
    // account moved out; the balance runs through all.
    const rank = (r: Row) =>
      r.movedOut !== null
        ? r.pensionMonths === 0 && r.accountCreditFen < 0
          ? 3
          : 2
        : r.credited === null
          ? 0
          : 1;
    const out = rows.sort(
      (a, b) =>
        a.year - b.year || (a.scheme < b.scheme ? -1 : a.scheme > b.scheme ? 1 : 0) || rank(a) - rank(b),
    );
    const balance = { employee_pension: 0, resident_pension: 0 };
    let interestTotal = 0;
    for (const r of out) {
      balance[r.scheme] += r.accountCreditFen + r.interestFen;
      interestTotal += r.interestFen;
      r.closingBalanceFen = balance[r.scheme];
    }
    // Z and the months as the award counts them: the months paid here and those transferred in, not
    // those moved out, a month counted once (pensionRecord's contributionMonths and indexLines).
    const allLines =
      creditedLines.length === 0
        ? indexLines
        : [...indexLines, ...creditedLines].sort((a, b) =>
            a.period < b.period ? -1 : a.period > b.period ? 1 : 0,
          );
    const averageIndex =
      allLines === indexLines
        ? index.averageIndex
        : indexSvc.ofLines(allLines, { region: person.region }).averageIndex;
    // The index counted the distinct periods of its lines already (recordMonths).
    const employeeMonths =
      allLines === indexLines ? index.recordMonths : new Set(allLines.map((l) => l.period)).size;
    const emp = out.filter((y) => y.scheme === 'employee_pension');
    if (actor.role !== 'citizen') {
      await auditReads(this.db, actor, [
        {
          action: 'record.read',
          entityType: 'person',
          entityId: personId,
          region: person.region,
          subjectPersonId: personId,
        },
      ]);
    }
    return {
      person: {
        id: personId,
        name: person.name,
        idNumberMasked: maskIdNumber(person.id_number),
        region: person.region,
      },
      years: out,
      totals: {
        employeePensionMonths: employeeMonths,
        unemploymentMonths: emp.reduce((s, y) => s + y.unemploymentMonths, 0),
        injuryMonths: emp.reduce((s, y) => s + y.injuryMonths, 0),
        residentPensionYears: out.filter(
          (y) =>
            y.scheme === 'resident_pension' &&
            y.credited === null &&
            y.movedOut === null &&
            y.accountCreditFen > 0,
        ).length,
        averageContributionIndex: averageIndex === null ? null : Number(averageIndex),
      },
      personalAccount: {
        employeePensionFen: balance.employee_pension,
        residentPensionFen: balance.resident_pension,
        interestFen: interestTotal,
      },
      employers,
    };
  }
}
