// Coverage gaps (全民参保: who should be insured and is not), per region and per employer.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import type { Db } from '../db/connection.ts';
import type { Scheme } from '../db/database.ts';
import { findEmployer } from './employer.repository.ts';
import { coverageGaps } from './coverage.repository.ts';
import { employedPersonView, notFound, regionLikePattern } from './person.rules.ts';

export interface GapQuery {
  region?: string;
  employerId?: number;
  scheme?: Scheme;
  page?: number;
  pageSize?: number;
}

export interface GapItem {
  employmentId: number;
  personId: number;
  name: string;
  idNumber: string;
  employerId: number;
  employerName: string;
  employerRegion: string;
  startDate: string;
  missingSchemes: Scheme[];
}

export class CoverageService {
  constructor(private readonly db: Db) {}

  /** Staff see their region (by the employer's region); an employer sees its own staff only. */
  async gaps(
    actor: Actor,
    q: GapQuery,
  ): Promise<{ items: GapItem[]; total: number; page: number; pageSize: number }> {
    authorize(actor, 'coverage.gaps');
    let region: string;
    let employerId = q.employerId;
    if (actor.role === 'employer') {
      const own = q.employerId ?? actor.employerId ?? 0;
      authorize(actor, 'coverage.gaps', { employerIds: [own] }); // another employer's id: forbidden
      const employer = await findEmployer(this.db, own);
      if (!employer) throw notFound('employerId');
      employerId = employer.id;
      region = employer.region;
    } else {
      region = q.region ?? actor.region ?? '000000';
      authorize(actor, 'coverage.gaps', { region });
    }
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await coverageGaps(
      this.db,
      {
        regionPattern: regionLikePattern(region),
        ...(employerId !== undefined ? { employerId } : {}),
        ...(q.scheme !== undefined ? { scheme: q.scheme } : {}),
      },
      pageSize,
      (page - 1) * pageSize,
    );
    return {
      items: rows.map((r) => ({
        ...employedPersonView(r),
        employerId: r.employer_id,
        employerName: r.employer_name,
        employerRegion: r.employer_region,
        startDate: r.start_date,
        missingSchemes: r.missing,
      })),
      total,
      page,
      pageSize,
    };
  }
}
