// /api/v1/persons: register, search, read, update, record a death.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, Paged, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import {
  CreatePersonBody,
  DeathAnswer,
  DeathBody,
  Person,
  PersonSearchQuery,
  PersonSummary,
  UpdatePersonBody,
} from './person.schema.ts';
import { PersonService } from './person.service.ts';

export const IdParams = Type.Object({ id: RowId });

export const personRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const persons = new PersonService(ctx.db);

  app.post(
    '/api/v1/persons',
    {
      config: { action: 'person.create' },
      schema: {
        tags: ['registry'],
        summary: '参保人登记 / Register a person',
        description:
          'The ID number is checked (GB 11643); sex and birth date are derived from it. Invalid → 400 SB_ERR_INVALID_ID_NUMBER and nothing is written; already registered → 409 SB_ERR_DUPLICATE.',
        body: CreatePersonBody,
        response: { 201: Person, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await persons.create(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/persons',
    {
      config: { action: 'person.search' },
      schema: {
        tags: ['registry'],
        summary: '参保人查询 / Search persons (staff, within their region)',
        description:
          'By part of the name, the whole ID number (or its last four characters with the whole name; a beginning of a number → 400 SB_ERR_PARTIAL_ID_NUMBER) and a region (default: the staff member\u2019s). ID number, phone and bank account are masked. Each person returned is audited (person.search) and shows in their access log.',
        querystring: PersonSearchQuery,
        response: { 200: Paged(PersonSummary), ...errorResponses },
      },
    },
    async (req) => persons.search(actorOf(req), req.query),
  );

  app.get(
    '/api/v1/persons/:id',
    {
      config: { action: 'person.read' },
      schema: {
        tags: ['registry'],
        summary: '参保人详情 / A person\u2019s full record',
        description:
          'A citizen sees their own record; staff see their region\u2019s, and each staff read is audited.',
        params: IdParams,
        response: { 200: Person, ...errorResponses },
      },
    },
    async (req) => persons.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/v1/persons/:id',
    {
      config: { action: 'person.update' },
      schema: {
        tags: ['registry'],
        summary: '参保人信息变更 / Update a person',
        params: IdParams,
        body: UpdatePersonBody,
        response: { 200: Person, ...errorResponses },
      },
    },
    async (req) => persons.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/persons/:id/death',
    {
      config: { action: 'person.record-death' },
      schema: {
        tags: ['registry'],
        summary: '死亡登记 / Record a death',
        description:
          'Ends open enrolments and employment relations with reason death and publishes the event person.died.',
        params: IdParams,
        body: DeathBody,
        response: { 200: DeathAnswer, ...errorResponses },
      },
    },
    async (req) => persons.recordDeath(actorOf(req), req.params.id, req.body),
  );
};
