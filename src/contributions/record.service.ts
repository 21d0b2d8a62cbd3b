// GET /api/v1/persons/{id}/record: the person's own rights record. A citizen reads their own; staff
// read their region's, and every staff read is audited with the person as subject.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { auditReads } from '../audit/audit-queue.ts';
import { maskIdNumber } from '../core/ids.ts';
import { SbError } from '../core/errors.ts';
import { Dec, roundFen } from '../core/money.ts';
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

export class RecordService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async personRecord(actor: Actor, personId: number): Promise<PersonRecord> {
    // One round trip for the person, the years, the employers, the index lines and the interest;
    // nothing of it leaves before the policy has said yes (issue 18).
    const { person, years, interest, employers, indexLines } = await recordSources(this.db, personId);
    if (!person)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'id',
        zh: `参保人 ${personId}`,
        en: `person ${personId}`,
      });
    authorize(actor, 'record.read', { personId, region: person.region });
    const index = new ContributionIndexService(this.db, this.params).ofLines(indexLines, {
      region: person.region,
    });
    const balance = { employee_pension: 0, resident_pension: 0 };
    let interestTotal = 0;
    const out: PersonRecord['years'] = [];
    const yearsSet = [
      ...new Set([...years.map((y) => `${y.year}|${y.fund}`), ...interest.map((i) => `${i.year}|${i.fund}`)]),
    ].sort();
    for (const key of yearsSet) {
      const [ys, fund] = key.split('|') as [string, 'employee_pension' | 'resident_pension'];
      const year = Number(ys);
      const y = years.find((r) => r.year === year && r.fund === fund);
      const i = interest.find((r) => r.year === year && r.fund === fund);
      const months = y?.pension_months ?? 0;
      const yearIndex = index.years.find((r) => r.year === year)?.index;
      balance[fund] += (y?.account_credit ?? 0) + (i?.interestFen ?? 0);
      interestTotal += i?.interestFen ?? 0;
      out.push({
        year,
        scheme: fund,
        pensionMonths: months,
        unemploymentMonths: y?.unemployment_months ?? 0,
        injuryMonths: y?.injury_months ?? 0,
        unpaidMonths: y?.unpaid_months ?? 0,
        averageBaseFen:
          y && months > 0 && fund === 'employee_pension' ? roundFen(new Dec(y.base_sum).div(months)) : 0,
        contributionIndex: fund === 'employee_pension' && yearIndex !== undefined ? Number(yearIndex) : null,
        accountCreditFen: y?.account_credit ?? 0,
        interestFen: i?.interestFen ?? 0,
        closingBalanceFen: balance[fund],
      });
    }
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
        employeePensionMonths: emp.reduce((s, y) => s + y.pensionMonths, 0),
        unemploymentMonths: emp.reduce((s, y) => s + y.unemploymentMonths, 0),
        injuryMonths: emp.reduce((s, y) => s + y.injuryMonths, 0),
        residentPensionYears: out.filter((y) => y.scheme === 'resident_pension' && y.accountCreditFen > 0)
          .length,
        averageContributionIndex: index.averageIndex === null ? null : Number(index.averageIndex),
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
