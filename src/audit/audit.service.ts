// Reading the audit log: supervisors see their region's entries; a person sees who looked at or
// changed their record.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { csvText } from '../core/csv.ts';
import { maskIdNumbersDeep } from '../core/ids.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import type { Words } from '../core/bilingual.ts';
import { auditChanges, type AuditChange, type CodeWords } from './audit-fields.ts';
import { readAuditReason, type AuditReasonCode } from './audit-reasons.ts';
import { appendAudit, drainAuditQueue } from './audit.repository.ts';

export interface AuditRow {
  id: number;
  at: string;
  actorUsername: string;
  /** the user's name as the agency knows them (null for the system and deleted users) */
  actorName: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  /** the name of the person or employer the entry is about, when it is about one */
  subjectName: string | null;
  region: string | null;
  subjectPersonId: number | null;
  reason: string | null;
  /** the reason's code when the server wrote it (null: typed by a person, or none) */
  reasonCode: AuditReasonCode | null;
  /** the reason in each language (typed words the same in both) */
  reasonWords: Words | null;
  before: unknown;
  after: unknown;
  /** before and after field by field, in words (src/audit/audit-fields.ts) */
  changes: AuditChange[];
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** part of the operator's username or name */
  actor?: string;
  /** first and last day (YYYY-MM-DD, in China's time zone), both included */
  from?: string;
  to?: string;
}

/** The most rows one CSV export holds; narrow the filter for more. */
const AUDIT_CSV_LIMIT = 50_000;

const AGENCY_ZONE = 'Asia/Shanghai';

function filtered(db: Db, actor: Actor, q: Omit<AuditQuery, 'page' | 'pageSize'>) {
  authorize(actor, 'audit.read');
  if (actor.role !== 'system' && actor.region === null) throw new SbError('SB_ERR_FORBIDDEN');
  let base = db
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
    .leftJoin('person as p', 'p.id', 'a.subject_person_id')
    .leftJoin('employer as e', (j) =>
      j.on(sql<boolean>`a.entity_type = 'employer' AND a.entity_id = e.id::text`),
    );
  if (actor.role !== 'system' && actor.region !== null)
    base = base.where('a.region', 'like', regionLikePattern(actor.region));
  if (q.action !== undefined) base = base.where('a.action', 'like', `${q.action}%`);
  if (q.entityType !== undefined) base = base.where('a.entity_type', '=', q.entityType);
  if (q.entityId !== undefined) base = base.where('a.entity_id', '=', q.entityId);
  if (q.actor !== undefined) {
    const like = `%${q.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([eb('a.actor_username', 'ilike', like), eb('u.display_name', 'ilike', like)]),
    );
  }
  if (q.from !== undefined)
    base = base.where(sql<boolean>`a.at >= (${q.from}::date)::timestamp AT TIME ZONE ${AGENCY_ZONE}`);
  if (q.to !== undefined)
    base = base.where(sql<boolean>`a.at < (${q.to}::date + 1)::timestamp AT TIME ZONE ${AGENCY_ZONE}`);
  return base;
}

function selectRows(base: ReturnType<typeof filtered>) {
  return base
    .select([
      'a.id',
      'a.at',
      'a.actor_username',
      'u.display_name',
      'a.actor_role',
      'a.action',
      'a.entity_type',
      'a.entity_id',
      'a.region',
      'a.subject_person_id',
      'a.reason',
      'a.before',
      'a.after',
      sql<string | null>`coalesce(p.name, e.name)`.as('subject_name'),
    ])
    .orderBy('a.id', 'desc');
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof selectRows>['execute']>>[number];

// The stored entries (and their hash chain) keep what was written; the answer never shows a full ID
// number, wherever it sits: a reason ("15-digit ID number converted to …"), before/after, any text.
function toRow(r: SelectedRow, codes: CodeWords): AuditRow {
  const row = maskIdNumbersDeep({
    id: r.id,
    at: r.at,
    actorUsername: r.actor_username,
    actorName: r.display_name,
    actorRole: r.actor_role,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    subjectName: r.subject_name,
    region: r.region?.trim() ?? null,
    subjectPersonId: r.subject_person_id === null ? null : Number(r.subject_person_id),
    ...reasonOf(r.reason),
    before: r.before ?? null,
    after: r.after ?? null,
  });
  // in words from the masked values, so no words carry a full ID number either
  return { ...row, changes: auditChanges(row.entityType, row.before, row.after, codes) };
}

function reasonOf(stored: string | null) {
  const read = readAuditReason(stored);
  return { reason: stored, reasonCode: read?.code ?? null, reasonWords: read?.words ?? null };
}

/**
 * The export's columns: a header a supervisor reads, in the export's language, over the columns as they
 * always were (codes, the stored reason, before/after as stored, for a program that reads them by
 * position), then the change in words.
 */
const CSV_HEADER: Readonly<Record<keyof Words, readonly string[]>> = {
  zh: [
    '编号',
    '时间',
    '操作人账号',
    '操作人姓名',
    '角色',
    '事项代码',
    '记录类型',
    '记录编号',
    '对象',
    '地区',
    '原因',
    '变更前（原始数据）',
    '变更后（原始数据）',
    '变更内容',
  ],
  en: [
    'ID',
    'Time',
    'Username',
    'Name',
    'Role',
    'Action code',
    'Record type',
    'Record ID',
    'Subject',
    'Region',
    'Reason',
    'Before (as stored)',
    'After (as stored)',
    'Changes',
  ],
};

/** An entry's changes as one line: "手机号码：138… → 139…；版本（技术字段）：3 → 4". */
function changesLine(changes: readonly AuditChange[], lang: keyof Words): string {
  const technical = lang === 'zh' ? '（技术字段）' : ' (technical)';
  return changes
    .map((c) => {
      const name = `${c.name?.[lang] ?? c.field}${c.technical ? technical : ''}`;
      const value =
        c.before === null
          ? c.after[lang]
          : c.changed
            ? `${c.before[lang]} → ${c.after[lang]}`
            : c.after[lang];
      return `${name}${lang === 'zh' ? '：' : ': '}${value}`;
    })
    .join(lang === 'zh' ? '；' : '; ');
}

const csvCell = (v: unknown): string =>
  csvText(v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export class AuditService {
  /** The most rows one CSV export holds. */
  static readonly CSV_LIMIT = AUDIT_CSV_LIMIT;

  /** codes: the words of the code lists a field's values may be (the assembly's codeWords, both languages) */
  constructor(
    private readonly db: Db,
    private readonly codes: CodeWords,
  ) {}

  async list(
    actor: Actor,
    q: AuditQuery,
  ): Promise<{ items: AuditRow[]; total: number; page: number; pageSize: number }> {
    const base = filtered(this.db, actor, q);
    await drainAuditQueue(this.db);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await selectRows(base)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    return {
      items: rows.map((r) => toRow(r, this.codes)),
      total: Number(total.n),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /**
   * The filtered log as CSV (newest first, at most AUDIT_CSV_LIMIT rows), with a UTF-8 byte order
   * mark so spreadsheet programs read the Chinese names. The export itself is an audited read.
   */
  async exportCsv(
    actor: Actor,
    q: Omit<AuditQuery, 'page' | 'pageSize'>,
    lang: keyof Words,
  ): Promise<{ csv: string; rows: number; truncated: boolean }> {
    await drainAuditQueue(this.db);
    const rows = await selectRows(filtered(this.db, actor, q))
      .limit(AUDIT_CSV_LIMIT + 1)
      .execute();
    const truncated = rows.length > AUDIT_CSV_LIMIT;
    const kept = rows.slice(0, AUDIT_CSV_LIMIT).map((r) => toRow(r, this.codes));
    const lines = [CSV_HEADER[lang].map(csvCell).join(',')];
    for (const r of kept)
      lines.push(
        [
          r.id,
          r.at,
          r.actorUsername,
          r.actorName,
          r.actorRole,
          r.action,
          r.entityType,
          r.entityId,
          r.subjectName,
          r.region,
          r.reason,
          r.before,
          r.after,
          changesLine(r.changes, lang),
        ]
          .map(csvCell)
          .join(','),
      );
    await this.db.transaction().execute((tx) =>
      appendAudit(tx, actor, {
        action: 'audit.export',
        entityType: 'audit_log',
        region: actor.region,
        after: { filter: q, rows: kept.length, truncated },
      }),
    );
    return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: kept.length, truncated };
  }

  /** Who looked at or changed this person's record (staff and employers; the person's own actions are left out). */
  async personAccessLog(actor: Actor, personId: number, page: number, pageSize: number) {
    authorize(actor, 'audit.read-own', { personId });
    await drainAuditQueue(this.db);
    let base = this.db
      .selectFrom('audit_log')
      .where('subject_person_id', '=', personId)
      .where('actor_role', 'not in', ['citizen']);
    base = base.where('action', 'not like', 'auth.%');
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // The reader's agency by its region (the user's, not the record's: a clerk of another city who was given
    // the record shows as that city) — the person is told which office looked, never the clerk's name.
    const rows = await base
      .leftJoin('app_user', 'app_user.id', 'audit_log.actor_user_id')
      .select([
        'audit_log.id',
        'audit_log.at',
        'audit_log.actor_role',
        'audit_log.action',
        'audit_log.reason',
        'app_user.region as actor_region',
      ])
      .orderBy('audit_log.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    // Staff names are not shown to citizens: the role, the agency's region and the time, as the agency's notice.
    return {
      items: rows.map((r) =>
        maskIdNumbersDeep({
          id: r.id,
          at: r.at,
          actorRole: r.actor_role,
          actorRegion: r.actor_region,
          action: r.action,
          ...reasonOf(r.reason),
        }),
      ),
      total: Number(total.n),
      page,
      pageSize,
    };
  }
}
