// SQL for uploaded files (declaration CSVs, bank receipt files): one row per content hash and scope,
// so the same file sent twice is recognised. Functions take the executor first.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';

export type UploadKind = 'declarations' | 'bank_receipts' | 'bank_returns';

export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The upload of this file already held for the scope, if any. */
export async function priorUpload(
  db: Db,
  kind: UploadKind,
  scope: string,
  hash: string,
): Promise<number | undefined> {
  const r = await db
    .selectFrom('contribution_upload')
    .select('id')
    .where('kind', '=', kind)
    .where('scope', '=', scope)
    .where('content_hash', '=', hash)
    .executeTakeFirst();
  return r?.id;
}

/** Records an upload; undefined when the same file is already recorded for the scope (a race lost). */
export async function insertUpload(
  tx: Db,
  u: {
    kind: UploadKind;
    scope: string;
    hash: string;
    filename: string | null;
    lineCount: number;
    result?: unknown;
    createdBy: string;
  },
): Promise<number | undefined> {
  const r = await tx
    .insertInto('contribution_upload')
    .values({
      kind: u.kind,
      scope: u.scope,
      content_hash: u.hash,
      filename: u.filename,
      line_count: u.lineCount,
      ...(u.result === undefined ? {} : { result: JSON.stringify(u.result) }),
      created_by: u.createdBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

export async function setUploadResult(tx: Db, id: number, result: unknown): Promise<void> {
  await tx
    .updateTable('contribution_upload')
    .set({ result: JSON.stringify(result) })
    .where('id', '=', id)
    .execute();
}

/** Locks an upload's row for the rest of the transaction (work on one file's lines takes turns). */
export async function lockUpload(tx: Db, id: number): Promise<void> {
  await tx.selectFrom('contribution_upload').select('id').where('id', '=', id).forUpdate().execute();
}
