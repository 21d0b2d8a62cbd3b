// What a province's federation use cases are built on (the relation transfers and the scheme
// bridging): the database, this province's code, the provinces of the federation, the parameters, and
// the working-day calendar every step's legal time limit is counted in.
import type { ParamStore } from '../core/params.ts';
import { calendarFrom, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';

export abstract class ProvinceFederationService {
  protected readonly cal: HolidayCalendar;
  constructor(
    protected readonly db: Db,
    /** this instance's province code */
    protected readonly self: string,
    protected readonly provinces: readonly string[],
    protected readonly params: ParamStore,
  ) {
    this.cal = calendarFrom(params);
  }
}
