// Hall commands of the `shebao` CLI: consume the outbox events now (the server also does it in a
// background loop) and send the pending SMS. Registered by one line in src/cli.ts.
import type { Command } from 'commander';
import { withContext, type CliHelpers } from '../cli-helpers.ts';

export function registerHallCommands(program: Command, helpers: CliHelpers): void {
  const hall = program.command('hall').description('the online service hall / 网上服务大厅');
  hall
    .command('sync')
    .description(
      'consume the outbox events the hall follows and send pending SMS / 处理办件与消息事件、发送待发短信',
    )
    .action(() =>
      withContext(helpers, async (ctx) => {
        const { runConsumerOnce } = await import('./events.job.ts');
        const { configuredSender, dispatchSms } = await import('./sms.sender.ts');
        const { hallDb } = await import('./hall.db.ts');
        const events = await runConsumerOnce(ctx); // null: another server's pass holds the lock
        const sms = await dispatchSms(hallDb(ctx.db), configuredSender());
        process.stdout.write(`${JSON.stringify({ events, sms })}\n`);
      }),
    );
}
