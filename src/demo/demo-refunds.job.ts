// Demo data for issue 12 items 4–5: employers' bank accounts (a few left without one, so the batch
// shows a held refund), last year's stable-employment refund scan over the demo city (some employers
// qualify, others not — layoffs above the target, arrears, too few staff months — so the reasons show),
// left awaiting a clerk's preparation and a reviewer's release; and a demo register of vocational
// skill certificates, imported through the same all-or-nothing CSV import a clerk uses, with two
// certificates for the demo citizen (one in time, one past its 12-month window).
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { addMonths, type IsoDate } from '../core/dates.ts';
import { isSbError } from '../core/errors.ts';
import {
  CERTIFICATE_COLUMNS,
  CertificateRegisterService,
} from '../unemployment/certificate-register.service.ts';
import { checkRefundYear, runRefundScan, type RefundScanSummary } from '../unemployment/refund.job.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';

export const OCCUPATIONS = [
  '电工',
  '焊工',
  '育婴员',
  '中式烹调师',
  '保育师',
  '家政服务员',
  '车工',
  '汽车维修工',
  '茶艺师',
  '养老护理员',
];
const ISSUER = '安徽省宣城市职业技能鉴定中心';

/** The latest policy year up to last year for which the refund rule is in force. */
export function demoRefundYear(ctx: AppContext, asOf: IsoDate): number | null {
  for (let y = Number(asOf.slice(0, 4)) - 1; y >= 2021; y--) {
    try {
      return checkRefundYear(y, ctx.params);
    } catch (e) {
      if (!isSbError(e)) throw e;
    }
  }
  return null;
}

/** The demo register as the CSV a clerk would upload. */
export async function demoCertificateCsv(ctx: AppContext, asOf: IsoDate): Promise<string> {
  const r = await sql<{ id: unknown; id_number: string; name: string; citizen: boolean }>`
    WITH c AS (SELECT person_id FROM app_user WHERE username = 'citizen')
    SELECT p.id, p.id_number, p.name, (p.id = (SELECT person_id FROM c)) AS citizen FROM person p
    WHERE p.death_date IS NULL AND left(p.region, 4) = ${CITY_CODE.slice(0, 4)}
      AND p.birth_date BETWEEN ${`${Number(asOf.slice(0, 4)) - 55}-01-01`}::date AND ${`${Number(asOf.slice(0, 4)) - 20}-12-31`}::date
      AND (p.id = (SELECT person_id FROM c) OR p.id % 97 = 3)
    ORDER BY (p.id = (SELECT person_id FROM c)) DESC, p.id LIMIT 400`.execute(ctx.db);
  const lines = [CERTIFICATE_COLUMNS.join(',')];
  let n = 1;
  const no = () => `S${asOf.slice(0, 4)}3418${String(n++).padStart(6, '0')}`;
  for (const p of r.rows) {
    const id = Number(p.id);
    if (p.citizen === true || (p.citizen as unknown) === 't') {
      // in time (issued two months ago, level 4) and too late (issued 14 months ago, level 5)
      lines.push([no(), p.id_number, p.name, '电工', '4', addMonths(asOf, -2), ISSUER].join(','));
      lines.push([no(), p.id_number, p.name, '育婴员', '5', addMonths(asOf, -14), ISSUER].join(','));
      continue;
    }
    const level = 3 + (id % 3);
    const issued = addMonths(asOf, -(1 + (id % 20)));
    lines.push(
      [
        no(),
        p.id_number,
        p.name,
        OCCUPATIONS[id % OCCUPATIONS.length] ?? '电工',
        String(level),
        issued,
        ISSUER,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function seedDemoRefunds(
  ctx: AppContext,
  asOf: IsoDate,
): Promise<{ year: number | null; scan: RefundScanSummary | null; certificates: number }> {
  if (!(await isDemoDatabase(ctx.db))) return { year: null, scan: null, certificates: 0 };
  const actor = systemActor('demo-seed');
  // Bank accounts for the city's employers, except every 17th (their refund waits for an account).
  await sql`
    INSERT INTO employer_bank_account (employer_id, bank_name, bank_account, updated_by)
    SELECT e.id, (ARRAY['中国工商银行宣城分行', '中国建设银行宣城分行', '中国农业银行宣城分行', '徽商银行宣城分行'])[1 + e.id % 4],
      '1317' || lpad(e.id::text, 14, '0'), 'demo-seed'
    FROM employer e WHERE left(e.region, 4) = ${CITY_CODE.slice(0, 4)} AND e.id % 17 <> 0
    ON CONFLICT (employer_id) DO NOTHING`.execute(ctx.db);
  const year = demoRefundYear(ctx, asOf);
  const scan = year === null ? null : await runRefundScan(ctx.db, ctx.params, actor, { year });
  const csv = await demoCertificateCsv(ctx, asOf);
  const imported = await new CertificateRegisterService(ctx.db).import(actor, {
    csv,
    filename: 'demo-certificate-register.csv',
    region: CITY_CODE,
  });
  return { year, scan, certificates: imported.status === 'imported' ? imported.rows : 0 };
}
