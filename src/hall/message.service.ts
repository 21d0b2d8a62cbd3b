// The message centre (消息中心): messages to a person, an employer or a region's staff, written by
// the event consumer (events.job.ts); read and marked read by their addressee only.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import type { NewMessage } from './message.repository.ts';
import { hallDb, type ApplicationStatus, type HallDb } from './hall.db.ts';
import { newestFirstPage } from '../db/paging.ts';
import type { Words } from '../core/bilingual.ts';

export const STATUS_TEXT: Record<ApplicationStatus, Words> = {
  submitted: { zh: '已提交', en: 'submitted' },
  accepted: { zh: '已受理', en: 'accepted' },
  returned: { zh: '退回补正', en: 'returned for more information' },
  approved: { zh: '审核通过', en: 'approved' },
  rejected: { zh: '不予办理', en: 'refused' },
  completed: { zh: '已办结', en: 'completed' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

export interface MessageView extends Pick<
  NewMessage,
  'topic' | 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn' | 'link'
> {
  id: number;
  read: boolean;
  createdAt: string;
}

export class MessageService {
  constructor(private readonly db: Db) {}

  private get h(): HallDb {
    return hallDb(this.db);
  }

  private mine(actor: Actor) {
    const q = this.h.selectFrom('hall_message');
    if (actor.role === 'citizen') return q.where('person_id', '=', actor.personId ?? -1);
    if (actor.role === 'employer') return q.where('employer_id', '=', actor.employerId ?? -1);
    if (actor.region === null) return q.where(sql<boolean>`false`);
    return q.where('staff_region', 'like', regionLikePattern(actor.region));
  }

  async list(actor: Actor, q: { unreadOnly: boolean; page: number; pageSize: number }) {
    authorize(actor, 'message.read');
    let query = this.mine(actor);
    const counts = await query
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`count(*) FILTER (WHERE read_at IS NULL)::int`.as('unread'),
      ])
      .executeTakeFirstOrThrow();
    if (q.unreadOnly) query = query.where('read_at', 'is', null);
    const rows = await newestFirstPage(query.selectAll(), q);
    return {
      items: rows.map((r): MessageView => ({
        id: r.id,
        topic: r.topic,
        titleZh: r.title_zh,
        titleEn: r.title_en,
        bodyZh: r.body_zh,
        bodyEn: r.body_en,
        link: r.link,
        read: r.read_at !== null,
        createdAt: r.created_at,
      })),
      total: counts.n,
      unread: counts.unread,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** Marks one message (or, with id null, all of the caller's) read. Another's message is not found. */
  async markRead(actor: Actor, id: number | null, read = true): Promise<number> {
    authorize(actor, 'message.read');
    const ids = this.mine(actor).select('id');
    let upd = this.h
      .updateTable('hall_message')
      .set({ read_at: read ? new Date().toISOString() : null })
      .where('id', 'in', id === null ? ids : ids.where('id', '=', id));
    if (read) upd = upd.where('read_at', 'is', null);
    const r = await upd.executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    if (id !== null && n === 0) {
      const own = await this.mine(actor).select('id').where('id', '=', id).executeTakeFirst();
      if (!own) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    return n;
  }
}
