// /api/v1/employments, /api/v1/enrolments, /api/v1/persons/{id}/enrolments|employments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { EmploymentService } from './employment.service.ts';
import { BackEntryService } from './back-entry.service.ts';
import {
  BackEntry,
  BackEntryApproved,
  BackEntryBody,
  CreateEnrolmentBody,
  DecisionBody,
  ReturnBody,
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
  const backEntries = new BackEntryService(ctx.db);

  app.post(
    '/api/v1/employments',
    {
      config: { action: 'employment.start' },
      schema: {
        tags: ['registry'],
        summary: '入职（建立劳动关系）/ Start an employment',
        description:
          'Enrols the employee in the employee pension, unemployment and work-injury insurance through the employer unless already enrolled; a flexible-worker or residents\u2019 pension ends the day before, with the reason in words on the enrolment and in the audit. An employer may act only for itself and names the person by full ID number and name, which must match the registry (otherwise 422 SB_ERR_IDENTITY_MISMATCH, revealing nothing); staff may give personId. The start date is at the earliest the first day of the employer\u2019s window (parameter registry/employer-backdating-months: the first day of last month; GET /api/v1/employers/{id}/staff-window); earlier → 422 SB_ERR_BACK_ENTRY_REQUIRED (a clerk files a back-entry for a reviewer).',
        body: StartEmploymentBody,
        response: { 201: StartEmploymentAnswer, ...refusals },
      },
    },
    async (req, reply) => reply.status(201).send(await employments.start(actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/employment-back-entries',
    {
      config: { action: 'employment.back-entry' },
      schema: {
        tags: ['registry'],
        summary: '补录入职申请 / File a back-dated hire for review',
        description:
          'A clerk files a hire dated before the employer\u2019s window (GET /api/v1/employers/{id}/staff-window) with a reason. Nothing changes until a reviewer (another person) approves it.',
        body: BackEntryBody,
        response: { 201: BackEntry, ...refusals },
      },
    },
    async (req, reply) => reply.status(201).send(await backEntries.request(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/employment-back-entries',
    {
      config: { action: 'employment.back-entry.read' },
      schema: {
        tags: ['registry'],
        summary: '补录入职申请列表 / Back-dated hires of the region',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('returned')]),
          ),
        }),
        response: { 200: Type.Array(BackEntry), ...errorResponses },
      },
    },
    async (req) =>
      backEntries.list(actorOf(req), req.query.status === undefined ? {} : { status: req.query.status }),
  );

  app.post(
    '/api/v1/employment-back-entries/:id/approve',
    {
      config: { action: 'employment.back-entry.review' },
      schema: {
        tags: ['registry'],
        summary: '复核通过补录 / Approve a back-dated hire',
        description:
          'A reviewer other than the clerk who filed it (and not the person hired) approves: the employment starts on the requested date, with its automatic enrolment.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: BackEntryApproved, ...refusals },
      },
    },
    async (req) => backEntries.approve(actorOf(req), req.params.id, req.body.note),
  );

  app.post(
    '/api/v1/employment-back-entries/:id/return',
    {
      config: { action: 'employment.back-entry.review' },
      schema: {
        tags: ['registry'],
        summary: '退回补录 / Return a back-dated hire to the clerk',
        params: IdParams,
        body: ReturnBody,
        response: { 200: BackEntry, ...refusals },
      },
    },
    async (req) => backEntries.return(actorOf(req), req.params.id, req.body.note),
  );

  app.post(
    '/api/v1/employments/:id/end',
    {
      config: { action: 'employment.end' },
      schema: {
        tags: ['registry'],
        summary: '离职（终止劳动关系）/ End an employment',
        description:
          'Ends the enrolments through this employer. The reason is kept: involuntary is what later opens unemployment benefit. The end date is not after today; an employer\u2019s is within its window, GET /api/v1/employers/{id}/staff-window (an older separation is recorded by a clerk), 400 naming endDate.',
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
