// The registry's routes as one plugin for the server assembly.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.ts';
import type { PublicLookupLimit } from '../http/public-lookup-limit.ts';
import { coverageRoutes } from './coverage.routes.ts';
import { employerRoutes } from './employer.routes.ts';
import { enrolmentRoutes } from './enrolment.routes.ts';
import { personRoutes } from './person.routes.ts';
import { regionRoutes } from './region.routes.ts';

export const registryRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  publicLookupLimit: PublicLookupLimit;
}> = async (app, { ctx, publicLookupLimit }) => {
  await app.register(regionRoutes, { ctx, publicLookupLimit });
  await app.register(personRoutes, { ctx });
  await app.register(employerRoutes, { ctx });
  await app.register(enrolmentRoutes, { ctx });
  await app.register(coverageRoutes, { ctx });
};
