// Maker–checker (四眼原则) for every action that moves money or changes what someone is paid: a maker
// *prepares* the action (kind, subject, payload, a summary such as count and total), a checker who is
// another person *releases* it (then it runs, with the maker's authority) or *returns* it with a
// reason. The release is a conditional update (prepared → released), so it happens once even when two
// checkers press the button at the same moment. Every step is audited. The kinds (payroll, adjustment,
// death follow-up, restoration, reversal, cancellation, staff roles) are registered by the floors that
// own them and assembled by the server (src/approval-kinds.ts).
import { appendAudit } from '../audit/audit.repository.ts';
import { accountActor } from '../auth/account-actor.ts';
import type { Actor } from '../auth/actor.ts';
import { checkFourEyes, personOfUser } from '../auth/four-eyes.ts';
import { authorize, authorizeFound, regionCovers, type Action } from '../auth/policy.ts';
import { accountNames } from '../auth/staff-names.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumbersIn } from '../core/ids.ts';
import { regionLikePattern } from '../core/regions.ts';
import { storedTrace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import type { ApprovalFields } from './approval-fields.ts';
import {
  approvalById,
  approvalPage,
  decideApproval,
  insertApproval,
  keepApprovalResult,
  openApprovalId,
  openApprovalIds,
  reopenFailedRelease,
  type ApprovalRow as Row,
  type ApprovalStatus,
} from './approval.repository.ts';
import { int } from '../db/values.ts';

export type { ApprovalStatus };

export interface ApprovalView {
  id: number;
  kind: string;
  region: string;
  subjectPersonId: number | null;
  payload: Record<string, unknown>;
  summary: Record<string, unknown>;
  status: ApprovalStatus;
  makerUsername: string;
  /** the maker's and checker's names as staff know them (app_user.display_name; null: no such account) */
  makerName: string | null;
  preparedAt: string;
  checkerUsername: string | null;
  checkerName: string | null;
  decidedAt: string | null;
  note: string | null;
  result: unknown;
}

export interface ApprovalKind {
  kind: string;
  /** who may release or return it (by role and region) */
  checkAction: Action;
  /** the persons the money belongs to, besides the approval's subject (e.g. a bill's employee) */
  extraSubjects?: (payload: unknown) => Promise<Array<number | null>>;
  /** runs the prepared action with the maker's authority; answers what to keep as the result */
  execute: (
    maker: Actor,
    payload: unknown,
    approvalId: number,
    onProgress?: (done: number, total: number, stage: string) => void,
  ) => Promise<unknown>;
  /**
   * true: the work commits in steps and resumes (the payroll's chunks), so a failure leaves the
   * approval released and the next release attempt or `shebao payroll run` resumes it. false: a
   * failure puts the approval back to prepared.
   */
  resumable?: boolean;
  /**
   * true (resumable kinds only: payrolls, the adjustment): the release decides at once and the action
   * runs in the server's background worker (issue 18); the release answers the queued job.
   */
  background?: boolean;
}

/** A background job queued by a release (src/http/background-jobs.ts answers it). */
export interface QueuedRun {
  jobId: number;
  status: string;
  queued: boolean;
}

export type ApprovalKinds = ReadonlyMap<string, ApprovalKind>;

/** The fields a clerk types in words (a reason, a note), wherever in a payload or summary they sit. */
const FREE_TEXT: ReadonlySet<string> = new Set(['reason', 'reasonZh', 'reasonEn', 'reasoning', 'note']);

/** `fields` with every ID number in a free-text field masked; references and numbers (bankRef) kept whole. */
function maskFreeText(fields: unknown): unknown {
  if (Array.isArray(fields)) return fields.map(maskFreeText);
  if (fields === null || typeof fields !== 'object') return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([k, x]) => [
      k,
      typeof x === 'string' ? (FREE_TEXT.has(k) ? maskIdNumbersIn(x) : x) : maskFreeText(x),
    ]),
  );
}

/**
 * `fields` with every `trace` in it read as stored traces are (storedTrace): a decision prepared before
 * steps said their unit gets the old rule's, so the page writes each figure as for a new one.
 */
function withStoredTraces(fields: unknown): unknown {
  if (Array.isArray(fields)) return fields.map(withStoredTraces);
  if (fields === null || typeof fields !== 'object') return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([k, x]) => [
      k,
      k === 'trace' && Array.isArray(x) ? storedTrace(x) : withStoredTraces(x),
    ]),
  );
}

/**
 * An approval as its readers see it. The maker's reason and the checker's note are free text a clerk
 * may have typed an ID number into: masked here, as in a bill's history and the audit list (the action
 * runs from the stored payload, never from this view).
 */
function view(r: Row, names: ReadonlyMap<number, string>): ApprovalView {
  return {
    id: r.id,
    kind: r.kind,
    region: r.region.trim(),
    subjectPersonId: r.subject_person_id,
    // prepare() stores objects only (JSON of PrepareInput's payload and summary)
    payload: withStoredTraces(maskFreeText(r.payload)) as Record<string, unknown>,
    summary: maskFreeText(r.summary) as Record<string, unknown>,
    status: r.status,
    makerUsername: r.maker_username,
    makerName: r.maker_user_id === null ? null : (names.get(r.maker_user_id) ?? null),
    preparedAt: r.prepared_at,
    checkerUsername: r.checker_username,
    checkerName: r.checker_user_id === null ? null : (names.get(r.checker_user_id) ?? null),
    decidedAt: r.decided_at,
    note: r.note === null ? null : maskIdNumbersIn(r.note),
    result: r.result ?? null,
  };
}

export interface PrepareInput {
  kind: string;
  /** one open approval per (kind, key): the same payroll or reversal cannot wait twice */
  dedupeKey: string;
  region: string;
  subjectPersonId: number | null;
  payload: ApprovalFields;
  summary: ApprovalFields;
}

/** Approvals as callers see them, with their makers' and checkers' names (one statement for all). */
async function views(db: Db, rows: readonly Row[]): Promise<ApprovalView[]> {
  const names = await accountNames(
    db,
    rows.flatMap((r) => [r.maker_user_id, r.checker_user_id]),
  );
  return rows.map((r) => view(r, names));
}

async function load(db: Db, id: number): Promise<Row> {
  const r = await approvalById(db, id);
  if (!r) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
  return r;
}

async function loadView(db: Db, id: number): Promise<ApprovalView> {
  const [v] = await views(db, [await load(db, id)]);
  return v!;
}

/** An approval asked for by a caller: one of another region answers as an unknown id does (ids tell nothing). */
async function loadFor(db: Db, actor: Actor, id: number): Promise<Row> {
  authorize(actor, 'approval.read');
  const r = await load(db, id);
  authorizeFound(actor, 'approval.read', { region: r.region.trim() });
  return r;
}

function kindOf(kinds: ApprovalKinds, kind: string): ApprovalKind {
  const k = kinds.get(kind);
  if (!k) throw new SbError('SB_ERR_CONFLICT', { zh: `未知业务 ${kind}`, en: `unknown kind ${kind}` });
  return k;
}

/** The maker as an actor, from their account as it is now (a disabled maker's action is not run). */
async function makerActor(db: Db, r: Row): Promise<Actor> {
  if (r.maker_user_id === null)
    return {
      userId: null,
      username: r.maker_username,
      role: 'system',
      personId: null,
      employerId: null,
      region: null,
    };
  const a = await accountActor(db, r.maker_user_id);
  if (!a || a.disabled)
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '经办人账号已停用，请退回',
      en: 'the maker’s account is disabled; return it',
    });
  return a.actor;
}

async function checkChecker(db: Db, kinds: ApprovalKinds, checker: Actor, r: Row): Promise<number> {
  const k = kindOf(kinds, r.kind);
  authorize(checker, k.checkAction, { region: r.region.trim() });
  if (checker.region !== null && !regionCovers(checker.region, r.region.trim()))
    throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: k.checkAction, en: k.checkAction });
  const extra = k.extraSubjects ? await k.extraSubjects(r.payload) : [];
  return checkFourEyes(db, checker, { userId: r.maker_user_id, personId: r.maker_person_id }, [
    r.subject_person_id,
    ...extra,
  ]);
}

const alreadyDecided = (): SbError =>
  new SbError('SB_ERR_CONFLICT', {
    zh: '该业务已被复核（放行或退回），不能再次办理',
    en: 'this action was already released or returned',
  });

export class ApprovalService {
  constructor(private readonly db: Db) {}

  /** Records a prepared action (the caller has checked the maker's access and the input). */
  /** The approval of this kind and key still waiting for its check, if any (a capability's "pending" mark). */
  async openId(kind: string, dedupeKey: string): Promise<number | null> {
    const id = await openApprovalId(this.db, kind, dedupeKey);
    return id === undefined ? null : int(id);
  }

  /** The approvals of this kind still waiting, id by key (a capability's queue marks them all at once). */
  async openIds(kind: string): Promise<Map<string, number>> {
    const rows = await openApprovalIds(this.db, kind);
    return new Map(rows.map((r) => [r.dedupe_key, int(r.id)]));
  }

  /** Who checked (released) the approval: its checker's username, null while none has. */
  async checkerUsername(id: number): Promise<string | null> {
    return (await approvalById(this.db, id))?.checker_username ?? null;
  }

  async prepare(maker: Actor, input: PrepareInput): Promise<ApprovalView> {
    return this.db.transaction().execute((tx) => ApprovalService.prepareIn(tx, maker, input));
  }

  /**
   * `prepare` in the caller's transaction: a capability that prepares while it holds the locks of what
   * the action will touch (held receipts) keeps a second action on them waiting until this one is recorded.
   */
  static async prepareIn(tx: Db, maker: Actor, input: PrepareInput): Promise<ApprovalView> {
    const makerPerson = await personOfUser(tx, maker.userId);
    if (maker.userId !== null && makerPerson === null)
      throw new SbError('SB_ERR_FOUR_EYES', {
        zh: '您的账号未关联登记人员，不能经办资金业务',
        en: 'your account is not linked to a registered person, so it cannot prepare money actions',
      });
    const open = await openApprovalId(tx, input.kind, input.dedupeKey);
    if (open !== undefined)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `已有待复核的同一业务 #${open}`,
        en: `the same action is already waiting for a check (#${open})`,
      });
    const id = await insertApproval(tx, {
      kind: input.kind,
      dedupeKey: input.dedupeKey,
      region: input.region,
      subjectPersonId: input.subjectPersonId,
      payload: input.payload,
      summary: input.summary,
      makerUserId: maker.userId,
      makerUsername: maker.username,
      makerPersonId: makerPerson,
    });
    await appendAudit(tx, maker, {
      action: 'approval.prepare',
      entityType: 'approval',
      entityId: id,
      region: input.region,
      subjectPersonId: input.subjectPersonId,
      after: { kind: input.kind, payload: input.payload, summary: input.summary },
    });
    return loadView(tx, id);
  }

  async get(actor: Actor, id: number): Promise<ApprovalView> {
    const [v] = await views(this.db, [await loadFor(this.db, actor, id)]);
    return v!;
  }

  async list(
    actor: Actor,
    q: { status?: ApprovalStatus; kind?: string; page: number; pageSize: number },
  ): Promise<{ items: ApprovalView[]; total: number; page: number; pageSize: number }> {
    authorize(actor, 'approval.read');
    const { rows, total } = await approvalPage(
      this.db,
      {
        regionPattern: actor.role === 'system' ? null : regionLikePattern(actor.region ?? ''),
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
      },
      q,
    );
    return {
      items: await views(this.db, rows),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /**
   * Releases a prepared action once: the checker is checked (role, region, four eyes), the approval
   * moves prepared → released in one conditional update (the loser of a race gets SB_ERR_CONFLICT), and
   * then the action runs with the maker's authority. A non-resumable action that fails puts the approval
   * back to prepared.
   */
  async release(
    kinds: ApprovalKinds,
    checker: Actor,
    id: number,
    note?: string,
    queue?: (approvalId: number, kind: ApprovalKind, region: string) => Promise<QueuedRun>,
  ): Promise<ApprovalView & { job?: QueuedRun }> {
    const pre = await loadFor(this.db, checker, id);
    const k = kindOf(kinds, pre.kind);
    const checkerPerson = await checkChecker(this.db, kinds, checker, pre);
    // A resumable action (payroll) that its checker released and that failed may be released again by
    // the same checker to resume it; nobody else can.
    const resuming =
      k.resumable === true &&
      pre.status === 'released' &&
      pre.result === null &&
      pre.checker_user_id === checker.userId;
    if (pre.status !== 'prepared' && !resuming) throw alreadyDecided();
    const maker = await makerActor(this.db, pre);
    if (!resuming)
      await this.db
        .transaction()
        .execute((tx) => this.decide(tx, checker, checkerPerson, pre, 'released', note ?? null));
    // The long computation moves to the worker; the decision above is already made and audited.
    if (k.background === true && k.resumable === true && queue)
      return { ...(await loadView(this.db, id)), job: await queue(id, k, pre.region.trim()) };
    let result: unknown;
    try {
      result = await k.execute(maker, pre.payload, id);
    } catch (e) {
      if (!k.resumable) {
        await this.db.transaction().execute(async (tx) => {
          await reopenFailedRelease(tx, id);
          await appendAudit(tx, checker, {
            action: 'approval.release-failed',
            entityType: 'approval',
            entityId: id,
            region: pre.region,
            subjectPersonId: pre.subject_person_id,
            after: { status: 'prepared', error: e instanceof SbError ? e.code : 'error' },
          });
        });
      }
      throw e;
    }
    await keepApprovalResult(this.db, id, result, false);
    return loadView(this.db, id);
  }

  /**
   * The background worker's half of a release (issue 18): runs a released, resumable action that has no
   * result yet with the maker's authority and keeps its result. Run again after a stop, it resumes (the
   * kind is resumable); once it has a result it answers that result and runs nothing.
   */
  async executeReleased(
    kinds: ApprovalKinds,
    id: number,
    onProgress?: (done: number, total: number, stage: string) => void,
  ): Promise<unknown> {
    const pre = await load(this.db, id);
    const k = kindOf(kinds, pre.kind);
    if (pre.status !== 'released' || k.resumable !== true)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '该业务未放行，不能执行',
        en: 'this action is not released, so it cannot run',
      });
    if (pre.result !== null) return pre.result;
    const result = await k.execute(await makerActor(this.db, pre), pre.payload, id, onProgress);
    await keepApprovalResult(this.db, id, result, true);
    return result ?? {};
  }

  /** Returns a prepared action to its maker with a reason; nothing runs. */
  async return(kinds: ApprovalKinds, checker: Actor, id: number, reason: string): Promise<ApprovalView> {
    const pre = await loadFor(this.db, checker, id);
    const checkerPerson = await checkChecker(this.db, kinds, checker, pre);
    return this.db.transaction().execute(async (tx) => {
      await this.decide(tx, checker, checkerPerson, pre, 'returned', reason);
      return loadView(tx, id);
    });
  }

  /**
   * The checker's decision on a prepared action: one conditional update (the loser of a race gets
   * SB_ERR_CONFLICT) and its audit entry, in the caller's transaction.
   */
  private async decide(
    tx: Db,
    checker: Actor,
    checkerPerson: number,
    pre: Row,
    status: 'released' | 'returned',
    note: string | null,
  ): Promise<void> {
    const won = await decideApproval(tx, pre.id, {
      status,
      checkerUserId: checker.userId,
      checkerUsername: checker.username,
      checkerPersonId: checkerPerson,
      note,
    });
    if (!won) throw alreadyDecided();
    await appendAudit(tx, checker, {
      action: status === 'released' ? 'approval.release' : 'approval.return',
      entityType: 'approval',
      entityId: pre.id,
      region: pre.region,
      subjectPersonId: pre.subject_person_id,
      before: { status: 'prepared', maker: pre.maker_username },
      after:
        status === 'released' ? { status, kind: pre.kind, payload: pre.payload } : { status, kind: pre.kind },
      reason: note,
    });
  }
}
