// /api/v1/cross-province/requests: 跨省通办 — file here an application the province holding the
// record decides (cross-province.service.ts); follow it here and in the service hall.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, NoteText, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { CrossProvinceService } from './cross-province.service.ts';

const Service = Type.Union([Type.Literal('insurance-certificate'), Type.Literal('record-statement')]);
const Status = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('accepted'),
  Type.Literal('completed'),
  Type.Literal('rejected'),
]);
const Request = Type.Object({
  id: Type.Integer(),
  ref: Type.String(),
  side: Type.Union([Type.Literal('filed'), Type.Literal('handled')]),
  service: Service,
  personId: Type.Union([Type.Integer(), Type.Null()]),
  personName: Type.Union([Type.String(), Type.Null()], {
    description: '申请人姓名（本省登记） / the applicant as registered here',
  }),
  filedIn: Type.String(),
  handledBy: Type.String(),
  status: Status,
  appliedBy: Type.String(),
  result: Type.Union([
    Type.Object({
      province: Type.String(),
      asOf: Type.String(),
      nameMasked: Type.String(),
      idNumberMasked: Type.String(),
      schemes: Type.Array(
        Type.Object({
          scheme: Type.String(),
          status: Type.String(),
          since: Type.String(),
          until: Type.Union([Type.String(), Type.Null()]),
          months: Type.Integer(),
        }),
      ),
      accounts: Type.Union([
        Type.Object({ employeePensionFen: Type.Integer(), residentPensionFen: Type.Integer() }),
        Type.Null(),
      ]),
    }),
    Type.Null(),
  ]),
  note: Type.Union([NoteText, Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  acceptedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: '对方省受理日期 / the day the deciding province accepted it',
  }),
  closedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: '办结或退回日期 / the day it was completed or rejected',
  }),
});

export const crossProvinceRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  self: string;
  provinces: readonly string[];
}> = async (app, { ctx, self, provinces }) => {
  const tags = ['federation'];
  const service = new CrossProvinceService(ctx.db, self, provinces);

  app.get(
    '/api/v1/cross-province/provinces',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary:
          '跨省通办可选省份 / This province and the other provinces of the federation an application can be sent to',
        response: {
          200: Type.Object({ self: Type.String(), provinces: Type.Array(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ self, provinces: provinces.filter((p) => p !== self) }),
  );

  app.post(
    '/api/v1/cross-province/requests',
    {
      config: { action: 'transfer.apply' },
      schema: {
        tags,
        summary:
          '跨省通办申请 / File here an application decided by the province that holds the record (参保证明, 个人权益记录)',
        description:
          'By the person (citizen login) or a clerk of their region. The request and every status update travel as federation messages; the hall of this province shows the application.',
        body: Type.Object(
          {
            service: Service,
            province: Type.String({
              pattern: '^[1-8][0-9]0000$',
              description: '办理省份 / the province that holds the record',
            }),
            idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' })),
            personId: Type.Optional(RowId),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer(), status: Status }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await service.file(actorOf(req), {
        service: b.service,
        province: b.province,
        ...(b.idNumber !== undefined ? { idNumber: b.idNumber } : {}),
        ...(b.personId !== undefined ? { personId: b.personId } : {}),
      });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/cross-province/requests',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary:
          '跨省通办申请列表 / Cross-province applications filed or handled here, newest first; a citizen sees their own',
        response: { 200: Type.Array(Request), ...errorResponses },
      },
    },
    async (req) => service.list(actorOf(req)),
  );

  app.get(
    '/api/v1/cross-province/requests/:id',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary: '跨省通办申请进度 / A cross-province application: its status and the result',
        params: Type.Object({ id: RowId }),
        response: { 200: Request, ...errorResponses },
      },
    },
    async (req) => service.get(actorOf(req), req.params.id),
  );
};
