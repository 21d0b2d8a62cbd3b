// Issue 18, eighteenth pass: the monthly assessment writes a bill per employer (40,000 at 1,000,000
// lines), and each bill fired three foreign-key checks — its assessment, its region, its employer —
// each an SPI query that also takes a key-share lock on the referenced row: ~8 % of the assessment's
// backend CPU. Every writer of contribution_bill proves these three keys itself:
// - the assessment: the bill's assessment is the row it has just inserted in the same transaction,
//   whose own foreign key checked the same region; the employer comes from the employer row the
//   statement joins to (and from the declaration, whose key references it);
// - a resident's tier choice: no assessment, no employer; the region is the enrolment's, and the
//   choice written in the same transaction references the same region;
// - the demo history and the supervision plant: assessment rows joined in the same statement, the
//   employers and regions of rows they read or have just written.
// Employers, regions and assessments are never deleted, and their keys never change, so a key that
// existed when the bill was written exists for good. Only the per-row checks go; the bill's person
// keeps its foreign key (it is null on an employer's bill, so it costs the assessment nothing).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const DROPPED = [
  ['contribution_bill_assessment_id_fkey', 'assessment_id', 'contribution_assessment(id)'],
  ['contribution_bill_region_fkey', 'region', 'region(code)'],
  ['contribution_bill_employer_id_fkey', 'employer_id', 'employer(id)'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name] of DROPPED)
    await sql`ALTER TABLE contribution_bill DROP CONSTRAINT IF EXISTS ${sql.id(name)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name, column, target] of DROPPED)
    await sql`ALTER TABLE contribution_bill ADD CONSTRAINT ${sql.id(name)} FOREIGN KEY (${sql.id(column)}) REFERENCES ${sql.raw(target)}`.execute(
      db,
    );
}
