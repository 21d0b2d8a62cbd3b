// The federation's reliability (issue 16): a real broker (Debian's nats-server), the national
// exchange and two provinces as separate processes. Pension and unemployment transfers run while
// each node is SIGKILLed at the points where exactly-once delivery can break — the old place before
// and after publishing the funds, the new place before its commit and after its commit but before
// the ack, the old place after committing the request, the exchange after answering where the
// relation is — and while the broker and the exchange are killed. After every restart each transfer
// completes exactly once, the money out equals the money in, and both ledgers verify. Forged and
// replayed messages of every kind that moves money or routes a transfer are refused.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect, headers } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { fedDemoPeople } from '../demo/federation-demo.ts';
import { SIGNATURE_HEADER, STREAM, subjectOf, type Envelope } from '../federation/fed.messaging.ts';
import { copyPgliteTemplate } from '../testing/test-db.ts';
import {
  alive,
  ensureKeys,
  freePort,
  natsServerPath,
  startBroker,
  startNode,
  waitHealthy,
} from './federation.cli.ts';

const A = '340000';
const B = '320000';
const PROVINCES = [A, B];
const dir = mkdtempSync(join(tmpdir(), 'shebao-fed-test-'));
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

interface NodeProc {
  node: string;
  port: number;
  pid: number;
  url: string;
  /** crash points still to be taken, one per life of the process */
  crashes: string[];
  restarts: number;
  /** kept down on purpose: not revived */
  held?: boolean;
}
const nodes = new Map<string, NodeProc>();
let natsUrl = '';
let brokerPort = 0;
let brokerPid = 0;
const tokens = new Map<string, string>();

/** Every process this test started, so that none outlives it. */
const launched = new Set<number>();

function launch(n: NodeProc): void {
  n.pid = startNode(dir, n.node, n.port, natsUrl, PROVINCES, n.crashes[0]);
  launched.add(n.pid);
}

/** Restarts every node that died (the crash hook SIGKILLs it), with its next crash point, all at once. */
async function reviveDead(): Promise<void> {
  const revived: NodeProc[] = [];
  for (const n of nodes.values()) {
    if (alive(n.pid) || n.held) continue;
    n.crashes.shift();
    n.restarts++;
    launch(n);
    tokens.delete(n.node);
    revived.push(n);
  }
  // A node may take its next crash point while starting (the relay runs before it listens):
  // then it is revived on the next round.
  await Promise.all(
    revived.map((n) =>
      waitHealthy(n.url, 120_000, n.pid, 100).catch((e: unknown) => {
        if (alive(n.pid)) throw e;
      }),
    ),
  );
}

async function token(node: string): Promise<string> {
  const cached = tokens.get(node);
  if (cached) return cached;
  const n = nodes.get(node);
  assert.ok(n);
  const r = await fetch(`${n.url}/api/v1/auth/login?bearer=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: node === 'national' ? 'admin' : 'supervisor', password: 'shebao-demo' }),
  });
  assert.equal(r.status, 200, `login at ${node}`);
  const t = ((await r.json()) as { token: string }).token;
  tokens.set(node, t);
  return t;
}

async function call<T>(
  node: string,
  path: string,
  init: { method?: string; body?: unknown; user?: string } = {},
) {
  const n = nodes.get(node);
  assert.ok(n);
  let auth: string;
  if (init.user) {
    const r = await fetch(`${n.url}/api/v1/auth/login?bearer=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: init.user, password: 'shebao-demo' }),
    });
    auth = ((await r.json()) as { token: string }).token;
  } else auth = await token(node);
  const r = await fetch(`${n.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${auth}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: r.status, body: (await r.json()) as T };
}

interface Transfer {
  id: number;
  ref: string;
  kind: string;
  fromProvince: string | null;
  status: string;
  totalFen: number | null;
  months: number | null;
  steps: Array<{ step: string; dueBy: string | null }>;
}
interface Status {
  refused: Array<{ msgId: string | null; claimedFrom: string | null; reason: string }>;
  transfers: Record<string, number>;
  transferOutFen: number;
  transferInFen: number;
  outboxPending: number;
}

/** Waits for a transfer to complete at the new place, reviving nodes that the crash hooks kill. */
async function untilCompleted(id: number, timeoutMs = 240_000): Promise<Transfer> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await reviveDead();
    try {
      const r = await call<Transfer>(B, `/api/v1/transfers/${id}`);
      if (r.status === 200 && r.body.status === 'completed') return r.body;
    } catch {
      // the node is down: revived next round
      tokens.delete(B);
    }
    if (Date.now() > until) throw new Error(`transfer ${id} not completed in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// People who worked in A and are insured in B now (the demo's movers).
const movers = fedDemoPeople().filter(
  (p) => p.segments.at(-1)?.province === B && p.segments.some((s) => s.province === A),
);
// The unemployed who were laid off in A with a claim there and are registered in B now.
const uiMovers = fedDemoPeople().filter(
  (p) => p.uiClaim !== undefined && p.segments.at(-1)?.province === A && p.registeredIn?.includes(B),
);

before(async () => {
  natsServerPath();
  // A killed node never acks what it was taking in: the broker redelivers it after 2 s, not the
  // default 4 (the node is back sooner than that), which saves a few seconds at each consumer crash point.
  process.env['SHEBAO_FED_ACK_WAIT_SECONDS'] = '2';
  ensureKeys(join(dir, 'keys'), ['national', ...PROVINCES]);
  brokerPort = await freePort();
  natsUrl = `nats://127.0.0.1:${brokerPort}`;
  brokerPid = startBroker(dir, brokerPort);
  launched.add(brokerPid);
  const crashes: Record<string, string[]> = {
    national: [],
    // The old place: after committing the request (before the ack); before and after publishing the
    // funds — for a pension transfer; after publishing (before marking it sent: it is published
    // again, and the broker's duplicate window drops it) for an unemployment transfer.
    [A]: [
      'consume.after-commit:transfer.request',
      'relay.before-publish:transfer.funds',
      'relay.after-publish:transfer.funds',
      'relay.after-publish:ui-transfer.funds',
    ],
    // The new place: before committing the funds; after the commit, before the ack — both kinds.
    [B]: [
      'consume.before-commit:transfer.funds',
      'consume.after-commit:transfer.funds',
      'consume.before-commit:ui-transfer.funds',
      'consume.after-commit:ui-transfer.funds',
    ],
  };
  for (const node of ['national', ...PROVINCES]) {
    // Each node starts on a copy of the migrated template rather than migrating an empty folder
    // (about 11 s of CPU a node); it then seeds its demo data as on an empty database.
    await copyPgliteTemplate(join(dir, node));
    const port = await freePort();
    const n: NodeProc = {
      node,
      port,
      pid: 0,
      url: `http://127.0.0.1:${port}`,
      crashes: [...(crashes[node] ?? [])],
      restarts: 0,
    };
    nodes.set(node, n);
    launch(n);
  }
  await Promise.all([...nodes.values()].map((n) => waitHealthy(n.url, 240_000, n.pid, 100)));
  console.log(`# federation started in ${elapsed()}`);
});

after(async () => {
  for (const pid of launched) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  if (process.env['SHEBAO_KEEP_FED_TEST'] !== '1') rmSync(dir, { recursive: true, force: true });
  else console.log(`# kept ${dir}`);
});

test(
  'transfers complete exactly once while every node, the broker and the exchange are killed',
  { timeout: 600_000 },
  async () => {
    assert.ok(movers.length >= 7, `demo movers from ${A} to ${B}: ${movers.length}`);
    assert.ok(uiMovers.length >= 3, `unemployed demo movers from ${A} to ${B}: ${uiMovers.length}`);
    const done: Transfer[] = [];
    let next = 0;
    let nextUi = 0;
    const apply = async (kind: 'pension' | 'unemployment' = 'pension') => {
      const p = kind === 'pension' ? movers[next++] : uiMovers[nextUi++];
      assert.ok(p, `a ${kind} mover left`);
      // No fromProvince: the exchange finds the old place in its index.
      const r = await call<{ id: number; status: string }>(B, '/api/v1/transfers', {
        method: 'POST',
        user: 'clerk',
        body: { idNumber: p.idNumber, kind },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.status, 'requested');
      return r.body.id;
    };
    // Until every crash point has been taken: one transfer at a time, each through whatever crash
    // comes; pension transfers while a pension crash point waits, then unemployment transfers.
    while ([...nodes.values()].some((n) => n.crashes.length > 0)) {
      const pensionPending = [...nodes.values()].some(
        (n) => n.crashes[0] !== undefined && !n.crashes[0].includes('ui-transfer'),
      );
      done.push(await untilCompleted(await apply(pensionPending ? 'pension' : 'unemployment')));
      console.log(`# transfer ${done.length} (${done.at(-1)?.kind}) completed by ${elapsed()}`);
    }
    console.log(
      `# crash points taken by ${elapsed()}: ${[...nodes.values()].map((n) => `${n.node} ×${n.restarts}`).join(', ')}`,
    );
    assert.equal(nodes.get(A)?.restarts, 4);
    assert.equal(nodes.get(B)?.restarts, 4);
    assert.ok(done.some((t) => t.kind === 'unemployment'));

    // The broker dies with a request on it (SIGKILL), and comes back on the same store.
    const id1 = await apply();
    process.kill(brokerPid, 'SIGKILL');
    for (let i = 0; i < 40 && alive(brokerPid); i++) await new Promise((r) => setTimeout(r, 50));
    brokerPid = startBroker(dir, brokerPort);
    launched.add(brokerPid);
    done.push(await untilCompleted(id1));

    // The exchange is down when a transfer is applied for: the transfer waits for it (the old place
    // is found in its index), the province's messages wait in its outbox, and it completes once the
    // exchange is back.
    const national = nodes.get('national');
    assert.ok(national);
    national.held = true;
    process.kill(national.pid, 'SIGKILL');
    const id2 = await apply('unemployment');
    await new Promise((r) => setTimeout(r, 1000));
    const waiting = await call<Transfer>(B, `/api/v1/transfers/${id2}`);
    assert.deepEqual([waiting.body.status, waiting.body.fromProvince], ['requested', null]);
    national.held = false;
    done.push(await untilCompleted(id2));
    console.log(`# broker and exchange restarts done by ${elapsed()}`);

    // Exactly once on both sides; money out of A = money into B = the sum of the transfers.
    const total = done.reduce((s, t) => s + (t.totalFen ?? 0), 0);
    assert.ok(total > 0);
    for (const t of done) {
      assert.ok((t.months ?? 0) > 0);
      assert.equal(t.fromProvince, A);
      assert.deepEqual(
        t.steps.map((s) => s.step),
        ['applied', 'located', 'letter-sent', 'funds-sent', 'credited'],
      );
      assert.ok(
        t.steps.find((s) => s.step === (t.kind === 'pension' ? 'letter-sent' : 'funds-sent'))?.dueBy,
        'each step has its time limit',
      );
    }
    let sa: Status | undefined;
    for (let i = 0; i < 40; i++) {
      sa = (await call<Status>(A, '/api/v1/federation/status')).body;
      if ((sa.transfers['out:completed'] ?? 0) === done.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sb = (await call<Status>(B, '/api/v1/federation/status')).body;
    assert.ok(sa);
    assert.equal(sa.transfers['out:completed'], done.length, JSON.stringify(sa.transfers));
    assert.equal(sb.transfers['in:completed'], done.length, JSON.stringify(sb.transfers));
    assert.equal(sa.transferOutFen, total, 'money out of the old place = the transfers');
    assert.equal(sb.transferInFen, total, 'money into the new place = the transfers');
    for (const node of PROVINCES) {
      const v = await call<{ ok: boolean; unbalancedEntries: number[] }>(node, '/api/v1/ledger/verify');
      assert.equal(v.status, 200);
      assert.equal(v.body.ok, true, `${node} ledger verifies`);
    }
    // The exchange's index knows both provinces for a person who moved.
    let provincesOf: string[] = [];
    for (let i = 0; i < 60 && provincesOf.length < 2; i++) {
      const r = await call<{ provinces: Array<{ province: string; relationHeld: boolean }> }>(
        'national',
        '/api/v1/federation/index/lookup',
        {
          method: 'POST',
          body: { idNumber: movers[next - 1]?.idNumber },
        },
      );
      provincesOf = r.body.provinces.map((p) => p.province).sort();
      if (provincesOf.length < 2) await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(provincesOf, [B, A].sort());
    // The place of payment from the index (66号 Art. 6): the first mover's hukou is Anhui, 60 months
    // there, under 120 in Jiangsu where the relation is now → neither has 10 years → the hukou (rule 4).
    const first = movers[0];
    assert.ok(first);
    const place = await call<{ place: string; rule: number; segments: Array<{ province: string }> }>(
      'national',
      '/api/v1/federation/payment-place',
      { method: 'POST', body: { idNumber: first.idNumber, hukou: `${first.hukou.slice(0, 2)}0000` } },
    );
    assert.equal(place.status, 200, JSON.stringify(place.body));
    assert.deepEqual(
      place.body.segments.map((x) => x.province),
      [A, B],
    );
    assert.deepEqual([place.body.place, place.body.rule], [A, 4]);
    console.log(`# checks done by ${elapsed()}; ${done.length} transfers, ${total} fen`);
  },
);

test(
  'forged and replayed messages of every kind that moves money or routes a transfer are refused and change nothing',
  { timeout: 120_000 },
  async () => {
    const before = (await call<Status>(B, '/api/v1/federation/status')).body;
    const nc = await connect({ servers: natsUrl });
    const { privateKey } = generateKeyPairSync('ed25519');
    const nationalKey = readFileSync(join(dir, 'keys', 'national.key'), 'utf8');
    const aKey = readFileSync(join(dir, 'keys', `${A}.key`), 'utf8');
    try {
      const js = jetstream(nc);
      const jsm = await jetstreamManager(nc);
      // Replayed: genuine funds messages from A (pension and unemployment) and a genuine answer of
      // the exchange, taken from the stream and published again.
      for (const kind of ['transfer.funds', 'ui-transfer.funds', 'index.located']) {
        const stored = await jsm.streams.getMessage(STREAM, { last_by_subj: subjectOf(B, kind) });
        assert.ok(stored, kind);
        const h = headers();
        h.set(SIGNATURE_HEADER, stored.header.get(SIGNATURE_HEADER));
        await js.publish(subjectOf(B, kind), stored.data, { headers: h });
      }
      const envelope = (from: string, kind: string, body: unknown): Buffer =>
        Buffer.from(
          JSON.stringify({
            id: crypto.randomUUID(),
            from,
            to: B,
            kind,
            at: new Date().toISOString(),
            body,
          } satisfies Envelope),
        );
      const publishSigned = async (kind: string, bytes: Buffer, key: Parameters<typeof sign>[2]) => {
        const h = headers();
        h.set(SIGNATURE_HEADER, sign(null, bytes, key).toString('base64'));
        await js.publish(subjectOf(B, kind), bytes, { headers: h });
      };
      const pensionFunds = {
        ref: 'forged',
        segments: [],
        months: 1,
        pooledByYear: {},
        pooledFen: 1,
        accountFen: 0,
        totalFen: 1,
        sentOn: '2026-01-01',
      };
      const uiFunds = {
        ref: 'forged',
        contribMonths: 60,
        carriedContribMonths: 60,
        remainingMonths: 12,
        outMonthlyFen: 1,
        benefitFen: 12,
        subsidiesFen: 6,
        fundsMove: true,
        fundsFen: 18,
        sentOn: '2026-01-01',
      };
      // Forged: claims to come from A but is signed with a key of nobody's.
      await publishSigned('transfer.funds', envelope(A, 'transfer.funds', pensionFunds), privateKey);
      await publishSigned('ui-transfer.funds', envelope(A, 'ui-transfer.funds', uiFunds), privateKey);
      // Signed by a real node, but not by the one it claims: A's funds signed with the exchange's key,
      // and an answer of "the exchange" (pointing a transfer at another province) signed with A's key.
      await publishSigned('transfer.funds', envelope(A, 'transfer.funds', pensionFunds), nationalKey);
      await publishSigned('ui-transfer.funds', envelope(A, 'ui-transfer.funds', uiFunds), nationalKey);
      await publishSigned(
        'index.located',
        envelope('national', 'index.located', { ref: 'forged', provinces: [] }),
        aKey,
      );
    } finally {
      await nc.close();
    }
    let after: Status | undefined;
    for (let i = 0; i < 60; i++) {
      after = (await call<Status>(B, '/api/v1/federation/status')).body;
      if (after.refused.length >= before.refused.length + 8) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(after);
    const reasons = after.refused.slice(0, after.refused.length - before.refused.length).map((r) => r.reason);
    assert.equal(reasons.length, 8, JSON.stringify(after.refused));
    assert.equal(reasons.filter((r) => r.startsWith('signature is not')).length, 5, reasons.join('; '));
    assert.equal(reasons.filter((r) => r.startsWith('replay')).length, 3, reasons.join('; '));
    assert.equal(after.transferInFen, before.transferInFen, 'no money moved');
    assert.deepEqual(after.transfers, before.transfers);
  },
);
