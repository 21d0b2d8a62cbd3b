// Demo social security cards (issue 14): every demo citizen login and about a third of the living
// demo population hold an activated card, made set-based in one statement (and one history row per
// card). Idempotent: a person who already holds a live card gets none. Each demo card carries its
// bank function (社保卡金融功能): the cooperating bank and a deterministic 19-digit account
// ('6217' + the person id in 15 digits); the card is activated, so the account is the person's
// account too (set-based, one audit entry with the card's-bank-account reason).
//
// Why not through `recordPersonBankAccount` (registry/person.service.ts), the function activation
// uses: it is one person at a time — a row lock, an UPDATE and a hash-chained audit entry each — and
// the demo activates thousands of cards at once (about 7,000 for the default 20,000 people), which
// would add minutes to a first start. The statement below writes the same two columns under the same
// rules: the account is the card's (16–19 digits, the format `normalizeBankAccount` accepts: '6217'
// + 15 digits), only where it differs, with the person's version bumped, and the change is audited
// once with the same reason (CARD_BANK_REASON). src/demo/demo-seed.db.test.ts checks that every
// activated demo card's account is its holder's. The cards are issued on the day the demo is built.
//
// The city also registers its terminals (用卡终端登记) — a bus gate, the library's door and a hospital
// counter, the three kinds the terminal simulator offers — through the register's service, so an upload
// of their use records works from the first start.
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { systemActor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import '../cards/card.tables.ts';
import { findTerminal } from '../cards/card-terminal.repository.ts';
import { CardTerminalService } from '../cards/card-terminal.service.ts';
import { CARD_BANK_REASON } from '../cards/card.rules.ts';
import type { TerminalKind } from '../cards/card.tables.ts';

/** The cooperating bank of the demo cards. */
export const DEMO_CARD_BANK = '中国建设银行';

/** The demo city's registered card terminals. */
export const DEMO_TERMINALS: readonly { terminalId: string; kind: TerminalKind; name: string }[] = [
  { terminalId: 'XC-BUS-0001', kind: 'bus', name: '宣城公交1路 车载刷卡闸机' },
  { terminalId: 'XC-LIB-0001', kind: 'library', name: '宣城市图书馆 正门闸机' },
  { terminalId: 'XC-HOS-0001', kind: 'hospital', name: '宣城市人民医院 挂号收费窗口' },
];

export async function issueDemoCards(db: Db, region: string): Promise<{ cards: number }> {
  const issued = await insertDemoCards(db, region);
  const actor = systemActor('demo-seed');
  for (const t of DEMO_TERMINALS)
    if ((await findTerminal(db, t.terminalId)) === undefined)
      await new CardTerminalService(db).register(actor, { ...t, region });
  return issued;
}

async function insertDemoCards(db: Db, region: string): Promise<{ cards: number }> {
  return db.transaction().execute(async (tx) => {
    const r = await sql<{ id: number }>`
      INSERT INTO card (person_id, region, card_no, card_ref, chip_id, status, applied_via,
                        bank_name, bank_account, issued_on)
      SELECT p.id, p.region, lpad(nextval('card_no_seq')::text, 9, '0'),
             replace(gen_random_uuid()::text, '-', ''), replace(gen_random_uuid()::text, '-', ''),
             'activated', 'demo', ${DEMO_CARD_BANK}, '6217' || lpad(p.id::text, 15, '0'), ${today()}::date
      FROM person p
      WHERE p.death_date IS NULL AND left(p.region, 4) = left(${region}, 4)
        AND (p.id % 3 = 0 OR EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id AND u.role = 'citizen'))
        AND NOT EXISTS (SELECT 1 FROM card c WHERE c.person_id = p.id
                        AND c.status IN ('applied', 'produced', 'issued', 'activated', 'temp_lost'))
      ORDER BY p.id
      RETURNING id`.execute(tx);
    const cards = r.rows.length;
    if (cards > 0) {
      await sql`
        INSERT INTO card_event (card_id, from_status, to_status, kind, note, actor)
        SELECT c.id, NULL, 'activated', 'demo-issue', NULL, 'demo-seed'
        FROM card c WHERE c.applied_via = 'demo'
          AND NOT EXISTS (SELECT 1 FROM card_event e WHERE e.card_id = c.id)`.execute(tx);
      // The activated demo cards' accounts become their holders' accounts (where the payrolls pay).
      const ids = r.rows.map((x) => Number(x.id));
      const moved = await sql<{ id: number }>`
        UPDATE person p SET bank_name = c.bank_name, bank_account = c.bank_account,
               updated_at = now(), version = p.version + 1
        FROM card c
        WHERE c.person_id = p.id AND c.id = ANY(${ids}::bigint[])
          AND p.bank_account IS DISTINCT FROM c.bank_account
        RETURNING p.id`.execute(tx);
      await appendAudit(tx, systemActor('demo-seed'), {
        action: 'person.demo-card-bank',
        entityType: 'person',
        region,
        after: { persons: moved.rows.length },
        reason: CARD_BANK_REASON,
      });
      await appendAudit(tx, systemActor('demo-seed'), {
        action: 'card.demo-issue',
        entityType: 'card',
        region,
        after: { cards },
      });
    }
    return { cards };
  });
}
