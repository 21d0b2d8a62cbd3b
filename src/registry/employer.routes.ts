// /api/v1/employers: register, search, read, update, staff list and the days its dates may take.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, Paged, PageQuery } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { CreateEmployerBody, Employer, EmployerSearchQuery, UpdateEmployerBody } from './employer.schema.ts';
import { EmployerService } from './employer.service.ts';
import { Nullable } from './person.schema.ts';
import { IdParams } from './person.routes.ts';

const StaffItem = Type.Object({
  employmentId: Type.Integer(),
  personId: Type.Integer(),
  name: Type.String(),
  idNumber: Type.String({ description: 'masked' }),
  sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
  phone: Nullable(Type.String({ description: 'masked' })),
  startDate: Type.String(),
  endDate: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  monthlyWageFen: Nullable(Type.Integer()),
});

export const employerRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const employers = new EmployerService(ctx.db);

  app.post(
    '/api/v1/employers',
    {
      config: { action: 'employer.create' },
      schema: {
        tags: ['registry'],
        summary: '参保单位登记 / Register an employer',
        description:
          'The credit code is checked (GB 32100): invalid → 400 SB_ERR_INVALID_CREDIT_CODE; already registered → 409.',
        body: CreateEmployerBody,
        response: { 201: Employer, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await employers.create(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/employers',
    {
      config: { action: 'employer.search' },
      schema: {
        tags: ['registry'],
        summary: '参保单位查询 / Search employers (staff)',
        querystring: EmployerSearchQuery,
        response: { 200: Paged(Employer), ...errorResponses },
      },
    },
    async (req) => employers.search(actorOf(req), req.query),
  );

  app.get(
    '/api/v1/employers/:id',
    {
      config: { action: 'employer.read' },
      schema: {
        tags: ['registry'],
        summary: '参保单位详情 / An employer',
        params: IdParams,
        response: { 200: Employer, ...errorResponses },
      },
    },
    async (req) => employers.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/employers/:id',
    {
      config: { action: 'employer.update' },
      schema: {
        tags: ['registry'],
        summary: '参保单位信息变更 / Update an employer',
        params: IdParams,
        body: UpdateEmployerBody,
        response: { 200: Employer, ...errorResponses },
      },
    },
    async (req) => employers.update(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/employers/:id/staff',
    {
      config: { action: 'employment.read' },
      schema: {
        tags: ['registry'],
        summary: '单位职工名册 / An employer\u2019s staff',
        description:
          'Current employment relations (all with includeEnded=true); ID numbers and phones masked.',
        params: IdParams,
        querystring: Type.Object({
          includeEnded: Type.Optional(Type.Boolean()),
          ...PageQuery,
        }),
        response: { 200: Paged(StaffItem), ...errorResponses },
      },
    },
    async (req) => employers.staff(actorOf(req), req.params.id, req.query),
  );

  app.get(
    '/api/v1/employers/:id/staff-window',
    {
      config: { action: 'employment.read' },
      schema: {
        tags: ['registry'],
        summary: '单位可自行申报的日期范围 / The days an employer may date a hire or an end itself',
        description:
          'From `earliest` (the first day of the month `monthsBack` months back, parameter registry/employer-backdating-months for the employer\u2019s region, today); earlier is a back-entry the agency files.',
        params: IdParams,
        response: {
          200: Type.Object({
            earliest: Type.String({ format: 'date' }),
            monthsBack: Type.Integer({ minimum: 0 }),
            words: Type.Object({ zh: Type.String(), en: Type.String() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => employers.staffWindow(actorOf(req), req.params.id),
  );
};
