// Employer use cases: register, read, search, update; and an employer's staff list and the days it may date them.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, type Action } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { projectParams } from '../core/params-loader.ts';
import { checkCreditCode } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import {
  employerIdByCreditCode,
  insertEmployer,
  searchEmployers,
  updateEmployer,
  type EmployerChanges,
  type EmployerRow,
} from './employer.repository.ts';
import type {
  CreateEmployerInput,
  EmployerDto,
  EmployerSearchInput,
  UpdateEmployerInput,
} from './employer.schema.ts';
import { staffOfEmployer } from './employment.repository.ts';
import { directEntryWindow, type DirectEntryWindow } from './employment.rules.ts';
import { isUniqueViolation } from '../db/values.ts';
import {
  employedPersonView,
  maskPhone,
  normalizePhone,
  regionLikePattern,
  requireRegion,
} from './person.rules.ts';
import { employerInScope } from './registry-access.ts';

const toEmployer = (r: EmployerRow): EmployerDto => ({
  id: r.id,
  creditCode: r.credit_code,
  name: r.name,
  region: r.region,
  industryClass: r.industry_class,
  size: r.size,
  address: r.address,
  contactPhone: r.contact_phone,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function normalizeEmployerName(raw: string): string {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s.length < 1 || s.length > 200)
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'name',
      zh: '单位名称应为1至200个字符',
      en: 'a name has 1 to 200 characters',
    });
  return s;
}

export interface StaffItem {
  employmentId: number;
  personId: number;
  name: string;
  idNumber: string;
  sex: 'M' | 'F';
  phone: string | null;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  monthlyWageFen: number | null;
}

export class EmployerService {
  constructor(private readonly db: Db) {}

  async target(db: Db, actor: Actor, action: Action, id: number, forUpdate = false): Promise<EmployerRow> {
    return employerInScope(db, actor, action, id, { forUpdate });
  }

  async create(actor: Actor, input: CreateEmployerInput): Promise<EmployerDto> {
    authorize(actor, 'employer.create');
    const code = checkCreditCode(input.creditCode);
    if (!code.valid)
      throw new SbError('SB_ERR_INVALID_CREDIT_CODE', {
        field: 'creditCode',
        zh: code.reasonZh,
        en: code.reason,
      });
    const region = requireRegion(input.region, 'region');
    authorize(actor, 'employer.create', { region });
    const row = {
      credit_code: code.normalized,
      name: normalizeEmployerName(input.name),
      region,
      industry_class: input.industryClass,
      size: input.size,
      address: input.address?.trim() || null,
      contact_phone:
        input.contactPhone === undefined || input.contactPhone.trim() === ''
          ? null
          : normalizePhone(input.contactPhone, 'contactPhone'),
    };
    const duplicate = (): SbError =>
      new SbError('SB_ERR_DUPLICATE', {
        field: 'creditCode',
        zh: '该统一社会信用代码已登记',
        en: 'this credit code is already registered',
      });
    if ((await employerIdByCreditCode(this.db, code.normalized)) !== undefined) throw duplicate();
    try {
      return await this.db.transaction().execute(async (tx) => {
        const created = await insertEmployer(tx, row);
        await appendAudit(tx, actor, {
          action: 'employer.create',
          entityType: 'employer',
          entityId: created.id,
          region: created.region,
          after: toEmployer(created),
        });
        return toEmployer(created);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate();
      throw e;
    }
  }

  async get(actor: Actor, id: number): Promise<EmployerDto> {
    return toEmployer(await this.target(this.db, actor, 'employer.read', id));
  }

  async search(
    actor: Actor,
    q: EmployerSearchInput,
  ): Promise<{ items: EmployerDto[]; total: number; page: number; pageSize: number }> {
    authorize(actor, 'employer.search');
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'employer.search', { region });
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const name = q.name?.trim();
    const { rows, total } = await searchEmployers(
      this.db,
      {
        regionPattern: regionLikePattern(region),
        ...(name ? { name } : {}),
        ...(q.creditCode !== undefined ? { creditCodePrefix: q.creditCode.trim().toUpperCase() } : {}),
        ...(q.industryClass !== undefined ? { industryClass: q.industryClass } : {}),
        ...(q.size !== undefined ? { size: q.size } : {}),
      },
      pageSize,
      (page - 1) * pageSize,
    );
    return { items: rows.map(toEmployer), total, page, pageSize };
  }

  async update(actor: Actor, id: number, input: UpdateEmployerInput): Promise<EmployerDto> {
    authorize(actor, 'employer.update');
    if (actor.role === 'employer') {
      for (const k of ['name', 'region', 'industryClass', 'size'] as const) {
        if (input[k] !== undefined) {
          throw new SbError('SB_ERR_FORBIDDEN', {
            field: k,
            zh: '单位只能修改地址和联系电话，其他变更请到经办机构办理',
            en: 'an employer may change its address and contact phone; other changes go through the agency',
          });
        }
      }
    }
    const changes: EmployerChanges = {};
    if (input.name !== undefined) changes.name = normalizeEmployerName(input.name);
    if (input.region !== undefined) changes.region = requireRegion(input.region, 'region');
    if (input.industryClass !== undefined) changes.industry_class = input.industryClass;
    if (input.size !== undefined) changes.size = input.size;
    if (input.address !== undefined) changes.address = input.address?.trim() || null;
    if (input.contactPhone !== undefined)
      changes.contact_phone =
        input.contactPhone === null || input.contactPhone.trim() === ''
          ? null
          : normalizePhone(input.contactPhone, 'contactPhone');
    return this.db.transaction().execute(async (tx) => {
      const before = await this.target(tx, actor, 'employer.update', id, true);
      if (changes.region !== undefined)
        authorize(actor, 'employer.update', { employerIds: [id], region: changes.region });
      const after = await updateEmployer(tx, id, input.version, changes);
      if (!after)
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'version',
          zh: `记录已被他人修改（当前版本 ${before.version}）`,
          en: `the record was changed meanwhile (current version ${before.version})`,
        });
      const b: Record<string, unknown> = { version: before.version };
      const a: Record<string, unknown> = { version: after.version };
      for (const k of ['name', 'region', 'industry_class', 'size', 'address', 'contact_phone'] as const) {
        if (before[k] !== after[k]) {
          b[k] = before[k];
          a[k] = after[k];
        }
      }
      await appendAudit(tx, actor, {
        action: 'employer.update',
        entityType: 'employer',
        entityId: id,
        region: after.region,
        before: b,
        after: a,
        reason: input.reason ?? null,
      });
      return toEmployer(after);
    });
  }

  /** The employer's staff (current, or all with includeEnded); ID numbers and phones masked. */
  async staff(
    actor: Actor,
    id: number,
    q: { includeEnded?: boolean; page?: number; pageSize?: number },
  ): Promise<{ items: StaffItem[]; total: number; page: number; pageSize: number }> {
    await this.target(this.db, actor, 'employment.read', id);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await staffOfEmployer(
      this.db,
      id,
      q.includeEnded === true,
      pageSize,
      (page - 1) * pageSize,
    );
    return {
      items: rows.map((r) => ({
        ...employedPersonView(r),
        sex: r.sex,
        phone: maskPhone(r.phone),
        startDate: r.start_date,
        endDate: r.end_date,
        endReason: r.end_reason,
        monthlyWageFen: r.monthly_wage_fen,
      })),
      total,
      page,
      pageSize,
    };
  }

  /** The days the employer may date a hire or an end itself today (its page's pickers read them here). */
  async staffWindow(actor: Actor, id: number): Promise<DirectEntryWindow> {
    const e = await this.target(this.db, actor, 'employment.read', id);
    return directEntryWindow(projectParams(), e.region.trim(), today());
  }
}
