// Online payment of a citizen's own bill (online-payment.service.ts) and the region's contribution
// base limits (base-limits.service.ts):
//   POST /api/v1/bills/{id}/online-payments        the citizen: a payment order at the amount due today
//   GET  /api/v1/online-payments/{orderNo}          the citizen: the order as it stands
//   POST /api/v1/payment-gateway/notify             the gateway: its signed notice (HMAC-SHA256)
//   GET  /api/v1/payment-gateway/orders/{orderNo}   the gateway simulator's page reads the order (demo only)
//   POST /api/v1/payment-gateway/orders/{orderNo}/confirm   the payer confirms on the simulator (demo only)
//   GET  /api/v1/contributions/base-limits          average wage, minimum and maximum base of a month
// The shared secret is SHEBAO_PAYMENT_GATEWAY_SECRET (at least 32 characters). On a database the demo
// seed marked, without it, the simulator is on with a secret made fresh in each process; on a real
// database the simulator is never on (SHEBAO_PAYMENT_SIMULATOR=false turns it off on a demo too).
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import type { PublicLookupLimit } from '../http/public-lookup-limit.ts';
import { SbError } from '../core/errors.ts';
import { isDemoDatabase } from '../db/platform-meta.ts';
import { errorResponses, FenInput, PeriodString, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { BaseLimitsService } from './base-limits.service.ts';
import { OnlinePaymentService } from './online-payment.service.ts';

const OrderNo = Type.String({ pattern: '^SB[0-9A-F]{24}$' });
const Order = Type.Object({
  orderNo: Type.String(),
  billId: Type.Integer(),
  amountFen: Type.Integer(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('paid'),
    Type.Literal('refund_due'),
    Type.Literal('refunded'),
    Type.Literal('failed'),
    Type.Literal('expired'),
  ]),
  expiresAt: Type.String(),
  gatewayUrl: Type.String(),
  paymentId: Type.Union([Type.Integer(), Type.Null()]),
  paidAt: Type.Union([Type.String(), Type.Null()]),
});

/** The gateway secret: configured, or (demo simulator only) one made for this process. */
export function gatewaySecret(
  demoDatabase: boolean,
  env: NodeJS.ProcessEnv = process.env,
): {
  secret: string | null;
  simulator: boolean;
} {
  const configured = env['SHEBAO_PAYMENT_GATEWAY_SECRET'];
  if (configured !== undefined && configured !== '' && configured.length < 32)
    throw new SbError('SB_ERR_INVALID_CONFIG', {
      field: 'SHEBAO_PAYMENT_GATEWAY_SECRET',
      zh: '至少 32 个字符',
      en: 'at least 32 characters',
    });
  const off = ['0', 'false', 'no'].includes(env['SHEBAO_PAYMENT_SIMULATOR'] ?? '');
  const simulator = demoDatabase && !off;
  const secret = configured || (simulator ? randomBytes(32).toString('hex') : null);
  return { secret, simulator };
}

export const onlinePaymentRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  publicLookupLimit: PublicLookupLimit;
}> = async (app, { ctx, publicLookupLimit }) => {
  const { secret, simulator } = gatewaySecret(await isDemoDatabase(ctx.db));
  const svc = new OnlinePaymentService(ctx.db, ctx.params, secret);

  app.post(
    '/api/v1/bills/:id/online-payments',
    {
      config: { action: 'payment.online' },
      schema: {
        tags: ['contributions'],
        summary: '网上缴费：创建支付订单 / Pay online: a payment order for one’s own bill',
        description:
          'The amount is the amount due today as the server computes it (late fee included); an amount sent must equal it. The answer carries the gateway address; the payment is recorded when the gateway’s signed notice arrives.',
        params: Type.Object({ id: RowId }),
        body: Type.Object({ amountFen: Type.Optional(FenInput(1)) }, { additionalProperties: false }),
        response: { 200: Order, ...errorResponses },
      },
    },
    async (req) => svc.createOrder(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/online-payments/:orderNo',
    {
      config: { action: 'payment.online' },
      schema: {
        tags: ['contributions'],
        summary: '网上缴费订单 / A payment order',
        params: Type.Object({ orderNo: OrderNo }),
        response: { 200: Order, ...errorResponses },
      },
    },
    async (req) => svc.getOrder(actorOf(req), req.params.orderNo),
  );

  app.post(
    '/api/v1/payment-gateway/notify',
    {
      config: { public: true },
      onRequest: publicLookupLimit,
      schema: {
        tags: ['contributions'],
        summary: '支付网关通知 / The payment gateway’s signed notice',
        description:
          'signature = hex HMAC-SHA256 of "orderNo=…&gatewayRef=…&amountFen=…&status=…" with the shared secret. Idempotent: a replay answers the order as it stands.',
        body: Type.Object(
          {
            orderNo: OrderNo,
            gatewayRef: Type.String({ pattern: '^[0-9A-Za-z_-]{4,64}$' }),
            amountFen: FenInput(1),
            status: Type.Union([Type.Literal('success'), Type.Literal('failed')]),
            signature: Type.String({ maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Order, ...errorResponses },
      },
    },
    async (req) => svc.notify(req.body),
  );

  app.get(
    '/api/v1/contributions/base-limits',
    {
      config: { action: 'region.read' },
      schema: {
        tags: ['contributions'],
        summary: '缴费基数上下限 / The contribution base limits of a month',
        description: 'The region asked, or the caller’s own (an employer’s, a citizen’s, a staff member’s).',
        querystring: Type.Object({
          period: PeriodString,
          region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
        }),
        response: {
          200: Type.Object({
            region: Type.String(),
            period: Type.String(),
            averageWageFen: Type.Integer(),
            floorFen: Type.Integer(),
            ceilingFen: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => new BaseLimitsService(ctx.db, ctx.params).baseLimits(actorOf(req), req.query),
  );

  if (!simulator) return;

  app.get(
    '/api/v1/payment-gateway/orders/:orderNo',
    {
      config: { public: true },
      onRequest: publicLookupLimit,
      schema: {
        tags: ['contributions'],
        summary: '演示：支付网关模拟器读取订单 / Demo only: the gateway simulator reads an order',
        params: Type.Object({ orderNo: OrderNo }),
        response: {
          200: Type.Object({
            orderNo: Type.String(),
            amountFen: Type.Integer(),
            status: Type.String(),
            expiresAt: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.gatewayOrder(req.params.orderNo),
  );

  app.post(
    '/api/v1/payment-gateway/orders/:orderNo/confirm',
    {
      config: { public: true },
      onRequest: publicLookupLimit,
      schema: {
        tags: ['contributions'],
        summary:
          '演示：在支付网关模拟器确认或取消 / Demo only: the payer confirms or cancels on the simulator',
        description: 'The simulator then sends the server its notice, signed like a real gateway’s.',
        params: Type.Object({ orderNo: OrderNo }),
        body: Type.Object(
          { outcome: Type.Union([Type.Literal('success'), Type.Literal('failed')]) },
          { additionalProperties: false },
        ),
        response: { 200: Order, ...errorResponses },
      },
    },
    async (req) => svc.simulateGateway(req.params.orderNo, req.body.outcome),
  );
};
