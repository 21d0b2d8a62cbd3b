// HTTP face of home service (送服务上门): citizens book (for themselves or a family member) and
// cancel; the region's clerks assign a worker and a day, record the visit, or refuse. Registered by
// the hall's routes (src/hall/hall.routes.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, IsoDateString, RowId, RowVersion } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { HomeServiceService } from './home-service.service.ts';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Group = Type.Union([Type.Literal('elderly'), Type.Literal('disabled'), Type.Literal('bedridden')]);
const Outcome = Type.Union([Type.Literal('served'), Type.Literal('not-home'), Type.Literal('referred')]);
const VisitStatus = Type.Union([
  Type.Literal('booked'),
  Type.Literal('assigned'),
  Type.Literal('done'),
  Type.Literal('cancelled'),
  Type.Literal('refused'),
]);

const Visit = Type.Object({
  id: Type.Integer(),
  applicationId: Type.Integer(),
  bookedFor: Type.Union([Type.Literal('self'), Type.Literal('family')]),
  relation: Nullable(Type.String()),
  personName: Type.String({ description: 'masked for the booker and the person; in full for the clerks' }),
  personIdNumber: Type.String({ description: 'masked' }),
  group: Group,
  serviceWanted: Type.String(),
  address: Type.String(),
  contactPhone: Type.String(),
  preferredDate: Type.String(),
  preferredSlot: Type.Union([Type.Literal('am'), Type.Literal('pm')]),
  status: VisitStatus,
  assignedTo: Nullable(Type.String({ description: 'the clerk’s login name: staff only' })),
  assignedName: Nullable(Type.String({ description: 'the clerk’s name' })),
  visitDate: Nullable(Type.String()),
  outcome: Type.Union([Outcome, Type.Null()]),
  outcomeNote: Nullable(Type.String()),
  deadline: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  // staff only
  personId: Type.Optional(Type.Integer()),
  region: Type.Optional(Type.String()),
  age: Type.Optional(Type.Integer()),
  registryGroup: Type.Optional(Nullable(Type.String())),
  overdue: Type.Optional(Type.Boolean()),
  assignWindow: Type.Optional(
    Type.Object(
      {
        earliest: Type.String({ format: 'date' }),
        latest: Type.String({ format: 'date' }),
        daysAhead: Type.Integer({ minimum: 0 }),
        words: Type.Object({ zh: Type.String(), en: Type.String() }),
      },
      {
        description:
          'staff, an open appointment: the days a visit may be arranged on (parameter hall/home-visit-assign-days-ahead for the appointment\u2019s region, today)',
      },
    ),
  ),
});
const Id = Type.Object({ id: RowId });

export const homeServiceRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const homes = new HomeServiceService(ctx);

  app.post(
    '/api/v1/home-visits',
    {
      config: { action: 'home-service.book', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['hall'],
        summary: '预约送服务上门 / Book a home service visit',
        description:
          'On a day of GET /api/v1/home-visits/booking-window (400 preferredDate otherwise, the window in words). For oneself, or for a family member named by ID number and name (must match the registry: SB_ERR_REGISTRY_MISMATCH otherwise, the same for an unknown number; 5 failures a day per login, then 429). The answer shows nothing else the registry holds.',
        body: Type.Object(
          {
            idNumber: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
            name: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
            relation: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
            group: Group,
            serviceWanted: Type.String({ minLength: 1, maxLength: 200 }),
            address: Type.String({ minLength: 1, maxLength: 200 }),
            contactPhone: Type.String({ minLength: 1, maxLength: 20 }),
            preferredDate: IsoDateString,
            preferredSlot: Type.Union([Type.Literal('am'), Type.Literal('pm')]),
          },
          strict,
        ),
        response: { 201: Visit, ...errorResponses, 422: errorResponses[400], 429: errorResponses[400] },
      },
    },
    async (req, reply) => reply.status(201).send(await homes.book(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/home-visits',
    {
      config: { action: 'home-service.read' },
      schema: {
        tags: ['hall'],
        summary: '上门服务预约 / Home service appointments',
        description:
          'A citizen: those they booked and those booked for them; staff: the region\u2019s, by deadline.',
        querystring: Type.Object({ status: Type.Optional(VisitStatus) }),
        response: {
          200: Type.Object({ items: Type.Array(Visit), total: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (req) => homes.list(actorOf(req), req.query),
  );

  app.get(
    '/api/v1/home-visits/booking-window',
    {
      config: { action: 'home-service.book' },
      schema: {
        tags: ['hall'],
        summary: '可预约的上门日期 / The days a home visit may be asked for',
        description:
          'The working days (`days`) from tomorrow to `daysAhead` days ahead (parameter hall/home-visit-booking-days-ahead for the booker\u2019s own region, today): the days the booking takes, whoever it is for.',
        response: {
          200: Type.Object({
            earliest: Type.String({ format: 'date' }),
            latest: Type.String({ format: 'date' }),
            daysAhead: Type.Integer({ minimum: 0 }),
            days: Type.Array(Type.String({ format: 'date' })),
            words: Type.Object({ zh: Type.String(), en: Type.String() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => homes.bookingWindow(actorOf(req)),
  );

  app.get(
    '/api/v1/home-visits/staff',
    {
      config: { action: 'home-service.handle' },
      schema: {
        tags: ['hall'],
        summary: '可指派的上门人员 / Clerks a visit can be given to',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ username: Type.String(), displayName: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ items: await homes.staff(actorOf(req)) }),
  );

  app.get(
    '/api/v1/home-visits/:id',
    {
      config: { action: 'home-service.read' },
      schema: {
        tags: ['hall'],
        summary: '上门服务预约详情 / A home service appointment',
        description: 'The booker, the person, or staff of the region; anyone else 404.',
        params: Id,
        response: { 200: Visit, ...errorResponses },
      },
    },
    async (req) => homes.get(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/home-visits/:id/cancel',
    {
      config: { action: 'home-service.book' },
      schema: {
        tags: ['hall'],
        summary: '取消预约 / Cancel an appointment (booker or person)',
        params: Id,
        body: Type.Object(
          { note: Type.Optional(Type.String({ maxLength: 500 })), version: RowVersion },
          strict,
        ),
        response: { 200: Visit, ...errorResponses },
      },
    },
    async (req) => homes.cancel(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/home-visits/:id/assign',
    {
      config: { action: 'home-service.handle' },
      schema: {
        tags: ['hall'],
        summary: '指派上门 / Assign a clerk and a day',
        description:
          'visitDate within the appointment\u2019s assignWindow (GET /api/v1/home-visits/{id}); 400 visitDate otherwise, the window in words.',
        params: Id,
        body: Type.Object(
          {
            assignee: Type.String({ minLength: 1, maxLength: 64 }),
            visitDate: IsoDateString,
            note: Type.Optional(Type.String({ maxLength: 500 })),
            version: RowVersion,
          },
          strict,
        ),
        response: { 200: Visit, ...errorResponses },
      },
    },
    async (req) => homes.assign(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/home-visits/:id/done',
    {
      config: { action: 'home-service.handle' },
      schema: {
        tags: ['hall'],
        summary: '登记上门结果 / Record the visit',
        description:
          'served: done; referred: done, sent to a counter (note); not-home: stays open to be arranged again (note).',
        params: Id,
        body: Type.Object(
          {
            outcome: Outcome,
            note: Type.Optional(Type.String({ maxLength: 500 })),
            version: RowVersion,
          },
          strict,
        ),
        response: { 200: Visit, ...errorResponses },
      },
    },
    async (req) => homes.done(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/home-visits/:id/refuse',
    {
      config: { action: 'home-service.handle' },
      schema: {
        tags: ['hall'],
        summary: '不予安排 / Refuse (with the reason)',
        params: Id,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 500 }), version: RowVersion },
          strict,
        ),
        response: { 200: Visit, ...errorResponses },
      },
    },
    async (req) => homes.refuse(actorOf(req), req.params.id, req.body),
  );
};
