// GET/POST /api/v1/users, POST /api/v1/users/{id}/disable — staff accounts of the admin's region.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, PageQuery, Paged, RegionCode } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import {
  createStaffUser,
  disableStaffUser,
  listStaffUsers,
  STAFF_ROLES,
  unlockStaffUser,
} from './user.service.ts';

const StaffUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
});

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/v1/users',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['auth'],
        summary: '经办人员账号 / Staff accounts of the region',
        querystring: Type.Object(PageQuery),
        response: { 200: Paged(StaffUser), ...errorResponses },
      },
    },
    async (req) => listStaffUsers(ctx.db, actorOf(req), req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  app.post(
    '/api/v1/users',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['auth'],
        summary: '新建经办人员账号 / Create a staff account',
        description:
          'Password policy: at least 10 characters from two of letters, digits and symbols, without the username.',
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 64 }),
            displayName: Type.String({ minLength: 1, maxLength: 100 }),
            role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
            region: RegionCode,
            password: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffUser, ...errorResponses },
      },
    },
    async (req) => createStaffUser(ctx.db, actorOf(req), req.body),
  );

  app.post(
    '/api/v1/users/:id/disable',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['auth'],
        summary: '停用账号（并结束其全部会话）/ Disable an account and end its sessions',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      await disableStaffUser(ctx.db, actorOf(req), req.params.id, req.body.reason);
      return { ok: true };
    },
  );

  app.post(
    '/api/v1/users/:id/unlock',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['auth'],
        summary: '解除登录锁定 / Unlock an account locked by failed logins',
        description:
          'Clears the login locks of the staff account from every address and the account-wide lock; audited as user.unlock.',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }),
        body: Type.Optional(
          Type.Object(
            { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: Type.Object({ ok: Type.Boolean(), cleared: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => {
      const r = await unlockStaffUser(ctx.db, actorOf(req), req.params.id, req.body?.reason);
      return { ok: true, cleared: r.cleared };
    },
  );
};
