// Residents' pension tiers: a resident chooses the year's tier; the bill for the person's part, the
// subsidy (and 代缴) receivable from government, the journal entry and the audit entry are written
// in one transaction.
import type { Actor } from '../auth/actor.ts';
import { foundInScope } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { enrolmentCovering, personById } from './contribution.repository.ts';
import { postResidentTier } from './contribution-posting.repository.ts';
import { insertTierChoice, residentPensionFrom, tierChosen } from './resident-tier.repository.ts';
import { residentContribution } from './resident-tier.rules.ts';

export class ResidentTierService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** A resident's tier for a year: a bill for the person's part, the subsidy (and 代缴) receivable from government. */
  async chooseResidentTier(
    actor: Actor,
    personId: number,
    input: { year: number; tierFen: number },
  ): Promise<{
    billId: number;
    tierFen: number;
    personFen: number;
    subsidyFen: number;
    governmentPaidFen: number;
  }> {
    // another person's number answers as an unknown one (no 403 telling that it exists, no number repeated)
    const person = foundInScope(actor, 'declaration.resident', await personById(this.db, personId), (x) => ({
      personId: x.id,
      region: x.region.trim(),
    }));
    const now = today();
    if (!Number.isInteger(input.year) || input.year < 2014 || input.year > Number(now.slice(0, 4))) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'year',
        zh: '年度应在 2014 年至今年之间',
        en: 'the year is from 2014 to this year',
      });
    }
    // A resident chooses this year's tier (the page offers no other): a year long closed chosen now took
    // that year's subsidy, and a hardship group's tier paid by the government. The counter records an earlier year.
    if (actor.role === 'citizen' && input.year !== Number(now.slice(0, 4)))
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'year',
        zh: '本人只能选择本年度的缴费档次；以往年度请到经办机构办理',
        en: "a resident chooses this year's tier; an earlier year is recorded at the counter",
      });
    const enr = await enrolmentCovering(this.db, personId, {
      scheme: 'resident_pension',
      from: `${input.year}-01-01`,
      to: `${input.year}-12-31`,
    });
    if (!enr)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'year',
        zh: `${input.year} 年未参加城乡居民养老保险`,
        en: `not enrolled in the residents' pension in ${input.year}`,
      });
    // A year's tier falls due at its end: none for the year the residents' pension starts, or later.
    const pensionFrom = await residentPensionFrom(this.db, personId, `${input.year}-12-31`);
    if (pensionFrom !== undefined)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'year',
        zh: `已于 ${pensionFrom} 起领取城乡居民养老保险，${input.year} 年不再缴费`,
        en: `draws the residents' pension from ${pensionFrom}: no contribution for ${input.year}`,
      });
    const rc = residentContribution(this.params, {
      region: enr.region,
      year: input.year,
      tierFen: input.tierFen,
      hardshipGroup: person.hardship_group,
    });
    return this.db.transaction().execute(async (tx) => {
      if (await tierChosen(tx, personId, input.year))
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'year',
          zh: `${input.year} 年已选择缴费档次`,
          en: `a tier is already chosen for ${input.year}`,
        });
      const choice = {
        personId,
        year: input.year,
        region: enr.region,
        tierFen: rc.tierFen,
        personFen: rc.personFen,
        subsidyFen: rc.subsidyFen,
        governmentPaidFen: rc.governmentPaidFen,
      };
      const billId = await insertTierChoice(tx, { ...choice, today: now, createdBy: actor.username });
      await postResidentTier(tx, actor, { ...choice, billId });
      await appendAudit(tx, actor, {
        action: 'declaration.resident',
        entityType: 'person',
        entityId: personId,
        region: enr.region,
        subjectPersonId: personId,
        after: { year: input.year, ...rc, billId },
      });
      return {
        billId,
        tierFen: rc.tierFen,
        personFen: rc.personFen,
        subsidyFen: rc.subsidyFen,
        governmentPaidFen: rc.governmentPaidFen,
      };
    });
  }
}
