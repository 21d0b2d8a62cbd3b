// The payroll crash test's child process: the same work as `shebao payroll run` (death events, then
// the payroll), with a hook that kills this process with SIGKILL at the chunk the test names.
//   node --import tsx src/testing/payroll-crash.child.ts <period> <region> <chunkSize> inside|after <chunkNo>
// The database comes from DATA_DIR / DATABASE_URL as for the CLI; SHEBAO_TODAY fixes the date.
import { systemActor } from '../auth/actor.ts';
import { makeLogger, openContext } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { fixToday } from '../core/clock.ts';
import { parseDate } from '../core/dates.ts';
import { DeathService } from '../pension/death.service.ts';
import { runPayroll } from '../pension/payroll.job.ts';

const [period = '', region = '', chunkSize = '', where = '', at = ''] = process.argv.slice(2);
if (process.env['SHEBAO_TODAY']) fixToday(parseDate(process.env['SHEBAO_TODAY'], 'SHEBAO_TODAY'));
const kill = (chunkNo: number): void => {
  if (chunkNo === Number(at)) process.kill(process.pid, 'SIGKILL');
};
const config = loadConfig();
const ctx = await openContext(config, makeLogger('error', process.stderr));
try {
  const actor = systemActor('crash-test');
  await new DeathService(ctx).processDeathEvents(actor);
  await runPayroll(ctx.db, actor, {
    period,
    region,
    chunkSize: Number(chunkSize),
    hooks: where === 'inside' ? { insideChunk: kill } : { afterChunk: kill },
    workers: config.payrollWorkers,
  });
} finally {
  await ctx.handle.close();
}
