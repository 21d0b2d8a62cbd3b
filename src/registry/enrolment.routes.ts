// /api/v1/employments, /api/v1/enrolments, /api/v1/persons/{id}/enrolments|employments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { EmploymentService } from './employment.service.ts';
import {
  CreateEnrolmentBody,
  Employment,
  EndEmploymentAnswer,
  EndEmploymentBody,
  EndEnrolmentBody,
  Enrolment,
  FlexibleAnswer,
  FlexibleBody,
  StartEmploymentAnswer,
  StartEmploymentBody,
} from './enrolment.schema.ts';
import { EnrolmentService } from './enrolment.service.ts';
import { IdParams } from './person.routes.ts';

const refusals = { ...errorResponses, 422: errorResponses[400] };

export const enrolmentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const employments = new EmploymentService(ctx.db);
  const enrolments = new EnrolmentService(ctx.db, ctx.params);

  app.post(
    '/api/v1/employments',
    {
      config: { action: 'employment.start' },
      schema: {
        tags: ['registry'],
        summary: '入职（建立劳动关系）/ Start an employment',
        description:
          'Enrols the employee in the employee pension, unemployment and work-injury insurance through the employer unless already enrolled; a flexible-worker or residents\u2019 pension ends the day before. An employer may act only for itself.',
        body: StartEmploymentBody,
        response: { 201: StartEmploymentAnswer, ...refusals },
      },
    },
    async (req, reply) => reply.status(201).send(await employments.start(actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/employments/:id/end',
    {
      config: { action: 'employment.end' },
      schema: {
        tags: ['registry'],
        summary: '离职（终止劳动关系）/ End an employment',
        description:
          'Ends the enrolments through this employer. The reason is kept: involuntary is what later opens unemployment benefit.',
        params: IdParams,
        body: EndEmploymentBody,
        response: { 200: EndEmploymentAnswer, ...refusals },
      },
    },
    async (req) => employments.end(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/persons/:id/employments',
    {
      config: { action: 'employment.read' },
      schema: {
        tags: ['registry'],
        summary: '劳动关系记录 / A person\u2019s employments',
        params: IdParams,
        response: { 200: Type.Array(Employment), ...errorResponses },
      },
    },
    async (req) => employments.listOfPerson(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/persons/:id/enrolments',
    {
      config: { action: 'enrolment.read' },
      schema: {
        tags: ['registry'],
        summary: '参保记录 / A person\u2019s enrolments',
        params: IdParams,
        response: { 200: Type.Array(Enrolment), ...errorResponses },
      },
    },
    async (req) => enrolments.list(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/enrolments',
    {
      config: { action: 'enrolment.create' },
      schema: {
        tags: ['registry'],
        summary: '参保登记 / Enrol a person',
        body: CreateEnrolmentBody,
        response: { 201: FlexibleAnswer, ...refusals },
      },
    },
    async (req, reply) => reply.status(201).send(await enrolments.create(actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/enrolments/flexible',
    {
      config: { action: 'enrolment.flexible' },
      schema: {
        tags: ['registry'],
        summary: '灵活就业人员参保登记 / Flexible-worker self-enrolment in the employee pension',
        description:
          'A citizen enrols themself (a clerk may name the person). Decided on today\u2019s date: not employed, not already enrolled, of working age, and local hukou where the region\u2019s dated parameter registry/flexible-enrolment-requires-local-hukou says so. Refusal: 422 SB_ERR_NOT_ELIGIBLE with the reasons.',
        body: FlexibleBody,
        response: { 201: FlexibleAnswer, ...refusals },
      },
    },
    async (req, reply) => reply.status(201).send(await enrolments.flexible(actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/enrolments/:id/end',
    {
      config: { action: 'enrolment.end' },
      schema: {
        tags: ['registry'],
        summary: '终止参保 / End an enrolment',
        params: IdParams,
        body: EndEnrolmentBody,
        response: { 200: Enrolment, ...refusals },
      },
    },
    async (req) => enrolments.end(actorOf(req), req.params.id, req.body),
  );
};
