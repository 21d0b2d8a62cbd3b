// The contribution base limits of a region and month (缴费基数上下限): the average wage and the floor
// and ceiling it gives, from params/ through the contribution rule. Pages use the floor to tell a
// wage that looks like yuan typed as fen (a figure under the region's minimum base whose hundredfold
// falls within the limits) instead of a fixed threshold.
import type { Actor } from '../auth/actor.ts';
import { parsePeriod } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { findEmployer } from '../registry/employer.repository.ts';
import { findPerson } from '../registry/person.repository.ts';
import { computeContribution, resolveContributionRates } from './contribution.rules.ts';

export interface BaseLimits {
  region: string;
  period: string;
  averageWageFen: number;
  floorFen: number;
  ceilingFen: number;
}

/** The region asked, or the caller's own: an employer's, a citizen's, a staff member's. */
async function regionOf(db: Db, actor: Actor, asked: string | undefined): Promise<string> {
  if (asked !== undefined) return asked;
  if (actor.employerId !== null) {
    const e = await findEmployer(db, actor.employerId);
    if (e) return e.region.trim();
  }
  if (actor.personId !== null && actor.role === 'citizen') {
    const p = await findPerson(db, actor.personId);
    if (p) return p.region.trim();
  }
  if (actor.region !== null && actor.region !== '000000') return actor.region;
  throw new SbError('SB_ERR_REQUIRED', { field: 'region', zh: '需指定地区', en: 'a region is required' });
}

export class BaseLimitsService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async baseLimits(actor: Actor, q: { period: string; region?: string }): Promise<BaseLimits> {
    const period = parsePeriod(q.period, 'period');
    const region = await regionOf(this.db, actor, q.region);
    const rates = resolveContributionRates(this.params, { region, period, kind: 'employee' });
    const c = computeContribution(rates, fen(rates.averageWageFen));
    return {
      region,
      period,
      averageWageFen: rates.averageWageFen,
      floorFen: c.floorFen,
      ceilingFen: c.ceilingFen,
    };
  }
}
