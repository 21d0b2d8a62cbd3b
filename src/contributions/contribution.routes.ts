// /api/v1 contributions: declarations (JSON and CSV with a template), flexible bases, residents'
// tiers, assessments, bills, payments (API and bank receipts), arrears, the person's record (JSON
// and a printable page). (The fund report and the ledger verification are ledger/ledger.routes.ts.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { MoneyApprovalService } from './money-approval.service.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { MAX_LISTED_ERRORS } from '../core/csv.ts';
import { authorize } from '../auth/policy.ts';
import { enqueueJob, JobQueuedSchema } from '../http/background-jobs.ts';
import {
  errorResponses,
  FenInput,
  IsoDateString,
  MAX_PAGE,
  PeriodString,
  RegionCode,
  RowId,
} from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import {
  ArrearsReport,
  BillDetail,
  BillHistory,
  BillPage,
  BillRatesSchema,
  Allocation,
  AmountDueSchema,
  FlexibleDeclarationResult,
  JointAllocation,
  FoundPayments,
  HeldReceipts,
  PaymentRecord,
  PaymentView,
  PersonRecordSchema,
  ReceiptImport,
  ResidentTierResult,
  ReturnImport,
  ReversalKindSchema,
} from './contribution.schema.ts';
import { ContributionService, type DeclareResult } from './contribution.service.ts';
import { checkPeriod, DECLARATION_TEMPLATE, RECEIPT_HEADER } from './declaration.rules.ts';
import { RETURN_HEADER } from './bank-return.rules.ts';
import { BankReturnService } from './bank-return.service.ts';
import { RecordService } from './record.service.ts';
import { recordHtml } from './record-html.ts';
import { FlexibleBillingService } from './flexible-billing.service.ts';
import { HeldReceiptService } from './held-receipt.service.ts';
import { PaymentHistoryService } from './payment-history.service.ts';
import { attachment } from '../http/attachment.ts';

const Id = Type.Object({ id: RowId });
const LineErrors = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    lines: Type.Optional(
      Type.Array(
        Type.Object({
          line: Type.Integer(),
          field: Type.String(),
          reason: Type.String(),
          reasonZh: Type.String(),
        }),
      ),
    ),
  }),
});
const DeclareOk = Type.Object({
  ok: Type.Literal(true),
  inserted: Type.Integer(),
  replaced: Type.Integer(),
  unchanged: Type.Integer(),
  duplicateUpload: Type.Boolean(),
  uploadId: Type.Union([Type.Integer(), Type.Null()]),
  changes: Type.Array(
    Type.Object({
      personId: Type.Integer(),
      name: Type.String(),
      period: Type.String(),
      beforeFen: Type.Integer(),
      afterFen: Type.Integer(),
    }),
    { description: 'corrections: the wage held before and the one declared now' },
  ),
});

const DeclarationMonth = Type.Object({
  period: Type.String(),
  persons: Type.Integer(),
  wageTotalFen: Type.Integer(),
  declaredAt: Type.String(),
  billed: Type.Boolean(),
});

/**
 * A refused file's answer: every problem counted, the first MAX_LISTED_ERRORS listed by line. A 7 MB file of
 * bad lines listed 666,663 of them — half a minute of the server's time and an answer of tens of megabytes for
 * a page that shows a table.
 */
function uploadRejected(errors: Array<{ line: number; field: string; reason: string; reasonZh: string }>) {
  const more = errors.length > MAX_LISTED_ERRORS;
  const e = new SbError('SB_ERR_INVALID_UPLOAD', {
    zh: `${errors.length} 处错误${more ? `（列出前 ${MAX_LISTED_ERRORS} 处）` : ''}`,
    en: `${errors.length} problems${more ? ` (the first ${MAX_LISTED_ERRORS} listed)` : ''}`,
  });
  // a problem of the whole file (its header, the line cap) is listed even past the first 1,000
  const listed = [
    ...errors.slice(0, MAX_LISTED_ERRORS),
    ...errors.slice(MAX_LISTED_ERRORS).filter((l) => l.field === '(file)' || l.field === '(header)'),
  ];
  return { error: { ...e.toBody(), field: '(file)', lines: listed } };
}

/** A bank file's text and the region it is for (the caller's own unless the query names one). */
function csvUpload(body: unknown, region: string | null | undefined): { region: string; text: string } {
  if (typeof body !== 'string')
    throw new SbError('SB_ERR_VALIDATION', {
      field: '(body)',
      zh: '请以 text/csv 上传文件',
      en: 'send the file as text/csv',
    });
  if (!region) throw new SbError('SB_ERR_REQUIRED', { field: 'region' });
  return { region, text: body };
}

/** The background job kind of an assessment started from the page (src/server.ts runs it). */
export const ASSESS_JOB = 'contributions.assess';

export const contributionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = new ContributionService(ctx.db, ctx.params);
  app.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: 8 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  const sendDeclare = (r: DeclareResult, reply: { status(n: number): { send(b: unknown): unknown } }) =>
    r.ok ? reply.status(200).send(r) : reply.status(400).send(uploadRejected(r.errors));

  app.get(
    '/api/v1/contributions/declarations/template.csv',
    {
      config: { public: true },
      schema: {
        tags: ['contributions'],
        summary: '申报模板 / Declaration CSV template',
        description: 'See docs/contribution-csv.md.',
        response: { 200: { content: { 'text/csv': { schema: Type.String() } } } },
      },
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment('declaration-template.csv'))
        .send(`\uFEFF${DECLARATION_TEMPLATE}`),
  );

  app.post(
    '/api/v1/employers/:id/declarations',
    {
      config: { action: 'declaration.submit' },
      schema: {
        tags: ['contributions'],
        summary: '缴费工资申报 / Declare monthly wages (JSON)',
        description:
          'All or nothing: any bad line → 400 SB_ERR_INVALID_UPLOAD with every bad line (line = index + 1), and nothing is written; a period that is no month is refused first, 400 SB_ERR_INVALID_PERIOD naming the line (field lines.<index>.period). A line identical to what is held is unchanged.',
        params: Id,
        body: Type.Object(
          {
            lines: Type.Array(
              Type.Object(
                {
                  idNumber: Type.Optional(Type.String({ maxLength: 18 })),
                  personId: Type.Optional(RowId),
                  name: Type.Optional(Type.String({ maxLength: 100 })),
                  period: PeriodString,
                  wageFen: FenInput(0, 'wage'),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50_000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: DeclareOk,
          400: LineErrors,
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
        },
      },
    },
    async (req, reply) => {
      const lines = req.body.lines.map((l, i) => ({
        line: i + 1,
        period: l.period,
        wageFen: l.wageFen,
        ...(l.idNumber === undefined ? {} : { idNumber: l.idNumber.trim().toUpperCase() }),
        ...(l.personId === undefined ? {} : { personId: l.personId }),
        ...(l.name === undefined ? {} : { name: l.name }),
      }));
      return sendDeclare(await svc.declare(actorOf(req), req.params.id, { lines }), reply);
    },
  );

  app.get(
    '/api/v1/employers/:id/declarations',
    {
      config: { action: 'declaration.submit' },
      schema: {
        tags: ['contributions'],
        summary: '申报记录 / The employer’s declarations by month',
        description: 'Newest month first: people declared, wage total, when first declared, whether billed.',
        params: Id,
        querystring: Type.Object({
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(DeclarationMonth),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      svc.declarationHistory(actorOf(req), req.params.id, {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 24,
      }),
  );

  app.post(
    '/api/v1/employers/:id/declarations.csv',
    {
      config: { action: 'declaration.submit' },
      schema: {
        tags: ['contributions'],
        summary: '缴费工资申报（CSV 上传）/ Declare monthly wages (CSV upload)',
        description:
          'Body: the CSV file (content-type text/csv), header id_number,name,period,wage_yuan (wages in yuan, at most two decimals; wage_fen for integer fen), format in docs/contribution-csv.md. Any bad line → 400 with every bad line, nothing written. The same file twice → duplicateUpload: true, nothing changed.',
        params: Id,
        querystring: Type.Object({ filename: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: {
          200: DeclareOk,
          400: LineErrors,
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
        },
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string')
        throw new SbError('SB_ERR_VALIDATION', {
          field: '(body)',
          zh: '请以 text/csv 上传文件',
          en: 'send the file as text/csv',
        });
      return sendDeclare(
        await svc.declareCsv(actorOf(req), req.params.id, req.body, req.query.filename ?? null),
        reply,
      );
    },
  );

  app.post(
    '/api/v1/persons/:id/flexible-declarations',
    {
      config: { action: 'declaration.flexible' },
      schema: {
        tags: ['contributions'],
        summary: '灵活就业人员缴费基数申报 / A flexible worker declares a base (60%–300%)',
        params: Id,
        body: Type.Object(
          { period: PeriodString, baseFen: FenInput(0, 'wage') },
          { additionalProperties: false },
        ),
        response: { 200: FlexibleDeclarationResult, ...errorResponses },
      },
    },
    async (req) =>
      new FlexibleBillingService(svc, ctx.db, ctx.params).declareAndBill(
        actorOf(req),
        req.params.id,
        req.body,
      ),
  );

  app.post(
    '/api/v1/persons/:id/resident-tier',
    {
      config: { action: 'declaration.resident' },
      schema: {
        tags: ['contributions'],
        summary: '城乡居民养老保险缴费档次 / A resident chooses the year\u2019s tier',
        description:
          'The subsidy is added; for hardship groups the government pays the lowest tier (代缴). A resident chooses this year\u2019s tier; an earlier year is recorded by a clerk.',
        params: Id,
        body: Type.Object(
          {
            // the residents' tiers start in 2014 (the service also refuses a year after this one)
            year: Type.Integer({ minimum: 2014, maximum: 2100 }),
            tierFen: FenInput(1, 'wage'),
          },
          { additionalProperties: false },
        ),
        response: { 200: ResidentTierResult, ...errorResponses },
      },
    },
    async (req) => svc.chooseResidentTier(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/contributions/assessments',
    {
      config: { action: 'assessment.run' },
      schema: {
        tags: ['contributions'],
        summary: '核定征缴 / Assess a period into bills',
        description:
          'Set-based; a later run picks up late declarations (补缴 bills with the late fee from the original due date). Runs as a background job: 202 with the job; GET /api/v1/jobs/{id} answers the summary (bills, totals) as its result when it is done.',
        body: Type.Object(
          { period: PeriodString, region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) },
          { additionalProperties: false },
        ),
        response: { 202: JobQueuedSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const region = req.body.region ?? actor.region;
      if (!region) throw new SbError('SB_ERR_REQUIRED', { field: 'region' });
      // Refused at once (403, 422) rather than as a failed job.
      authorize(actor, 'assessment.run', { region });
      const pe = checkPeriod(0, req.body.period, today());
      if (pe) throw new SbError('SB_ERR_INVALID_PERIOD', { field: 'period', zh: pe.reasonZh, en: pe.reason });
      const job = await enqueueJob(ctx.db, actor, {
        kind: ASSESS_JOB,
        key: `${region}:${req.body.period}`,
        params: { region, period: req.body.period },
        region,
      });
      app.kickJobs();
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/api/v1/bills',
    {
      config: { action: 'bill.read' },
      schema: {
        tags: ['contributions'],
        summary: '账单查询 / Bills',
        querystring: Type.Object({
          employerId: Type.Optional(RowId),
          personId: Type.Optional(RowId),
          region: Type.Optional(RegionCode),
          period: Type.Optional(PeriodString),
          status: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('cancelled')]),
          ),
          page: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
        }),
        response: { 200: BillPage, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      return svc.listBills(actorOf(req), {
        page: q.page,
        pageSize: q.pageSize,
        ...(q.employerId === undefined ? {} : { employerId: q.employerId }),
        ...(q.personId === undefined ? {} : { personId: q.personId }),
        ...(q.region === undefined ? {} : { region: q.region }),
        ...(q.period === undefined ? {} : { period: q.period }),
        ...(q.status === undefined ? {} : { status: q.status }),
      });
    },
  );

  app.get(
    '/api/v1/bills/:id',
    {
      config: { action: 'bill.read' },
      schema: {
        tags: ['contributions'],
        summary: '账单详情（含每人明细与应缴金额）/ A bill with its lines and the amount due today',
        params: Id,
        response: { 200: BillDetail, ...errorResponses },
      },
    },
    async (req) => svc.getBill(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/bills/:id/rates',
    {
      config: { action: 'bill.read' },
      schema: {
        tags: ['contributions'],
        summary: '账单费率与依据（分险种）/ The rates behind a bill, per fund, with their sources',
        description:
          "Per fund: the staff's base total, the employer's and the employee's rate the contribution rule resolves for the bill's region, period and industry class (and the previous period's), the bill's stored amounts, whether those rates reproduce them line by line, and each parameter's source from params/. Another payer's or region's bill answers 404 like an unknown number; a resident's bill (a yearly tier) 422.",
        params: Id,
        response: { 200: BillRatesSchema, ...errorResponses, 422: errorResponses[400] },
      },
    },
    async (req) => svc.bills.getBillRates(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/bills/:id/history',
    {
      config: { action: 'bill.history' },
      schema: {
        tags: ['contributions'],
        summary:
          '账单经过（开具、缴费、退票、作废、待复核）/ What happened to a bill: issued, paid, returned, cancelled, awaiting review',
        description:
          "Staff of the bill's region: the payments that named it (channel; a reversal with its reason and reviewer), the audit entries of the bill and its payments (reads left out), the approvals open on either, and from when the late fee runs. A payer: 403. Another region's bill answers 404 like an unknown number.",
        params: Id,
        response: { 200: BillHistory, ...errorResponses },
      },
    },
    async (req) => svc.bills.getBillHistory(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/bills/:id/payments',
    {
      config: { action: 'payment.record' },
      schema: {
        tags: ['contributions'],
        summary: '缴费 / Pay a bill',
        description:
          'The whole amount due on the payment date (contributions + late fee); a different amountFen → 409 SB_ERR_AMOUNT_MISMATCH. bankRef makes a retry idempotent. An employer\u2019s payment is dated by the server (today): a paidDate it sends is ignored. Staff may give an earlier paidDate only with a reason, which is audited.',
        params: Id,
        body: Type.Object(
          {
            amountFen: Type.Optional(FenInput(1)),
            paidDate: Type.Optional(IsoDateString),
            bankRef: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{4,64}$' })),
            reason: Type.Optional(
              Type.String({
                minLength: 2,
                maxLength: 500,
                description: 'required (staff) for a date before today',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PaymentView, ...errorResponses },
      },
    },
    async (req) =>
      svc.pay(actorOf(req), req.params.id, {
        ...(req.body.amountFen === undefined ? {} : { amountFen: req.body.amountFen }),
        ...(req.body.paidDate === undefined ? {} : { paidDate: req.body.paidDate }),
        ...(req.body.bankRef === undefined ? {} : { bankRef: req.body.bankRef }),
        ...(req.body.reason === undefined ? {} : { reason: req.body.reason }),
      }),
  );

  app.post(
    '/api/v1/bills/:id/cancel',
    {
      config: { action: 'bill.cancel' },
      schema: {
        tags: ['contributions'],
        summary: '申请作废账单（待复核放行）/ Prepare cancelling an open bill (a reviewer releases it)',
        params: Id,
        body: Type.Object(
          { reason: Type.String({ minLength: 2, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) =>
      new MoneyApprovalService(ctx.db).prepareBillCancel(actorOf(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/v1/payments/:id/reverse',
    {
      config: { action: 'payment.reverse' },
      schema: {
        tags: ['contributions'],
        summary:
          '申请冲正缴费或暂收款退费（待复核放行）/ Prepare reversing a payment or refunding a held receipt (a reviewer releases it)',
        description:
          'reasonKind says why, and words the payer\u2019s message: bank_return (the bank returned the money), wrong_bill (posted to another payer\u2019s or period\u2019s bill; a paid bill\u2019s payment only), duplicate (posted twice), keying_error (a receipt keyed wrongly), refund (a held receipt returned to its payer; held receipts only). reason is the clerk\u2019s note for the reviewer and the audit; the payer never reads it.',
        params: Id,
        body: Type.Object(
          { reasonKind: ReversalKindSchema, reason: Type.String({ minLength: 2, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) =>
      new MoneyApprovalService(ctx.db).preparePaymentReverse(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/payments',
    {
      config: { action: 'payment.reverse' },
      schema: {
        tags: ['contributions'],
        summary:
          '按流水号或账单号查找款项（办理银行退票）/ Find payments by bank reference or bill number (for a bank return)',
        description:
          'The clerk\u2019s region only; newest first, at most 50. Each matched payment of a bill paid together lists the other receipts a return would put back to held.',
        querystring: Type.Object({
          bankRef: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          billId: Type.Optional(RowId),
        }),
        response: { 200: FoundPayments, ...errorResponses },
      },
    },
    async (req) =>
      new HeldReceiptService(ctx.db, ctx.params).find(actorOf(req), {
        ...(req.query.bankRef === undefined ? {} : { bankRef: req.query.bankRef }),
        ...(req.query.billId === undefined ? {} : { billId: req.query.billId }),
      }),
  );

  app.get(
    '/api/v1/payments/:id',
    {
      config: { action: 'payment.read' },
      schema: {
        tags: ['contributions'],
        summary:
          '缴费到账记录（银行流水、所缴账单、经过、复核）/ One payment record: the bank line, the bills it paid, what happened to it, its approvals',
        description:
          "Staff of the record's region: the day the money came, the amount, the bank reference, the bill the bank line named and that bill's payer, whose money it is held to be now, every bill it named or paid, its audit history (arrived, held, allocated, reversed by kind with what the money did, refunded, held again; reads left out) and the approvals on it, open and decided. A payer: 403. Another region's record answers 404 like an unknown id.",
        params: Id,
        response: { 200: PaymentRecord, ...errorResponses },
      },
    },
    async (req) => new PaymentHistoryService(ctx.db).getPayment(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/payments/held',
    {
      config: { action: 'payment.import' },
      schema: {
        tags: ['contributions'],
        summary: '暂收款清单 / Held receipts (unallocated), oldest first, with totals per status',
        description:
          'Receipts that paid no bill (a bank receipt matching no open bill, a second online order), of the clerk\u2019s region. minDays: held at least so many days.',
        querystring: Type.Object({
          region: Type.Optional(RegionCode),
          minDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
        }),
        response: { 200: HeldReceipts, ...errorResponses },
      },
    },
    async (req) =>
      new HeldReceiptService(ctx.db, ctx.params).list(actorOf(req), {
        ...(req.query.region === undefined ? {} : { region: req.query.region }),
        ...(req.query.minDays === undefined ? {} : { minDays: req.query.minDays }),
      }),
  );

  app.post(
    '/api/v1/payments/:id/allocate',
    {
      config: { action: 'payment.import' },
      schema: {
        tags: ['contributions'],
        summary: '暂收款分配到账单 / Allocate a held receipt to an open bill it pays exactly',
        description:
          'The receipt must equal the amount due on the day the money came (late fee to that day); a part or a surplus is refused (409 SB_ERR_AMOUNT_MISMATCH) with what to do instead. A receipt of no known payer, or of a payer other than the bill\u2019s, is not allocated: 202 with the approval prepared for a reviewer (kind payment.allocate). Refund a held receipt with POST /api/v1/payments/{id}/reverse.',
        params: Id,
        body: Type.Object(
          {
            billId: RowId,
            reason: Type.String({ minLength: 2, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Allocation, 202: ApprovalSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await new HeldReceiptService(ctx.db, ctx.params).allocate(
        actorOf(req),
        req.params.id,
        req.body,
      );
      // held money of another or no known payer: prepared for a reviewer, not yet moved
      if ('kind' in r) return reply.code(202).send(r);
      return r;
    },
  );

  app.get(
    '/api/v1/payments/held/due',
    {
      config: { action: 'payment.import' },
      schema: {
        tags: ['contributions'],
        summary:
          '账单在某日的应缴金额（合并分配前核对）/ An open bill\u2019s amount due on a day, to weigh held receipts against',
        description:
          'on: the day the last chosen receipt came (the late fee runs to it). Another region\u2019s bill answers 404 as an unknown number; a bill not open 409.',
        querystring: Type.Object({ billId: RowId, on: IsoDateString }),
        response: {
          200: Type.Object({
            billId: Type.Integer(),
            period: Type.String(),
            on: Type.String(),
            due: AmountDueSchema,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      new HeldReceiptService(ctx.db, ctx.params).dueOn(actorOf(req), req.query.billId, req.query.on),
  );

  app.post(
    '/api/v1/payments/allocate',
    {
      config: { action: 'payment.import' },
      schema: {
        tags: ['contributions'],
        summary:
          '多笔暂收款合并分配到账单 / Allocate held receipts (a short one and its top-up) to an open bill they pay exactly together',
        description:
          'The receipts together must equal the amount due on the day the last of them came (late fee to that day, the bill\u2019s paid date). A sum short or over is refused (409 SB_ERR_AMOUNT_MISMATCH) with both figures, and nothing is written. Receipts of online orders or under refund review are refused.',
        body: Type.Object(
          {
            paymentIds: Type.Array(RowId, { minItems: 1, maxItems: 20 }),
            billId: RowId,
            reason: Type.String({ minLength: 2, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: JointAllocation, 202: ApprovalSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await new HeldReceiptService(ctx.db, ctx.params).allocateTogether(actorOf(req), req.body);
      if ('kind' in r) return reply.code(202).send(r);
      return r;
    },
  );

  app.post(
    '/api/v1/payments/bank-receipts.csv',
    {
      config: { action: 'payment.import' },
      schema: {
        tags: ['contributions'],
        summary: '银行到账回单导入 / Import bank receipts (CSV)',
        description: `Header ${RECEIPT_HEADER.join(',')} (amount_yuan for amounts in yuan, at most two decimals). Malformed lines reject the file; a receipt that matches no open bill exactly is held as an unallocated receipt; a line whose bank reference a record already holds is skipped. The same file twice changes nothing, and says how many of its skipped lines no record holds the reference of now (skippedNowFree: the record that held it was withdrawn as keyed wrongly); sent again with skippedAgain=true, exactly those lines are recorded (audited payment.import-skipped), once.`,
        querystring: Type.Object({
          region: Type.Optional(RegionCode),
          filename: Type.Optional(Type.String({ maxLength: 200 })),
          skippedAgain: Type.Optional(
            Type.Boolean({
              description:
                'a file imported before: record its skipped lines whose reference is free now (重新处理跳过的行)',
            }),
          ),
        }),
        response: { 200: ReceiptImport, 400: LineErrors, 401: errorResponses[401], 403: errorResponses[403] },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { region, text } = csvUpload(req.body, req.query.region ?? actor.region);
      const r = await svc.importReceipts(actor, region, text, req.query.filename ?? null, {
        skippedAgain: req.query.skippedAgain === true,
      });
      return r.ok ? r : reply.status(400).send(uploadRejected(r.errors));
    },
  );

  app.post(
    '/api/v1/payments/bank-returns.csv',
    {
      config: { action: 'payment.reverse' },
      schema: {
        tags: ['contributions'],
        summary:
          '银行退票文件导入 / Import the bank\u2019s return file (CSV): each returned credit prepared as a reversal for review',
        description: `Header ${RETURN_HEADER.join(',')} (amount_yuan for amounts in yuan). Malformed lines reject the file (400, line and column named, no value echoed). Each line is matched to a receipt of the clerk\u2019s region by bank reference and amount and becomes a prepared reversal of kind bank_return (no money moves until a reviewer releases it); otherwise its line says why (noReceipt — also for another region\u2019s receipt —, amountDiffers, reversed, pending). The same file twice answers its first result and prepares nothing.`,
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          filename: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: ReturnImport, 400: LineErrors, 401: errorResponses[401], 403: errorResponses[403] },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { region, text } = csvUpload(req.body, req.query.region ?? actor.region);
      const r = await new BankReturnService(ctx.db).importReturns(
        actor,
        region,
        text,
        req.query.filename ?? null,
      );
      return r.ok ? r : reply.status(400).send(uploadRejected(r.errors));
    },
  );

  app.get(
    '/api/v1/payments/bank-returns/demo-sample',
    {
      config: { action: 'payment.reverse' },
      schema: {
        tags: ['contributions'],
        summary:
          '演示用示例退票文件 / The demo city\u2019s sample return file, built from the region\u2019s receipts',
        description:
          'Only in the demo database (404 elsewhere): a return file (csv) whose lines give each result of the import as the receipts stand — prepared, pending, reversed, amountDiffers, noReceipt (a result no receipt can give is left out) — and what each line is expected to give. Nothing is written.',
        response: {
          200: Type.Object({
            filename: Type.String(),
            csv: Type.String(),
            lines: Type.Array(
              Type.Object({
                bankRef: Type.String(),
                amountFen: Type.Integer(),
                expect: Type.Union(
                  (['prepared', 'noReceipt', 'amountDiffers', 'reversed', 'pending'] as const).map((k) =>
                    Type.Literal(k),
                  ),
                ),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => new BankReturnService(ctx.db).demoSample(actorOf(req)),
  );

  app.get(
    '/api/v1/contributions/arrears',
    {
      config: { action: 'bill.read' },
      schema: {
        tags: ['contributions'],
        summary: '欠费及滞纳金 / Arrears with the late fee to date',
        querystring: Type.Object({
          region: Type.Optional(RegionCode),
          employerId: Type.Optional(RowId),
          asOf: Type.Optional(IsoDateString),
        }),
        response: { 200: ArrearsReport, ...errorResponses },
      },
    },
    async (req) =>
      svc.arrears(actorOf(req), {
        ...(req.query.region === undefined ? {} : { region: req.query.region }),
        ...(req.query.employerId === undefined ? {} : { employerId: req.query.employerId }),
        ...(req.query.asOf === undefined ? {} : { asOf: req.query.asOf }),
      }),
  );

  app.get(
    '/api/v1/persons/:id/record',
    {
      config: { action: 'record.read' },
      schema: {
        tags: ['contributions'],
        summary: '个人权益记录单 / The person\u2019s record',
        description:
          'Months per scheme and year, bases, indices, account balance and interest, employers. Citizens: their own; staff: their region (audited).',
        params: Id,
        response: { 200: PersonRecordSchema, ...errorResponses },
      },
    },
    async (req) => new RecordService(ctx.db, ctx.params).personRecord(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/persons/:id/record.html',
    {
      config: { action: 'record.read' },
      schema: {
        tags: ['contributions'],
        summary: '个人权益记录单（打印）/ Printable record',
        params: Id,
        response: { 200: { content: { 'text/html': { schema: Type.String() } } }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await new RecordService(ctx.db, ctx.params).personRecord(actorOf(req), req.params.id);
      return reply.header('content-type', 'text/html; charset=utf-8').send(recordHtml(r, today()));
    },
  );
};
