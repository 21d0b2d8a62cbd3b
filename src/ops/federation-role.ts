// What kind of node this server is (issue 16): a single-province server, a province of a federation,
// or the national exchange. The web shows the federation's pages in its menu only on the nodes that
// serve their routes (a single server has none: the pages would answer 404). Public: it tells nothing
// a login page does not (the menu of every portal is the same for everyone of a role).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';

export const NodeRoleSchema = Type.Object({
  role: Type.Union([Type.Literal('single'), Type.Literal('province'), Type.Literal('national')], {
    description:
      '单机省级系统 / 联网省份 / 全国平台 — single-province server, a province of a federation, the national exchange',
  }),
  province: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()], {
    description: '联网省份代码 / the province code on a province node',
  }),
});
export type NodeRole = Static<typeof NodeRoleSchema>;

export const SINGLE_NODE: NodeRole = { role: 'single', province: null };

export const nodeRoleRoutes: FastifyPluginAsyncTypebox<{ node: NodeRole }> = async (app, { node }) => {
  app.get(
    '/api/v1/node',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary:
          '本节点的角色 / This node\u2019s role: single server, federation province or national exchange',
        response: { 200: NodeRoleSchema },
      },
    },
    async () => node,
  );
};
