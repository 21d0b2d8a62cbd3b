// The fund supervisor's and the reviewer's pages on a first login, through the services (audited, as a
// supervisor and a reviewer would have done it): the findings of the past half year's scans, so the
// risk dashboard's months are a history and not one bar of today; a few cases at each stage (under
// investigation, a decision waiting on 复核, one decided and in recovery); and a special inspection
// half checked. The pension-after-death findings stay open: the supervision journey opens its own case
// from one.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { approvalKinds } from '../approval-kinds.ts';
import { ApprovalService } from '../approval/approval.service.ts';
import { onDay, today } from '../core/clock.ts';
import { addDays, addMonths, minDate, type IsoDate } from '../core/dates.ts';
import { int } from '../db/values.ts';
import { CampaignService } from '../supervision/campaign.service.ts';
import { CaseService } from '../supervision/case.service.ts';
import { DETECTORS } from '../supervision/detector.rules.ts';
import { ScanService } from '../supervision/scan.service.ts';
import { CITY_CODE } from './demo-data.ts';
import { loginActor } from './demo-logins.ts';

export interface DemoSupervisionReport {
  findings: Record<string, number>;
  total: number;
  /** months (YYYY-MM) in which findings were found */
  months: string[];
  cases: { investigating: number; awaitingDecision: number; recovering: number };
  campaign: { id: number; items: number; checked: number };
}

export async function seedDemoSupervision(ctx: AppContext, asOf: IsoDate): Promise<DemoSupervisionReport> {
  const scans = new ScanService(ctx.db, ctx.params);
  // The scheduled scan's history: each detector first ran on the city one to five months ago, so what
  // it found then is dated then (a scan keeps a finding's first date); today's scan finds the rest.
  for (const [i, d] of DETECTORS.entries())
    await scans.scan(systemActor('demo-seed'), {
      region: CITY_CODE,
      asOf: addMonths(asOf, -(1 + (i % 5))),
      detectors: [d],
    });
  const scan = await scans.scan(systemActor('demo-seed'), { region: CITY_CODE, asOf });

  const supervisor = await loginActor(ctx, 'supervisor');
  const reviewer = await loginActor(ctx, 'reviewer');
  const cases = new CaseService(ctx);
  // A person's findings with money at risk, oldest first, of the detectors whose cases the demo works.
  const found = await sql<{
    id: unknown;
    version: unknown;
    amount: unknown;
    detector: string;
    found_on: IsoDate;
  }>`
    SELECT id, version, amount_at_risk_fen AS amount, detector, found_on::text AS found_on FROM supervision_finding
    WHERE region = ${CITY_CODE} AND status = 'open' AND person_id IS NOT NULL AND amount_at_risk_fen > 0
      AND detector IN ('double_pension', 'pension_while_suspended', 'pension_and_unemployment', 'unemployment_after_death')
    ORDER BY found_on, id LIMIT 4`.execute(ctx.db);
  // Each case opened some days after its finding and its evidence filed a week later, on those days
  // (the service dates them by the clock, moved to the day: core/clock onDay); the decisions below are
  // today's.
  const opened: Array<{ caseId: number; amount: number; detector: string }> = [];
  for (const [i, f] of found.rows.entries()) {
    const day = minDate(addDays(f.found_on, 4 + 3 * i), addDays(asOf, -9));
    const { caseId } = await onDay(day, () =>
      cases.openCase(supervisor, int(f.id), { version: int(f.version), note: '比对疑点，调取发放明细核实' }),
    );
    await onDay(addDays(day, 7), () =>
      cases.addNote(supervisor, caseId, {
        kind: 'evidence',
        text: '发放明细及银行流水',
        ref: `皖宣社稽〔2026〕${String(31 + i)}号`,
      }),
    );
    opened.push({ caseId, amount: int(f.amount), detector: f.detector });
  }
  const report: DemoSupervisionReport['cases'] = { investigating: 0, awaitingDecision: 0, recovering: 0 };
  for (const [i, c] of opened.entries()) {
    // the first two are decided: one released by the reviewer (in recovery), one waiting on 复核
    if (i >= 2) {
      report.investigating++;
      continue;
    }
    const view = await cases.getCase(supervisor, c.caseId);
    const decision = await cases.proposeDecision(supervisor, c.caseId, {
      version: view.version,
      fraud: false,
      overpaidFen: c.amount,
      fineMultiplierPct: null,
      fund: c.detector.startsWith('unemployment') ? 'unemployment' : 'employee_pension',
      plan: { kind: 'instalments', count: 6, firstDueDate: addDays(today(), 30) },
      reasoning: '经核实多领待遇，责令分期退还',
    });
    if (i === 0) {
      await new ApprovalService(ctx.db).release(approvalKinds(ctx), reviewer, decision.id);
      report.recovering++;
    } else report.awaitingDecision++;
  }

  // A special inspection of the city's pensioners: twenty sampled, the first eight checked.
  const campaigns = new CampaignService(ctx.db);
  const campaign = await campaigns.createCampaign(supervisor, {
    name: '养老金领取资格专项检查',
    region: CITY_CODE,
    population: 'person',
    filter: 'pensioners',
    sampleSize: 20,
    seed: 'demo',
  });
  const { items } = await campaigns.getCampaign(supervisor, campaign.id);
  let checked = 0;
  for (const item of items.slice(0, 8)) {
    const flagged = checked === 3;
    await campaigns.checkItem(supervisor, campaign.id, item.seq, {
      status: flagged ? 'flagged' : 'clear',
      ...(flagged ? { note: '户籍地址与发放银行开户地不符，待上门核实' } : {}),
      version: item.version,
    });
    checked++;
  }

  const months = await sql<{ m: string }>`
    SELECT DISTINCT to_char(found_on, 'YYYY-MM') AS m FROM supervision_finding WHERE region = ${CITY_CODE} ORDER BY m`.execute(
    ctx.db,
  );
  return {
    findings: scan.findings,
    total: scan.total,
    months: months.rows.map((r) => r.m),
    cases: report,
    campaign: { id: campaign.id, items: items.length, checked },
  };
}
