// One province node on the real broker, with the test playing the other nodes (the national exchange,
// the old province): shared by the journeys that cross provinces in the browser (federation,
// retirement-collection). `shebao federation up` would start three provinces and the exchange, more
// than a journey's budget on the 2-core CI machine; the other sides are proven by
// src/federation/transfer.db.test.ts and src/ops/federation.reliability.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  alive,
  ensureKeys,
  freePort,
  startBroker,
  startNode,
  waitHealthy,
} from '../src/ops/federation.cli.ts';
import {
  loadKeys,
  NATIONAL,
  signBytes,
  SIGNATURE_HEADER,
  STREAM,
  subjectOf,
  type Envelope,
} from '../src/federation/fed.messaging.ts';
import { pensionTransferFunds } from '../src/federation/transfer.rules.ts';
import type { TransferFundsBody, TransferRequestBody } from '../src/federation/transfer.service.ts';

/** Anhui, the old place the journeys transfer from. */
export const OLD = '340000';
/** Jiangsu, the one real province node. */
export const NEW = '320000';

/** What a played node answers to a message addressed to it; null: acknowledged and dropped. */
export type Answer = (env: Envelope) => Promise<Omit<Envelope, 'id' | 'from' | 'at'> | null>;

export interface Federation {
  /** each real node's web and API address */
  base: Record<string, string>;
  /** plays `node` on the broker: consumes its subject, signs its answers with its key */
  play: (node: string, answer: Answer) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Starts the broker and a real node for each of `nodes` (Jiangsu and Anhui: each its own embedded
 * database and demo population); the exchange and any province not started are the test's to play.
 */
export async function startFederation(label: string, nodes: readonly string[] = [NEW]): Promise<Federation> {
  const dir = mkdtempSync(join(tmpdir(), `shebao-${label}-e2e-`));
  const keyDir = join(dir, 'keys');
  ensureKeys(keyDir, [NATIONAL, OLD, NEW]);
  const registry = JSON.parse(readFileSync(join(keyDir, 'registry.json'), 'utf8')) as Record<string, string>;
  const pids: number[] = [];
  const conns: NatsConnection[] = [];
  const brokerPort = await freePort();
  pids.push(startBroker(dir, brokerPort));
  const natsUrl = `nats://127.0.0.1:${brokerPort}`;
  const base: Record<string, string> = {};
  for (const node of nodes) {
    const port = await freePort();
    pids.push(startNode(dir, node, port, natsUrl, [OLD, NEW]));
    base[node] = `http://127.0.0.1:${port}`;
  }
  // Two nodes seed their demo cities at once on two cores: more time than one.
  try {
    await Promise.all(
      nodes.map((n, i) => waitHealthy(base[n] ?? '', 60_000 + 60_000 * nodes.length, pids[i + 1])),
    );
  } catch (e) {
    // the test never gets `stop`: the detached broker and nodes would outlive the run and take the other
    // shard's core (a node not healthy in time ran on for 23 minutes); their logs stay in `dir`
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    throw e;
  }

  const play = async (node: string, answer: Answer) => {
    const conn = await connect({ servers: natsUrl });
    conns.push(conn);
    const jsm = await jetstreamManager(conn);
    await jsm.consumers.add(STREAM, {
      durable_name: `node_${node}`,
      ack_policy: AckPolicy.Explicit,
      filter_subject: subjectOf(node, '>'),
    });
    const js = jetstream(conn);
    const { privateKey } = loadKeys(readFileSync(join(keyDir, `${node}.key`), 'utf8'), registry);
    const consumer = await js.consumers.get(STREAM, `node_${node}`);
    void (async () => {
      for await (const m of await consumer.consume()) {
        const reply = await answer(JSON.parse(m.string()) as Envelope);
        if (reply) {
          const env: Envelope = {
            ...reply,
            id: crypto.randomUUID(),
            from: node,
            at: new Date().toISOString(),
          };
          const bytes = Buffer.from(JSON.stringify(env), 'utf8');
          const h = headers();
          h.set(SIGNATURE_HEADER, signBytes(privateKey, bytes));
          await js.publish(subjectOf(env.to, env.kind), bytes, { msgID: env.id, headers: h });
        }
        m.ack();
      }
    })();
  };

  const stop = async () => {
    for (const c of conns) await c.close();
    for (const pid of [...pids].reverse()) if (alive(pid)) process.kill(pid, 'SIGTERM');
    const until = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, play, stop };
}

/**
 * Anhui's answer to a transfer request, as a real old place sends it: 60 months at 5,000.00 (each
 * segment with the average wage its months were assessed against) and their funds by the
 * `pension-transfer-funds` rule.
 */
export function oldPlaceFunds(req: TransferRequestBody): TransferFundsBody {
  const segments = [{ from: '2016-01', to: '2020-12', monthlyBaseFen: 500000, averageWageFen: 625000 }];
  const funds = pensionTransferFunds({ segments, accountType: 'regular' });
  return {
    ref: req.ref,
    segments,
    months: funds.months,
    pooledByYear: funds.pooledByYear,
    pooledFen: funds.pooledFen,
    accountFen: 2850000,
    totalFen: funds.pooledFen + 2850000,
    sentOn: req.appliedOn,
  };
}
