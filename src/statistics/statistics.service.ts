// Dashboard figures for agency staff, limited to their region.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { regionName } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import {
  AGE_BANDS,
  agePyramid,
  countEmployers,
  countOpenEmployments,
  countPersons,
  insuredBySchemeAndKind,
} from './statistics.repository.ts';
import type { OverviewDto, OverviewInput } from './statistics.schema.ts';

const SCHEMES = ['employee_pension', 'resident_pension', 'unemployment', 'injury'] as const;

export class StatisticsService {
  constructor(private readonly db: Db) {}

  async overview(actor: Actor, input: OverviewInput): Promise<OverviewDto> {
    const region = input.region ?? actor.region ?? '000000';
    authorize(actor, 'statistics.read', { region });
    const asOf = input.date ?? today();
    const [persons, employers, openEmployments, insured, pyramid] = await Promise.all([
      countPersons(this.db, region, asOf),
      countEmployers(this.db, region),
      countOpenEmployments(this.db, region, asOf),
      insuredBySchemeAndKind(this.db, region, asOf),
      agePyramid(this.db, region, asOf),
    ]);
    const insuredByScheme = SCHEMES.map((scheme) => {
      const of = (kind: string) => insured.find((r) => r.scheme === scheme && r.kind === kind)?.n ?? 0;
      const employee = of('employee');
      const flexible = of('flexible');
      const resident = of('resident');
      return { scheme, employee, flexible, resident, total: employee + flexible + resident };
    });
    const agePyramidRows: OverviewDto['agePyramid'] = [];
    for (let b = 0; b <= AGE_BANDS.last; b += AGE_BANDS.width) {
      const of = (sex: 'M' | 'F') => pyramid.find((r) => r.band === b && r.sex === sex)?.n ?? 0;
      agePyramidRows.push({
        band: b === AGE_BANDS.last ? `${b}+` : `${b}-${b + AGE_BANDS.width - 1}`,
        male: of('M'),
        female: of('F'),
      });
    }
    return {
      region,
      regionNameZh: regionName(region, 'zh'),
      regionNameEn: regionName(region, 'en'),
      asOf,
      persons,
      employers,
      openEmployments,
      insuredByScheme,
      agePyramid: agePyramidRows,
    };
  }
}
