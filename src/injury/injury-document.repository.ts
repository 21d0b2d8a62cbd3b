// A case's documents (migration 0400): the bytes are stored once per SHA-256 in injury_blob, and a
// document row ties a blob to a case with its kind and file name.
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { InjuryDocumentKind } from './injury.tables.ts';
import './injury.tables.ts';

export function documentsOf(db: Db, caseId: number) {
  return db
    .selectFrom('injury_document as d')
    .innerJoin('injury_blob as b', 'b.sha256', 'd.sha256')
    .select(['d.id', 'd.kind', 'd.filename', 'b.media_type', 'b.size_bytes', 'd.sha256', 'd.uploaded_at'])
    .where('d.case_id', '=', caseId)
    .orderBy('d.id')
    .execute();
}

/** Stores the file (once per content) and attaches it to the case (once per case); `created` false for a repeat. */
export async function storeDocument(
  tx: Db,
  d: {
    caseId: number;
    sha256: string;
    mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
    bytes: Buffer;
    kind: InjuryDocumentKind;
    filename: string;
    by: string;
  },
): Promise<{ id: number; created: boolean }> {
  await tx
    .insertInto('injury_blob')
    .values({ sha256: d.sha256, media_type: d.mediaType, size_bytes: d.bytes.length, content: d.bytes })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const ins = await tx
    .insertInto('injury_document')
    .values({ case_id: d.caseId, sha256: d.sha256, kind: d.kind, filename: d.filename, uploaded_by: d.by })
    .onConflict((oc) => oc.columns(['case_id', 'sha256']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (ins) return { id: int(ins.id), created: true };
  const old = await tx
    .selectFrom('injury_document')
    .select('id')
    .where('case_id', '=', d.caseId)
    .where('sha256', '=', d.sha256)
    .executeTakeFirstOrThrow();
  return { id: int(old.id), created: false };
}

/** A document's bytes, when it belongs to the case. */
export function documentContent(db: Db, caseId: number, docId: number) {
  return db
    .selectFrom('injury_document as d')
    .innerJoin('injury_blob as b', 'b.sha256', 'd.sha256')
    .select(['b.media_type', 'b.content', 'd.filename'])
    .where('d.id', '=', docId)
    .where('d.case_id', '=', caseId)
    .executeTakeFirst();
}
