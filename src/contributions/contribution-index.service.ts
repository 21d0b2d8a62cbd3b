// The average contribution index Z of a person, as every caller needs it: the one repository query
// (contributionIndexLines) fed to the one rule (computeContributionIndex). The person's record, the
// pension estimate, the retirement decision and the pension record all come through here.
import type { ParamStore } from '../core/params.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import {
  computeContributionIndex,
  type ContributionIndexResult,
  type IndexLine,
} from './contribution-index.rules.ts';
import { contributionIndexLines } from './record.repository.ts';

export interface PersonContributionIndex extends ContributionIndexResult {
  lines: IndexLine[];
  trace: TraceStep[];
}

export class ContributionIndexService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async personIndex(
    personId: number,
    opts: { region: string; throughPeriod?: string; archived?: { months: number; index: string } },
  ): Promise<PersonContributionIndex> {
    return this.ofLines(await contributionIndexLines(this.db, personId, opts.throughPeriod), opts);
  }

  /** The same from lines already read (the record reads them with its other figures in one query). */
  ofLines(
    lines: IndexLine[],
    opts: { region: string; archived?: { months: number; index: string } },
  ): PersonContributionIndex {
    const trace = new Trace();
    const r = computeContributionIndex(
      { region: opts.region, lines, archived: opts.archived },
      this.params,
      trace,
    );
    return { ...r, lines, trace: trace.steps };
  }
}
