// The local federation's demo populations (`shebao federation up`): three provinces — the demo
// city's Anhui (宣城市 341800), Jiangsu (南京市 320100) and Zhejiang (杭州市 330100) — each with a
// few local workers and the same sixteen movers who worked in two or three of them (same ID numbers
// everywhere, each province holding only its own segment). Histories come from the demo city's
// history job (bills, lines, journal, account interest), so every ledger verifies.
//
// Only Anhui's average wage is encoded (params/contributions/average-wage.yaml); the demo builds the
// other two provinces' bases with Anhui's figures, marked uncertain, and says so in its report.
import { sql } from 'kysely';
import { hashPassword } from '../auth/password.ts';
import { makeIdNumber, creditCheckChar, orgCodeCheckChar } from '../core/ids.ts';
import { ParamStore, type ParamDefinition } from '../core/params.ts';
import { addPeriods, periodEnd, periodOf, periodRange, periodStart, type IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { DEMO_META_KEY } from '../db/platform-meta.ts';
import { enqueue, idHash, NATIONAL } from '../federation/fed.messaging.ts';
import { temporaryAccountCheck } from '../federation/temporary-account.rules.ts';
import { DEMO_PASSWORD } from './demo-city.ts';
import { generateDemoHistory } from './demo-history.job.ts';
import { NO_DETAILS, seedFederationRetirees } from './federation-retirees.ts';

export const FED_DEMO_PROVINCES = [
  { code: '340000', city: '341800', name: '安徽省（宣城市）' },
  { code: '320000', city: '320100', name: '江苏省（南京市）' },
  { code: '330000', city: '330100', name: '浙江省（杭州市）' },
] as const;

export interface FedSegment {
  province: string;
  from: IsoDate;
  to: IsoDate | null;
}

export interface FedDemoPerson {
  key: number;
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: IsoDate;
  hukou: string;
  wageFen: number;
  segments: FedSegment[];
  /** provinces where the person is registered without working there (an unemployed person who moved) */
  registeredIn?: string[];
  /** an approved unemployment claim at the province of the last segment, first paid in `firstPeriod` */
  uiClaim?: { monthlyFen: number; maxMonths: number; firstPeriod: string };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
];

/**
 * The same people on every instance: movers (two or three provinces), then each province's locals,
 * then the unemployed movers: laid off in one province in 2026-05 with an approved claim there, now
 * registered in the next province (to transfer the unemployment relation).
 */
export function fedDemoPeople(localsPerProvince = 20, movers = 16, uiMovers = 15): FedDemoPerson[] {
  const [a, b, c] = FED_DEMO_PROVINCES.map((p) => p.code) as [string, string, string];
  const out: FedDemoPerson[] = [];
  const person = (key: number, hukouCity: string, segments: FedSegment[]): FedDemoPerson => {
    const year = 1970 + (key % 25);
    const birthDate = `${year}-${String((key % 12) + 1).padStart(2, '0')}-${String((key % 27) + 1).padStart(2, '0')}`;
    const sex = key % 2 === 1 ? 'M' : 'F';
    const seq = (key * 2 + (sex === 'M' ? 1 : 0)) % 1000;
    return {
      key,
      idNumber: makeIdNumber(hukouCity, birthDate, seq),
      name: `${SURNAMES[key % SURNAMES.length]}${GIVEN[(key * 7) % GIVEN.length]}${key >= 100 ? '' : GIVEN[(key * 3 + 1) % GIVEN.length]}`,
      sex,
      birthDate,
      hukou: hukouCity,
      wageFen: 500000 + (key % 9) * 75000,
      segments,
    };
  };
  // Four routes, so that every province has people who arrived from elsewhere (each province's
  // `citizen` login is one of them): A→B, B→C, C→A→B and C→B→A.
  const routes: [string, string, ...string[]][] = [
    [a, b],
    [b, c],
    [c, a, b],
    [c, b, a],
  ];
  for (let i = 0; i < movers; i++) {
    const route = routes[i % routes.length] as [string, string, ...string[]];
    const hukou = FED_DEMO_PROVINCES.find((p) => p.code === route[0])?.city ?? '341800';
    const segs: FedSegment[] =
      route.length === 3
        ? [
            { province: route[0], from: '2016-01-01', to: '2018-12-31' },
            { province: route[1], from: '2019-01-01', to: '2021-12-31' },
            { province: route[2] as string, from: '2022-01-01', to: null },
          ]
        : [
            { province: route[0], from: i % 2 === 0 ? '2016-01-01' : '2017-07-01', to: '2020-12-31' },
            { province: route[1], from: '2021-01-01', to: null },
          ];
    out.push(person(i + 1, hukou, segs));
  }
  FED_DEMO_PROVINCES.forEach((p, k) => {
    for (let i = 0; i < localsPerProvince; i++)
      out.push(
        person(100 + k * 100 + i, p.city, [{ province: p.code, from: `${2016 + (i % 4)}-01-01`, to: null }]),
      );
  });
  for (let i = 0; i < uiMovers; i++) {
    const from = [a, b, c][i % 3] as string;
    const to = [a, b, c][(i + 1) % 3] as string;
    const hukou = FED_DEMO_PROVINCES.find((p) => p.code === from)?.city ?? '341800';
    out.push({
      ...person(50 + i, hukou, [{ province: from, from: '2018-01-01', to: '2026-05-31' }]),
      registeredIn: [to],
      uiClaim: { monthlyFen: 180000 + (i % 4) * 5000, maxMonths: 12, firstPeriod: '2026-06' },
    });
  }
  return out;
}

/**
 * The arrivals a province's citizen logins go to, in order: movers whose relation moves in (not one kept
 * in a temporary account here because of their age, 66号 Art. 5), so the demo's transfer can be applied
 * for. The first is `citizen`; the second, `citizen2`, is a second person of the province with a login
 * of their own (the collection journey's applicant placed in another province reads their own card).
 */
export function arrivalsOf(
  people: readonly FedDemoPerson[],
  province: string,
  params: ParamStore,
): FedDemoPerson[] {
  return people.filter((p) => {
    const last = p.segments.at(-1);
    if (p.segments.length < 2 || last?.province !== province) return false;
    return !temporaryAccountCheck(
      {
        sex: p.sex,
        birthDate: p.birthDate,
        hukou: `${p.hukou.slice(0, 2)}0000`,
        newProvince: province,
        startDate: last.from,
      },
      params,
    ).temporaryAccount;
  });
}

/** The parameters with Anhui's average wage standing in for the demo's other provinces (flagged uncertain). */
export function fedDemoParams(params: ParamStore): ParamStore {
  const defs = new Map<string, ParamDefinition>(params.definitions);
  const wage = defs.get('contributions/average-wage');
  const anhui = wage?.regions.get('340000');
  if (wage && anhui) {
    const regions = new Map(wage.regions);
    for (const p of FED_DEMO_PROVINCES)
      if (!regions.has(p.code))
        regions.set(
          p.code,
          anhui.map((v) => ({
            ...v,
            uncertain: true,
            note: `demo: Anhui's figure standing in for ${p.code}`,
          })),
        );
    defs.set(wage.path, { ...wage, regions });
  }
  return new ParamStore(defs);
}

export interface FedDemoReport {
  province: string;
  persons: number;
  movers: number;
  bills: number;
  logins: string[];
  note: string;
}

/** Seeds one province's instance (an empty database) with its part of the demo people. */
export async function seedFederationProvince(
  db: Db,
  params: ParamStore,
  province: string,
  asOf: IsoDate,
): Promise<FedDemoReport> {
  const prov = FED_DEMO_PROVINCES.find((p) => p.code === province);
  if (!prov) throw new Error(`not a demo province: ${province}`);
  const people = fedDemoPeople().filter(
    (p) => p.segments.some((s) => s.province === province) || p.registeredIn?.includes(province) === true,
  );
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const first8 = `MA${province.slice(0, 2)}${'0001'}`;
  const first17 = `91${prov.city}${first8}${orgCodeCheckChar(first8)}`;
  let movers = 0;
  const logins: string[] = [];
  await db.transaction().execute(async (tx) => {
    const emp = await tx
      .insertInto('employer')
      .values({
        credit_code: first17 + creditCheckChar(first17),
        name: `${prov.name.slice(0, 2)}联网示范制造有限公司`,
        region: prov.city,
        industry_class: 2,
        size: 'sme',
        address: null,
        contact_phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const p of people) {
      const segs = p.segments.filter((s) => s.province === province);
      if (p.segments.length > 1 || p.registeredIn !== undefined) movers++;
      const row = await tx
        .insertInto('person')
        .values({
          id_number: p.idNumber,
          name: p.name,
          sex: p.sex,
          birth_date: p.birthDate,
          hukou_region: p.hukou,
          region: prov.city,
          ...NO_DETAILS,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const s of segs) {
        await tx
          .insertInto('employment')
          .values({
            person_id: row.id,
            employer_id: emp.id,
            start_date: s.from,
            end_date: s.to,
            end_reason: s.to === null ? null : 'voluntary',
            monthly_wage_fen: p.wageFen,
          })
          .execute();
        await tx
          .insertInto('enrolment')
          .values(
            (['employee_pension', 'unemployment', 'injury'] as const).map((scheme) => ({
              person_id: row.id,
              scheme,
              kind: 'employee' as const,
              region: prov.city,
              employer_id: emp.id,
              start_date: s.from,
              end_date: s.to,
              status: s.to === null ? ('active' as const) : ('ended' as const),
            })),
          )
          .execute();
      }
    }
    await seedFederationRetirees(tx, province, prov.city, emp.id); // for the central adjustment
    // Staff logins (region: the province, which covers its cities) tied to local persons (four eyes
    // compares persons); the citizen logins are the first two movers now insured here.
    const locals = await tx
      .selectFrom('person')
      .select(['id', 'name'])
      .where(
        'id_number',
        'in',
        people.filter((p) => p.segments.length === 1 && p.uiClaim === undefined).map((p) => p.idNumber),
      )
      .orderBy('id')
      .limit(5)
      .execute();
    const staff = ['clerk', 'reviewer', 'reviewer2', 'supervisor', 'admin'] as const;
    const roleOf = (u: (typeof staff)[number]) => (u === 'reviewer2' ? 'reviewer' : u);
    const arrivals = arrivalsOf(people, province, params).slice(0, 2);
    const citizens = await Promise.all(
      arrivals.map((a) =>
        tx.selectFrom('person').select(['id', 'name']).where('id_number', '=', a.idNumber).executeTakeFirst(),
      ),
    );
    const rows = await tx
      .insertInto('app_user')
      .values([
        ...staff.map((u, i) => ({
          username: u,
          display_name: locals[i]?.name ?? u,
          role: roleOf(u),
          person_id: locals[i]?.id ?? null,
          employer_id: null,
          region: province,
          password_hash: passwordHash,
          locked_until: null,
        })),
        ...citizens.flatMap((c, i) =>
          c
            ? [
                {
                  username: i === 0 ? 'citizen' : 'citizen2',
                  display_name: c.name,
                  role: 'citizen' as const,
                  person_id: c.id,
                  employer_id: null,
                  region: null,
                  password_hash: passwordHash,
                  locked_until: null,
                },
              ]
            : [],
        ),
      ])
      .returning('username')
      .execute();
    logins.push(...rows.map((r) => r.username));
    await tx
      .insertInto('platform_meta')
      .values({ key: DEMO_META_KEY, value: JSON.stringify({ federation: province, asOf }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  });
  const history = await generateDemoHistory(db, fedDemoParams(params), { region: prov.city, asOf });
  await seedUnemploymentClaims(db, people, province, asOf);
  // Tell the national exchange which relations and segments this province holds.
  await db.transaction().execute(async (tx) => {
    const rows = await sql<{ id_number: string; months: unknown; last: string | null; held: boolean }>`
      SELECT p.id_number, count(DISTINCT l.period)::bigint AS months, max(l.period) AS last,
        EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme = 'employee_pension' AND e.status = 'active') AS held
      FROM person p LEFT JOIN contribution_bill_line l ON l.person_id = p.id GROUP BY p.id ORDER BY p.id`.execute(
      tx,
    );
    for (const r of rows.rows)
      await enqueue(tx, NATIONAL, 'index.update', {
        idHash: idHash(r.id_number),
        province,
        months: Number(r.months),
        lastPeriod: r.last,
        relationHeld: r.held,
      });
  });
  return {
    province,
    persons: people.length,
    movers,
    bills: history.bills,
    logins,
    note:
      province === '340000'
        ? 'Anhui parameters'
        : `no average wage is encoded for ${province}: the demo used Anhui's figures, flagged uncertain`,
  };
}

/**
 * The unemployed movers' approved claims where they were laid off, paid through the month before
 * `asOf` (demo data, written directly as the claim process would have left it).
 */
async function seedUnemploymentClaims(
  db: Db,
  people: FedDemoPerson[],
  province: string,
  asOf: IsoDate,
): Promise<void> {
  const lastPaid = addPeriods(periodOf(asOf), -1);
  for (const p of people) {
    const seg = p.segments.at(-1);
    if (!p.uiClaim || seg?.province !== province || seg.to === null) continue;
    const c = p.uiClaim;
    const job = await sql<{
      person_id: unknown;
      employment_id: unknown;
      employer_id: unknown;
      region: string;
    }>`
      SELECT p.id AS person_id, e.id AS employment_id, e.employer_id, p.region FROM person p
      JOIN employment e ON e.person_id = p.id WHERE p.id_number = ${p.idNumber} ORDER BY e.id DESC LIMIT 1`.execute(
      db,
    );
    const j = job.rows[0];
    if (!j) continue;
    const lastPeriod = addPeriods(c.firstPeriod, c.maxMonths - 1);
    const claim = await sql<{ id: unknown }>`
      INSERT INTO unemployment_claim (person_id, region, employment_id, employer_id, separation_date, separation_reason,
        registration_date, decision_deadline, contribution_months, eligible, max_months, monthly_fen, medical_fen,
        entitlement_start, entitlement_end, first_period, last_period, status, created_by)
      VALUES (${j.person_id}, ${j.region}, ${j.employment_id}, ${j.employer_id}, ${seg.to}, 'involuntary', ${seg.to}, ${seg.to},
        60, true, ${c.maxMonths}, ${c.monthlyFen}, 0, ${periodStart(c.firstPeriod)}, ${periodEnd(lastPeriod)},
        ${c.firstPeriod}, ${lastPeriod}, 'approved', 'demo')
      RETURNING id`.execute(db);
    const through = lastPaid < lastPeriod ? lastPaid : lastPeriod;
    const paid = through >= c.firstPeriod ? periodRange(c.firstPeriod, through) : [];
    if (paid.length > 0)
      await sql`INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
        SELECT ${j.person_id}, ${claim.rows[0]?.id}, ${j.region}, x, ${c.monthlyFen}, 0, 0, 0
        FROM unnest(${`{${paid.join(',')}}`}::text[]) AS x`.execute(db);
  }
}

/** The national exchange's demo logins over the whole country: an administrator, a reviewer (settles the central adjustment) and a supervisor. */
export async function seedFederationNational(db: Db): Promise<string[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = ['admin', 'reviewer', 'supervisor'] as const;
  const NAMES = {
    admin: '全国平台管理员',
    reviewer: '全国平台复核员',
    supervisor: '全国平台基金监督员',
  } as const;
  await db
    .insertInto('app_user')
    .values(
      users.map((u) => ({
        username: u,
        display_name: NAMES[u],
        role: u,
        person_id: null,
        employer_id: null,
        region: '000000',
        password_hash: passwordHash,
        locked_until: null,
      })),
    )
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
  return [...users];
}
