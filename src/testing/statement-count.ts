// For tests that a list is one statement however many rows it has (no query per row): a handle on
// the same database that counts the statements sent through it.
import type { KyselyPlugin } from 'kysely';
import type { Db } from '../db/connection.ts';

export function countingDb(db: Db): { db: Db; seen: { n: number } } {
  const seen = { n: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      seen.n += 1;
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  return { db: db.withPlugin(plugin), seen };
}
