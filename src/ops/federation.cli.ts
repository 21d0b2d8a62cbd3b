// `shebao federation up | down | node` and `shebao national report`: a local federation on loopback
// — the NATS broker with JetStream, the national exchange and three provinces, each its own process
// with its own embedded database under DATA_DIR/federation — started in the background.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { CrashPoint } from '../federation/fed.messaging.ts';

// Kept here (not imported) so that `shebao calc` does not load the broker client or the demo.
const NATIONAL = 'national';
/** The demo provinces (src/demo/federation-demo.ts): Anhui (the demo city 341800), Jiangsu, Zhejiang. */
const DEMO_PROVINCES = '340000,320000,330000';

interface CliHelpers {
  guarded: (fn: () => Promise<void>) => Promise<void>;
}

export interface FederationState {
  dir: string;
  broker: { url: string; pid: number; port: number };
  nodes: Array<{ node: string; url: string; pid: number; port: number }>;
}

const ROOT = join(import.meta.dirname, '..', '..');

export function natsServerPath(): string {
  for (const p of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'])
    if (existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  if (w.status === 0 && w.stdout.trim()) return w.stdout.trim();
  throw new Error(
    'nats-server not found: install Debian’s nats-server package (apt-get install nats-server)',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Ed25519 keys for every node and the registry of their public keys (what the exchange publishes). */
export function ensureKeys(keyDir: string, nodes: string[]): void {
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const regFile = join(keyDir, 'registry.json');
  const registry: Record<string, string> = existsSync(regFile)
    ? (JSON.parse(readFileSync(regFile, 'utf8')) as Record<string, string>)
    : {};
  for (const n of nodes) {
    if (registry[n] && existsSync(join(keyDir, `${n}.key`))) continue;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(keyDir, `${n}.key`), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    registry[n] = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
  writeFileSync(regFile, JSON.stringify(registry, null, 2));
  // The federation's shared secret: the key of the national index's hashed ID numbers (HMAC).
  const secretFile = join(keyDir, 'federation.secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
}

/** The local federation's secret (made by ensureKeys); a real deployment sets FEDERATION_SECRET. */
export const readSecret = (keyDir: string): string =>
  readFileSync(join(keyDir, 'federation.secret'), 'utf8').trim();

export function startBroker(dir: string, port: number): number {
  mkdirSync(join(dir, 'nats'), { recursive: true });
  const out = openSync(join(dir, 'nats.log'), 'a');
  const child = spawn(
    natsServerPath(),
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'nats'), '-n', 'shebao-fed'],
    {
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  child.unref();
  return child.pid ?? 0;
}

export function startNode(
  dir: string,
  node: string,
  port: number,
  natsUrl: string,
  provinces: string[],
  crashAt?: string,
): number {
  const dataDir = join(dir, node);
  mkdirSync(dataDir, { recursive: true });
  const out = openSync(join(dir, `${node}.log`), 'a');
  const args = [
    join(ROOT, 'bin', 'shebao.mjs'),
    'federation',
    'node',
    '--node',
    node,
    '--nats',
    natsUrl,
    '--keys',
    join(dir, 'keys'),
    '--provinces',
    provinces.join(','),
  ];
  if (crashAt) args.push('--crash-at', crashAt);
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      SHEBAO_DEMO: 'false',
      FEDERATION_SECRET: readSecret(join(dir, 'keys')),
    },
  });
  child.unref();
  return child.pid ?? 0;
}

export async function waitHealthy(url: string, timeoutMs: number, pid?: number, pollMs = 300): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (pid !== undefined && !alive(pid)) throw new Error(`${url}: the process ${pid} exited; see its log`);
    if (Date.now() > until) throw new Error(`${url} not healthy after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const stateFile = (dir: string) => join(dir, 'federation.json');

export function summary(s: FederationState) {
  return {
    broker: s.broker.url,
    national: s.nodes.find((n) => n.node === NATIONAL)?.url ?? null,
    provinces: Object.fromEntries(s.nodes.filter((n) => n.node !== NATIONAL).map((n) => [n.node, n.url])),
  };
}

export async function federationUp(dir: string, provinces: string[]): Promise<FederationState> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(stateFile(dir))) {
    const s = JSON.parse(readFileSync(stateFile(dir), 'utf8')) as FederationState;
    if (alive(s.broker.pid) && s.nodes.every((n) => alive(n.pid))) return s;
    await federationDown(dir);
  }
  const nodes = [NATIONAL, ...provinces];
  ensureKeys(join(dir, 'keys'), nodes);
  const brokerPort = await freePort();
  const brokerPid = startBroker(dir, brokerPort);
  const natsUrl = `nats://127.0.0.1:${brokerPort}`;
  const state: FederationState = {
    dir,
    broker: { url: natsUrl, pid: brokerPid, port: brokerPort },
    nodes: [],
  };
  for (const node of nodes) {
    const port = await freePort();
    const pid = startNode(dir, node, port, natsUrl, provinces);
    state.nodes.push({ node, url: `http://127.0.0.1:${port}`, pid, port });
  }
  writeFileSync(stateFile(dir), JSON.stringify(state, null, 2));
  await Promise.all(state.nodes.map((n) => waitHealthy(n.url, 300_000, n.pid)));
  return state;
}

export async function federationDown(dir: string): Promise<string[]> {
  if (!existsSync(stateFile(dir))) return [];
  const s = JSON.parse(readFileSync(stateFile(dir), 'utf8')) as FederationState;
  const stopped: string[] = [];
  const stop = async (name: string, pid: number) => {
    if (!alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    const until = Date.now() + 15_000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    stopped.push(name);
  };
  await Promise.all(s.nodes.map((n) => stop(n.node, n.pid)));
  await stop('broker', s.broker.pid);
  rmSync(stateFile(dir));
  return stopped;
}

export function registerFederationCommands(program: Command, { guarded }: CliHelpers): void {
  const fed = program
    .command('federation')
    .description(
      'a local federation: NATS broker, national exchange, three provinces / 本地跨省联网（消息中间件、全国平台、三个省）',
    );
  fed
    .command('up')
    .description(
      'start it in the background under DATA_DIR/federation and wait until healthy; last line: JSON {broker, national, provinces}',
    )
    .option('--provinces <codes>', 'province codes', DEMO_PROVINCES)
    .action((o: { provinces: string }) =>
      guarded(async () => {
        const dir = join(loadConfig().dataDir, 'federation');
        const provinces = o.provinces.split(',').map((s) => s.trim());
        const t0 = Date.now();
        const s = await federationUp(dir, provinces);
        process.stderr.write(
          `federation up in ${((Date.now() - t0) / 1000).toFixed(1)} s; data and logs in ${dir}\n`,
        );
        process.stdout.write(`${JSON.stringify(summary(s))}\n`);
      }),
    );
  fed
    .command('down')
    .description('stop the federation started with the same DATA_DIR')
    .action(() =>
      guarded(async () => {
        const stopped = await federationDown(join(loadConfig().dataDir, 'federation'));
        process.stdout.write(`${JSON.stringify({ stopped })}\n`);
      }),
    );
  fed
    .command('node')
    .description('run one node in the foreground (what `up` starts) / 运行一个节点')
    .requiredOption('--node <name>', 'national or a province code')
    .requiredOption('--nats <url>', 'NATS server')
    .requiredOption('--keys <dir>', 'folder with <node>.key and registry.json')
    .requiredOption('--provinces <codes>', 'the federation’s provinces')
    .option('--crash-at <point[:kind[:after]]>', 'test only: SIGKILL at a crash point')
    .action((o: { node: string; nats: string; keys: string; provinces: string; crashAt?: string }) =>
      guarded(async () => {
        const { runFederationNode } = await import('./federation-node.ts');
        let crashAt;
        if (o.crashAt) {
          const [point, kind, after] = o.crashAt.split(':');
          crashAt = {
            point: point as CrashPoint,
            ...(kind ? { kind } : {}),
            ...(after ? { after: Number(after) } : {}),
          };
        }
        await runFederationNode({
          node: o.node,
          natsUrl: o.nats,
          keyDir: o.keys,
          provinces: o.provinces.split(','),
          ...(crashAt ? { crashAt } : {}),
        });
      }),
    );

  program
    .command('national')
    .description('the national exchange of a running local federation / 全国平台')
    .command('report')
    .description(
      'fund income, expenditure and balance per province and in total for a period: the exchange asks the provinces and prints what they answer (JSON)',
    )
    .requiredOption('--period <YYYY-MM>', 'the period')
    .option('--wait <seconds>', 'how long to wait for every province', '60')
    .action((o: { period: string; wait: string }) =>
      guarded(async () => {
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.period)) throw new Error('--period must be YYYY-MM');
        const dir = join(loadConfig().dataDir, 'federation');
        if (!existsSync(stateFile(dir)))
          throw new Error(
            `no federation is running with this DATA_DIR (${dir}): start it with \`shebao federation up\``,
          );
        const s = JSON.parse(readFileSync(stateFile(dir), 'utf8')) as FederationState;
        const national = s.nodes.find((n) => n.node === NATIONAL);
        if (!national || !alive(national.pid)) throw new Error('the national exchange is not running');
        const login = await fetch(`${national.url}/api/v1/auth/login?bearer=true`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            username: 'admin',
            password: process.env['SHEBAO_NATIONAL_PASSWORD'] ?? 'shebao-demo',
          }),
        });
        if (!login.ok) throw new Error(`login at the exchange: HTTP ${login.status}`);
        const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
        const since = new Date(Date.now() - 1000).toISOString();
        const asked = await fetch(`${national.url}/api/v1/national/report`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ period: o.period }),
        });
        if (asked.status !== 202)
          throw new Error(`the exchange refused: HTTP ${asked.status} ${await asked.text()}`);
        const until = Date.now() + Number(o.wait) * 1000;
        let report: { missing: string[]; provinces: Record<string, { reportedAt: string }> };
        for (;;) {
          const r = await fetch(`${national.url}/api/v1/national/report?period=${o.period}`, {
            headers: auth,
          });
          report = (await r.json()) as typeof report;
          // Only answers to this request count (an earlier request's figures may already be there).
          const fresh = Object.values(report.provinces).every((p) => p.reportedAt >= since);
          if ((report.missing.length === 0 && fresh) || Date.now() > until) break;
          await new Promise((res) => setTimeout(res, 300));
        }
        process.stdout.write(`${JSON.stringify(report)}\n`);
        if (report.missing.length > 0) process.exitCode = 1;
      }),
    );
}
