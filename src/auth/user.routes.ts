// Staff accounts of the admin's region: GET/POST /api/v1/users, POST /api/v1/users/{id}/role,
// POST /api/v1/users/{id}/disable; and the staff member's own POST /api/v1/auth/set-password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { errorResponses, PageQuery, Paged, RegionCode } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { UserService } from './user.service.ts';
import { STAFF_ROLES } from './actor.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const StaffUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  region: Nullable(Type.String()),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Type.String()),
  personId: Nullable(Type.Integer()),
  personIdNumber: Nullable(Type.String({ description: 'masked' })),
  personName: Nullable(Type.String()),
  mustSetPassword: Type.Boolean(),
  pendingRole: Nullable(Type.Object({ approvalId: Type.Integer(), role: Type.String() })),
});

const Role = Type.Union(STAFF_ROLES.map((r) => Type.Literal(r)));

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
    async (req) => new UserService(ctx.db).list(actorOf(req), req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  app.post(
    '/api/v1/users',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['auth'],
        summary: '新建经办人员账号（按登记人员身份号码）/ Create a staff account for a registered person',
        description:
          'No password is chosen by the administrator: the answer carries a one-time set-password token (shown once) with which the staff member sets their own. The account stays disabled until a second administrator or the supervisor approves its role (POST /api/v1/approvals/{id}/release).',
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 64 }),
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            role: Role,
            region: RegionCode,
            idNumber: Type.String({ minLength: 15, maxLength: 18, pattern: '^[0-9]{15}([0-9]{2}[0-9Xx])?$' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            user: StaffUser,
            setPasswordToken: Type.String(),
            setPasswordExpiresAt: Type.String(),
            approval: ApprovalSchema,
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const b = req.body;
      return new UserService(ctx.db).create(actorOf(req), {
        username: b.username,
        role: b.role,
        region: b.region,
        idNumber: b.idNumber,
        ...(b.displayName === undefined ? {} : { displayName: b.displayName }),
      });
    },
  );

  app.post(
    '/api/v1/users/:id/role',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['auth'],
        summary:
          '申请变更角色（待另一管理员或监督员批准）/ Request a role change (a second approver releases it)',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }),
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => new UserService(ctx.db).requestRoleChange(actorOf(req), req.params.id, req.body.role),
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
      await new UserService(ctx.db).disable(actorOf(req), req.params.id, req.body.reason);
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
      const r = await new UserService(ctx.db).unlock(actorOf(req), req.params.id, req.body?.reason);
      return { ok: true, cleared: r.cleared };
    },
  );

  app.post(
    '/api/v1/auth/set-password',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          '首次登录：用一次性令牌设置本人密码 / First login: set your own password with the one-time token',
        description:
          'Password policy: at least 10 characters from two of letters, digits and symbols, without the username.',
        body: Type.Object(
          {
            token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ username: Type.String() }), ...errorResponses },
      },
    },
    async (req) => new UserService(ctx.db).setPasswordWithToken(req.body.token, req.body.password),
  );
};
