// Self-service certification by face check: we issue a single-use nonce, the vendor's SDK binds its
// signed result to it, we verify the result (liveness.provider.ts) and consume the nonce in the
// transaction that records the certification and lifts any suspension. Every refusal is recorded in
// certification_attempt (in its own transaction, so it survives the refusal).
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { PersonRow } from '../registry/person.repository.ts';
import { PersonService } from '../registry/person.service.ts';
import {
  awardsOfPerson,
  consumeNonce,
  insertCertification,
  insertNonce,
  linkNonce,
  recordAttempt,
} from './certification.repository.ts';
import { simulateResult } from './liveness-simulator.ts';
import { LivenessRefused, type LivenessProvider, type VerifiedLiveness } from './liveness.provider.ts';
import { RestorationService, type Restoration } from './restoration.service.ts';

export interface SelfServiceOptions {
  /** how long a nonce stays usable; default 10 minutes */
  nonceTtlMs?: number;
  simulator?: boolean;
  now?: () => Date;
}

export interface Challenge {
  nonce: string;
  expiresAt: string;
  vendors: string[];
  simulator: boolean;
}

export interface SelfCertified {
  certificationId: number;
  certifiedOn: string;
  channel: 'self';
  vendor: string;
  score: number;
  restorations: Restoration[];
}

export class SelfCertificationService {
  private readonly persons: PersonService;
  private readonly nonceTtlMs: number;
  private readonly now: () => Date;
  readonly simulator: boolean;

  constructor(
    private readonly db: Db,
    private readonly provider: LivenessProvider,
    opts: SelfServiceOptions = {},
  ) {
    this.persons = new PersonService(db);
    this.nonceTtlMs = opts.nonceTtlMs ?? 10 * 60_000;
    this.now = opts.now ?? (() => new Date());
    this.simulator = opts.simulator ?? false;
  }

  private async pensioner(actor: Actor, personId: number): Promise<PersonRow> {
    authorize(actor, 'certification.self');
    const p = await this.persons.target(this.db, actor, 'certification.self', personId);
    if (p.death_date !== null)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: `已登记死亡（${p.death_date}）`,
        en: `a death is recorded (${p.death_date})`,
      });
    const awards = await awardsOfPerson(this.db, personId);
    if (!awards.some((a) => a.status !== 'stopped')) {
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: '未领取养老金，无需资格认证',
        en: 'no pension is being drawn, so no certification is needed',
      });
    }
    return p;
  }

  async challenge(actor: Actor, personId: number): Promise<Challenge> {
    await this.pensioner(actor, personId);
    const nonce = randomBytes(24).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.nonceTtlMs).toISOString();
    await insertNonce(this.db, { nonce, person_id: personId, expires_at: expiresAt });
    return { nonce, expiresAt, vendors: [...this.provider.vendorIds], simulator: this.simulator };
  }

  /** The demo vendor's part: sign a result for the logged-in person's own nonce. Only with the simulator enabled. */
  async simulate(
    actor: Actor,
    personId: number,
    input: { nonce: string; score?: number | undefined },
  ): Promise<{ result: string }> {
    if (!this.simulator)
      throw new SbError('SB_ERR_NOT_FOUND', {
        zh: '模拟器未启用',
        en: 'the liveness simulator is not enabled',
      });
    const p = await this.pensioner(actor, personId);
    return {
      result: simulateResult({
        nonce: input.nonce,
        idNumber: p.id_number,
        ...(input.score === undefined ? {} : { score: input.score }),
      }),
    };
  }

  async submit(actor: Actor, personId: number, token: string): Promise<SelfCertified> {
    const p = await this.pensioner(actor, personId);
    const now = this.now();
    let verified: VerifiedLiveness;
    try {
      verified = this.provider.verify(token, { idNumber: p.id_number }, now);
    } catch (e) {
      throw await this.refused(e, personId, {
        vendor: token.split('.')[0]?.slice(0, 40) ?? null,
        nonce: null,
      });
    }
    const certifiedOn = today();
    try {
      return await this.db.transaction().execute(async (tx) => {
        const nonceState = await consumeNonce(tx, verified.nonce, personId, now);
        if (nonceState !== 'ok') throw new LivenessRefused(nonceState);
        const cert = await insertCertification(tx, {
          person_id: personId,
          certified_on: certifiedOn,
          channel: 'self',
          source_ref: `liveness:${verified.vendor}:${verified.resultId}`,
          evidence: {
            vendor: verified.vendor,
            resultId: verified.resultId,
            score: verified.score,
            issuedAt: verified.issuedAt,
            nonce: verified.nonce,
          },
          created_by: actor.username,
        });
        await linkNonce(tx, verified.nonce, cert.id);
        await recordAttempt(tx, {
          person_id: personId,
          channel: 'self',
          outcome: 'accepted',
          reason: 'ok',
          vendor: verified.vendor,
          nonce: verified.nonce,
        });
        await appendAudit(tx, actor, {
          action: 'certification.self',
          entityType: 'certification',
          entityId: cert.id,
          region: p.region,
          subjectPersonId: personId,
          after: {
            certifiedOn,
            channel: 'self',
            vendor: verified.vendor,
            score: verified.score,
            resultId: verified.resultId,
          },
        });
        const restorations = await new RestorationService(tx).restoreAfterCertification(actor, personId, {
          id: cert.id,
          certifiedOn,
        });
        return {
          certificationId: cert.id,
          certifiedOn,
          channel: 'self' as const,
          vendor: verified.vendor,
          score: verified.score,
          restorations,
        };
      });
    } catch (e) {
      throw await this.refused(e, personId, { vendor: verified.vendor, nonce: verified.nonce });
    }
  }

  /** A refused liveness result is recorded as an attempt; the error goes on to the caller. */
  private async refused(
    e: unknown,
    personId: number,
    by: { vendor: string | null; nonce: string | null },
  ): Promise<unknown> {
    if (e instanceof LivenessRefused)
      await recordAttempt(this.db, {
        person_id: personId,
        channel: 'self',
        outcome: 'refused',
        reason: e.refusal,
        ...by,
      });
    return e;
  }
}
