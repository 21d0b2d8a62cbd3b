// Online accounts (网上注册): a citizen registers with ID number, name and the phone on record; an
// employer with its unified social credit code and its legal representative. A one-time code goes
// to that phone; confirming it (with a new password) creates a login bound to the person or
// employer. Password reset by the same phone. Codes: 6 digits, 10 minutes, stored as a salted
// SHA-256, 5 attempts each; at most 5 codes per phone an hour (one a minute) and 20 per source.
// A mismatch answers SB_ERR_REGISTRY_MISMATCH whether the ID is unknown, the name wrong or the
// phone not the one on record: the answer never says whose the ID number is.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { checkPasswordPolicy, hashPassword } from '../auth/password.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { SbError } from '../core/errors.ts';
import { checkCreditCode, checkIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import {
  consumeCode,
  countCodeAttempt,
  demoTexts,
  hasCitizenLogin,
  insertCode,
  insertOnlineLogin,
  liveCodeForUpdate,
  lockCodeLimits,
  loginWithPhones,
  phoneCodesSince,
  registryEmployer,
  registryPerson,
  resetPassword,
  sourceCodesSince,
  usernameTaken,
} from './account.repository.ts';
import { hallDb, type CodePurpose } from './hall.db.ts';
import { configuredSender, dispatchSms, queueSms, type SmsSender } from './sms.sender.ts';

export const CODE_TTL_MINUTES = 10;
export const MAX_ATTEMPTS_PER_CODE = 5;
export const MAX_CODES_PER_PHONE_PER_HOUR = 5;
export const MIN_SECONDS_BETWEEN_CODES = 60;
export const MAX_CODES_PER_SOURCE_PER_HOUR = 20;

const hashCode = (salt: string, code: string): string =>
  createHash('sha256').update(`${salt}:${code}`).digest('hex');

const maskPhone = (p: string): string => (p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****');

function mobile(raw: string): string {
  const p = raw.trim();
  if (!/^1[3-9]\d{9}$/.test(p)) throw new SbError('SB_ERR_INVALID_PHONE', { field: 'phone' });
  return p;
}

function idNumber(raw: string, field = 'idNumber'): string {
  const r = checkIdNumber(raw);
  if (!r.valid) throw new SbError('SB_ERR_INVALID_ID_NUMBER', { field, zh: r.reasonZh, en: r.reason });
  return r.normalized;
}

const mismatch = (): SbError => new SbError('SB_ERR_REGISTRY_MISMATCH');
const anonymous = (source: string): Actor => ({ ...systemActor('hall'), username: `hall:${source}` });

export interface CodeSent {
  sentTo: string;
  expiresInSeconds: number;
}

/** Refuses a new code when the phone or the source asked too often. */
async function throttle(db: Db, phone: string, source: string): Promise<void> {
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const byPhone = await phoneCodesSince(db, phone, hourAgo);
  const last = byPhone.last ? new Date(byPhone.last).getTime() : 0;
  if (byPhone.n >= MAX_CODES_PER_PHONE_PER_HOUR || Date.now() - last < MIN_SECONDS_BETWEEN_CODES * 1000)
    throw new SbError('SB_ERR_TOO_MANY_ATTEMPTS', { field: 'phone' });
  if ((await sourceCodesSince(db, source, hourAgo)) >= MAX_CODES_PER_SOURCE_PER_HOUR)
    throw new SbError('SB_ERR_TOO_MANY_ATTEMPTS');
}

async function issueCode(
  ctx: AppContext,
  sender: SmsSender | null,
  input: {
    purpose: CodePurpose;
    phone: string;
    source: string;
    personId?: number | null;
    employerId?: number | null;
    userId?: number | null;
    region: string | null;
    subjectPersonId?: number | null;
  },
): Promise<CodeSent> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const expiresAt = new Date(Date.now() + CODE_TTL_MINUTES * 60_000).toISOString();
  const what = { 'register-citizen': '注册', 'register-employer': '单位注册', 'reset-password': '重置密码' }[
    input.purpose
  ];
  await ctx.db.transaction().execute(async (tx) => {
    // The limits again, under a lock on the phone and the address: requests sent at once each passed
    // the caller's check before any code was written, and each sent a text (one a minute, five an hour).
    await lockCodeLimits(tx, input.phone, input.source);
    await throttle(tx, input.phone, input.source);
    await insertCode(tx, {
      purpose: input.purpose,
      phone: input.phone,
      source: input.source,
      person_id: input.personId ?? null,
      employer_id: input.employerId ?? null,
      user_id: input.userId ?? null,
      code_hash: hashCode(salt, code),
      salt,
      expires_at: expiresAt,
      consumed_at: null,
    });
    await queueSms(
      hallDb(tx),
      input.phone,
      `【社保】您的${what}验证码为 ${code}，${CODE_TTL_MINUTES}分钟内有效，请勿告诉他人。Your Shebao code: ${code} (valid ${CODE_TTL_MINUTES} min).`,
    );
    await appendAudit(tx, anonymous(input.source), {
      action: `account.code-sent`,
      entityType: input.employerId ? 'employer' : 'person',
      entityId: input.employerId ?? input.personId ?? input.userId ?? null,
      region: input.region,
      subjectPersonId: input.subjectPersonId ?? null,
      after: { purpose: input.purpose, phone: maskPhone(input.phone) },
    });
  });
  await dispatchSms(hallDb(ctx.db), sender);
  return { sentTo: maskPhone(input.phone), expiresInSeconds: CODE_TTL_MINUTES * 60 };
}

type CodeCheck = { ok: true; codeId: number } | { ok: false; error: SbError };

/**
 * Checks a code against the newest live code of (purpose, phone, subject), counting the attempt in
 * its own committed transaction so that a failure is remembered.
 */
async function checkCode(
  db: Db,
  purpose: CodePurpose,
  phone: string,
  subject: { personId?: number; employerId?: number; userId?: number },
  code: string,
): Promise<CodeCheck> {
  return db.transaction().execute(async (tx) => {
    const row = await liveCodeForUpdate(tx, purpose, phone, subject);
    if (!row || new Date(row.expires_at).getTime() < Date.now())
      return { ok: false, error: new SbError('SB_ERR_CODE_INVALID', { field: 'code' }) };
    if (row.attempts >= MAX_ATTEMPTS_PER_CODE)
      return { ok: false, error: new SbError('SB_ERR_TOO_MANY_ATTEMPTS', { field: 'code' }) };
    const given = Buffer.from(hashCode(row.salt, /^\d{6}$/.test(code) ? code : 'x'), 'hex');
    const good = timingSafeEqual(given, Buffer.from(row.code_hash, 'hex'));
    if (!good) {
      const attempts = row.attempts + 1;
      await countCodeAttempt(tx, row.id, attempts, attempts >= MAX_ATTEMPTS_PER_CODE);
      return { ok: false, error: new SbError('SB_ERR_CODE_INVALID', { field: 'code' }) };
    }
    return { ok: true, codeId: row.id };
  });
}

async function consume(tx: Db, codeId: number): Promise<void> {
  if (!(await consumeCode(tx, codeId))) throw new SbError('SB_ERR_CODE_INVALID', { field: 'code' });
}

export class AccountService {
  private readonly sender: SmsSender | null;
  constructor(
    private readonly ctx: AppContext,
    sender?: SmsSender | null,
  ) {
    this.sender = sender === undefined ? configuredSender() : sender;
  }

  private async citizenByRegistry(idNo: string, name: string, phone: string) {
    const p = await registryPerson(this.ctx.db, idNo);
    if (!p || p.death_date !== null || p.name !== name.trim() || p.phone !== phone) throw mismatch();
    return p;
  }

  async requestCitizen(
    input: { idNumber: string; name: string; phone: string },
    source: string,
  ): Promise<CodeSent> {
    const idNo = idNumber(input.idNumber);
    const phone = mobile(input.phone);
    await throttle(this.ctx.db, phone, source);
    const p = await this.citizenByRegistry(idNo, input.name, phone);
    if (await hasCitizenLogin(this.ctx.db, p.id))
      throw new SbError('SB_ERR_DUPLICATE', {
        field: 'idNumber',
        zh: '该身份已注册，可通过“忘记密码”重置',
        en: 'an account exists for this identity; use password reset',
      });
    return issueCode(this.ctx, this.sender, {
      purpose: 'register-citizen',
      phone,
      source,
      personId: p.id,
      region: p.region,
      subjectPersonId: p.id,
    });
  }

  async confirmCitizen(
    input: { idNumber: string; phone: string; code: string; password: string },
    source: string,
  ): Promise<{ username: string }> {
    const idNo = idNumber(input.idNumber);
    const phone = mobile(input.phone);
    const username = idNo.toLowerCase();
    checkPasswordPolicy(input.password, username);
    const p = await registryPerson(this.ctx.db, idNo);
    if (!p) throw new SbError('SB_ERR_CODE_INVALID', { field: 'code' });
    const check = await checkCode(this.ctx.db, 'register-citizen', phone, { personId: p.id }, input.code);
    if (!check.ok) throw check.error;
    return this.createAccount(check.codeId, source, 'idNumber', input.password, {
      username,
      displayName: p.name,
      role: 'citizen',
      personId: p.id,
      employerId: null,
      region: p.region,
    });
  }

  private async employerByRegistry(creditCode: string, repName: string, repIdNo: string, phone: string) {
    const e = await registryEmployer(this.ctx.db, creditCode);
    if (!e || e.legal_rep_name !== repName.trim() || e.legal_rep_id_number !== repIdNo) throw mismatch();
    const rep = await registryPerson(this.ctx.db, repIdNo);
    if (!rep || rep.death_date !== null || rep.name !== repName.trim() || rep.phone !== phone)
      throw mismatch();
    return e;
  }

  async requestEmployer(
    input: { creditCode: string; legalRepName: string; legalRepIdNumber: string; phone: string },
    source: string,
  ): Promise<CodeSent> {
    const cc = checkCreditCode(input.creditCode);
    if (!cc.valid) throw new SbError('SB_ERR_INVALID_CREDIT_CODE', { field: 'creditCode' });
    const repIdNo = idNumber(input.legalRepIdNumber, 'legalRepIdNumber');
    const phone = mobile(input.phone);
    await throttle(this.ctx.db, phone, source);
    const e = await this.employerByRegistry(cc.normalized, input.legalRepName, repIdNo, phone);
    if (await usernameTaken(this.ctx.db, cc.normalized.toLowerCase()))
      throw new SbError('SB_ERR_DUPLICATE', {
        field: 'creditCode',
        zh: '该单位已注册，可通过“忘记密码”重置',
        en: 'the employer has an account; use password reset',
      });
    return issueCode(this.ctx, this.sender, {
      purpose: 'register-employer',
      phone,
      source,
      employerId: e.id,
      region: e.region,
    });
  }

  async confirmEmployer(
    input: { creditCode: string; phone: string; code: string; password: string },
    source: string,
  ): Promise<{ username: string }> {
    const cc = checkCreditCode(input.creditCode);
    if (!cc.valid) throw new SbError('SB_ERR_INVALID_CREDIT_CODE', { field: 'creditCode' });
    const phone = mobile(input.phone);
    const username = cc.normalized.toLowerCase();
    checkPasswordPolicy(input.password, username);
    const e = await registryEmployer(this.ctx.db, cc.normalized);
    if (!e) throw new SbError('SB_ERR_CODE_INVALID', { field: 'code' });
    const check = await checkCode(this.ctx.db, 'register-employer', phone, { employerId: e.id }, input.code);
    if (!check.ok) throw check.error;
    return this.createAccount(check.codeId, source, 'creditCode', input.password, {
      username,
      displayName: e.name,
      role: 'employer',
      personId: null,
      employerId: e.id,
      region: e.region,
    });
  }

  /** The login a confirmed code creates (citizen or employer), the code spent in the same transaction. */
  private async createAccount(
    codeId: number,
    source: string,
    duplicateField: string,
    password: string,
    a: {
      username: string;
      displayName: string;
      role: 'citizen' | 'employer';
      personId: number | null;
      employerId: number | null;
      region: string;
    },
  ): Promise<{ username: string }> {
    const passwordHash = await hashPassword(password);
    return this.ctx.db.transaction().execute(async (tx) => {
      await consume(tx, codeId);
      if (await usernameTaken(tx, a.username))
        throw new SbError('SB_ERR_DUPLICATE', { field: duplicateField });
      const userId = await insertOnlineLogin(tx, { ...a, passwordHash });
      await appendAudit(tx, anonymous(source), {
        action: 'account.create',
        entityType: 'user',
        entityId: userId,
        region: a.region,
        ...(a.personId === null ? {} : { subjectPersonId: a.personId }),
        after: {
          username: a.username,
          role: a.role,
          ...(a.personId === null ? { employerId: a.employerId } : { personId: a.personId }),
          channel: 'online',
        },
      });
      return { username: a.username };
    });
  }

  /** The phone on record for a citizen or employer account, or null (staff accounts: never). */
  private async accountPhone(username: string) {
    const u = await loginWithPhones(this.ctx.db, username.trim().toLowerCase());
    if (!u || u.disabled || (u.role !== 'citizen' && u.role !== 'employer')) return null;
    return {
      id: u.id,
      personId: u.person_id,
      phone: u.role === 'citizen' ? u.personPhone : u.repPhone,
      region: u.pRegion ?? u.eRegion ?? null,
    };
  }

  /** Always answers the same, whether or not the account exists and the phone is its own. */
  async requestReset(input: { username: string; phone: string }, source: string): Promise<CodeSent> {
    const phone = mobile(input.phone);
    await throttle(this.ctx.db, phone, source);
    const a = await this.accountPhone(input.username);
    const answer = { sentTo: maskPhone(phone), expiresInSeconds: CODE_TTL_MINUTES * 60 };
    if (!a || a.phone !== phone) {
      // Count the request against the phone and the source all the same (no code is sent).
      await insertCode(this.ctx.db, {
        purpose: 'reset-password',
        phone,
        source,
        person_id: null,
        employer_id: null,
        user_id: null,
        code_hash: randomBytes(32).toString('hex'),
        salt: randomBytes(16).toString('hex'),
        expires_at: new Date().toISOString(),
        consumed_at: new Date().toISOString(),
      });
      return answer;
    }
    await issueCode(this.ctx, this.sender, {
      purpose: 'reset-password',
      phone,
      source,
      userId: a.id,
      region: a.region,
      subjectPersonId: a.personId,
    });
    return answer;
  }

  async confirmReset(
    input: { username: string; phone: string; code: string; password: string },
    source: string,
  ): Promise<{ username: string }> {
    const phone = mobile(input.phone);
    const username = input.username.trim().toLowerCase();
    checkPasswordPolicy(input.password, username);
    const a = await this.accountPhone(username);
    if (!a) throw new SbError('SB_ERR_CODE_INVALID', { field: 'code' });
    const check = await checkCode(this.ctx.db, 'reset-password', phone, { userId: a.id }, input.code);
    if (!check.ok) throw check.error;
    const passwordHash = await hashPassword(input.password);
    await this.ctx.db.transaction().execute(async (tx) => {
      await consume(tx, check.codeId);
      await resetPassword(tx, a.id, passwordHash);
      await appendAudit(tx, anonymous(source), {
        action: 'account.password-reset',
        entityType: 'user',
        entityId: a.id,
        region: a.region,
        subjectPersonId: a.personId,
      });
    });
    return { username };
  }

  /** The demo page: messages sent to one phone in the last hour by the demo sender. */
  async demoOutbox(
    phone: string,
  ): Promise<{ id: number; to: string; body: string; sentAt: string | null }[]> {
    const p = mobile(phone);
    const rows = await demoTexts(this.ctx.db, p, new Date(Date.now() - 3_600_000).toISOString());
    return rows.map((r) => ({ id: r.id, to: maskPhone(r.recipient), body: r.body, sentAt: r.sent_at }));
  }

  get senderName(): string {
    return this.sender?.name ?? 'none';
  }
}
