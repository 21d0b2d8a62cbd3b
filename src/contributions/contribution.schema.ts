// Response shapes of the contribution routes: the same schema serialises the answer, types it and
// documents it in the OpenAPI description (/api/docs).
import { Type } from '@sinclair/typebox';
import { REVERSAL_KINDS } from './reversal.rules.ts';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);

export const FlexibleDeclarationResult = Type.Object({
  declarationId: Type.Integer(),
  floorFen: Type.Integer(),
  ceilingFen: Type.Integer(),
  billId: Nullable(Type.Integer({ description: 'the bill of the month, made at once' })),
  billTotalFen: Nullable(Type.Integer()),
});

export const ResidentTierResult = Type.Object({
  billId: Type.Integer(),
  tierFen: Type.Integer(),
  personFen: Type.Integer(),
  subsidyFen: Type.Integer(),
  governmentPaidFen: Type.Integer(),
});

export const BillView = Type.Object({
  id: Type.Integer(),
  region: Type.String(),
  period: Type.String(),
  payerKind: Type.String(),
  employerId: Nullable(Type.Integer()),
  personId: Nullable(Type.Integer()),
  backPayment: Type.Boolean(),
  dueDate: Type.String(),
  averageWageFen: Type.Integer(),
  lines: Type.Integer(),
  pensionEmployerFen: Type.Integer(),
  pensionEmployeeFen: Type.Integer(),
  personalAccountFen: Type.Integer(),
  unemploymentEmployerFen: Type.Integer(),
  unemploymentEmployeeFen: Type.Integer(),
  injuryFen: Type.Integer(),
  subsidyFen: Type.Integer(),
  waivedFen: Type.Integer(),
  totalFen: Type.Integer(),
  status: Type.String(),
  paidDate: Nullable(Type.String()),
});

export const AmountDueSchema = Type.Object({
  contributionFen: Type.Integer(),
  lateDays: Type.Integer(),
  lateFeeFen: Type.Integer(),
  totalFen: Type.Integer(),
  parts: Type.Array(
    Type.Object({ fund: Type.String(), amountFen: Type.Integer(), lateFeeFen: Type.Integer() }),
  ),
});

/** Why a payment is reversed (冲正原因; the kinds and what each does: reversal.rules.ts). */
export const ReversalKindSchema = Type.Union(REVERSAL_KINDS.map((k) => Type.Literal(k)));

const Who = Nullable(Type.String());
const PaymentStatus = Type.Union([
  Type.Literal('matched'),
  Type.Literal('unallocated'),
  Type.Literal('reversed'),
]);
/** One step of a bill's or a payment record's history, as both pages read it (money-history.service.ts). */
const MoneyHistoryEvent = Type.Object({
  at: Type.String(),
  action: Type.String({
    description:
      'the audit code; assessment.* is the issue of a bill, payment.import a bank file receipt itself',
  }),
  actorUsername: Who,
  actorRole: Who,
  reason: Who,
  paymentId: Nullable(Type.Integer({ description: 'the payment it concerns' })),
  status: Type.Union([PaymentStatus, Type.Null()], { description: 'the payment’s status after it' }),
  billId: Nullable(
    Type.Integer({ description: 'the bill it concerns: where the money went, else came from' }),
  ),
  reasonKind: Type.Union([ReversalKindSchema, Type.Null()]),
  money: Nullable(Type.String({ description: 'what a reversal did to the money (summary.money)' })),
  approvalId: Nullable(Type.Integer({ description: 'the approval whose release did this' })),
  releasedBy: Who,
});
/** A bill's history for the clerk (GET /api/v1/bills/{id}/history): no ID number, no phone. */
export const BillHistory = Type.Object({
  billId: Type.Integer(),
  lateFee: Type.Object({
    from: Type.String({ description: 'the first day the late fee runs: the day after the due date' }),
    dailyRateBp: Type.Integer({ description: 'basis points a day (5 = 0.05 %)' }),
  }),
  events: Type.Array(MoneyHistoryEvent),
  payments: Type.Array(
    Type.Object({
      paymentId: Type.Integer(),
      bankRef: Nullable(Type.String()),
      paidDate: Type.String(),
      amountFen: Type.Integer(),
      contributionFen: Type.Integer(),
      lateFeeFen: Type.Integer(),
      channel: Type.Union([Type.Literal('bank'), Type.Literal('online'), Type.Literal('recorded')]),
      status: Type.Union([Type.Literal('matched'), Type.Literal('unallocated'), Type.Literal('reversed')]),
      reversal: Type.Union([
        Type.Object({
          at: Type.String(),
          kind: Type.Union([ReversalKindSchema, Type.Null()], {
            description: 'why it was reversed; null for a reversal made before the kinds existed',
          }),
          reason: Who,
          by: Who,
          approvalId: Nullable(Type.Integer()),
          releasedBy: Who,
        }),
        Type.Null(),
      ]),
      inReview: Type.Union([Type.Object({ approvalId: Type.Integer(), kind: Type.String() }), Type.Null()]),
    }),
  ),
  openApprovals: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      makerUsername: Type.String(),
      preparedAt: Type.String(),
      reason: Who,
    }),
  ),
});

export const BillPage = Type.Object({
  items: Type.Array(BillView),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const BillDetail = Type.Object({
  bill: BillView,
  lines: Type.Array(
    Type.Object({
      person_id: Type.Integer(),
      name: Type.String(),
      id_number: Type.String({ description: 'masked' }),
      period: Type.String(),
      base_fen: Type.Integer(),
      pension_employer_fen: Type.Integer(),
      pension_employee_fen: Type.Integer(),
      personal_account_fen: Type.Integer(),
      unemployment_employer_fen: Type.Integer(),
      unemployment_employee_fen: Type.Integer(),
      injury_fen: Type.Integer(),
      waived_fen: Type.Integer(),
    }),
  ),
  due: AmountDueSchema,
});

const RateSourceSchema = Type.Object({
  parameters: Type.Array(Type.String(), {
    description: 'the params/ files, e.g. contributions/unemployment-employer-rate',
  }),
  referenceZh: Type.String(),
  reference: Type.String(),
  effectiveFrom: Type.String(),
  effectiveUntil: Nullable(Type.String({ description: 'the day before the next recorded version' })),
  uncertain: Type.Boolean({
    description: 'params/ marks the value as not verified (from memory, or an end not confirmed)',
  }),
  ended: Type.Boolean({ description: 'a phased measure no longer in force in this period' }),
});

export const BillRatesSchema = Type.Object({
  period: Type.String(),
  previousPeriod: Type.String(),
  kind: Type.Union([Type.Literal('employee'), Type.Literal('flexible')]),
  industryClass: Nullable(Type.Integer({ description: 'work-injury industry risk class (employees)' })),
  funds: Type.Array(
    Type.Object({
      fund: Type.Union([
        Type.Literal('employee_pension'),
        Type.Literal('unemployment'),
        Type.Literal('injury'),
      ]),
      baseFen: Type.Integer({ description: "sum of the lines' contribution bases" }),
      employerPpm: Type.Integer({ description: 'parts per million of the base (16% = 160000)' }),
      employeePpm: Type.Integer(),
      previousEmployerPpm: Nullable(Type.Integer()),
      previousEmployeePpm: Nullable(Type.Integer()),
      employerFen: Type.Integer({ description: "the bill's stored amount" }),
      employeeFen: Type.Integer(),
      reproduced: Type.Boolean({
        description: "each line's base × these rates, rounded per line, gives the stored amounts",
      }),
      sources: Type.Array(RateSourceSchema),
    }),
  ),
  totalFen: Type.Integer(),
});

export const PaymentView = Type.Object({
  paymentId: Type.Integer(),
  billId: Nullable(Type.Integer()),
  amountFen: Type.Integer(),
  contributionFen: Type.Integer(),
  lateFeeFen: Type.Integer(),
  lateDays: Type.Integer(),
  paidDate: Type.String(),
  bankRef: Nullable(Type.String()),
  status: Type.String(),
});

export const ReceiptImport = Type.Object({
  ok: Type.Literal(true),
  duplicateUpload: Type.Boolean(),
  matched: Type.Integer(),
  unallocated: Type.Integer(),
  skipped: Type.Integer(),
  skippedNowFree: Type.Integer({
    description:
      'a file imported before: its lines skipped then whose bank reference no record holds now (send it again with skippedAgain=true to record them)',
  }),
  results: Type.Array(
    Type.Object({
      line: Type.Integer(),
      bankRef: Type.String(),
      status: Type.Union([Type.Literal('matched'), Type.Literal('unallocated'), Type.Literal('skipped')]),
      paymentId: Nullable(Type.Integer()),
      reason: Type.Optional(Type.String()),
    }),
  ),
});

/** The bank's return file imported: per line, the reversal prepared or why none was. */
export const ReturnImport = Type.Object({
  ok: Type.Literal(true),
  duplicateUpload: Type.Boolean({ description: 'the same file was imported before: its first result' }),
  uploadId: Nullable(Type.Integer()),
  prepared: Type.Integer(),
  noReceipt: Type.Integer(),
  amountDiffers: Type.Integer(),
  reversed: Type.Integer(),
  pending: Type.Integer(),
  results: Type.Array(
    Type.Object({
      line: Type.Integer(),
      bankRef: Type.String(),
      status: Type.Union([
        Type.Literal('prepared'),
        Type.Literal('noReceipt'),
        Type.Literal('amountDiffers'),
        Type.Literal('reversed'),
        Type.Literal('pending'),
      ]),
      paymentId: Nullable(
        Type.Integer({
          description: "the region's receipt of that reference (null: noReceipt), for its page",
        }),
      ),
      approvalId: Nullable(Type.Integer()),
      reason: Type.Optional(Type.String()),
    }),
  ),
});

const HeldStatus = Type.Union([
  Type.Literal('held'),
  Type.Literal('refundDue'),
  Type.Literal('refundReview'),
  Type.Literal('allocateReview'),
]);

/** The clerk's list of held receipts (暂收款). */

/** Whose money a receipt is, when known (an employer or a person), as the held list and the payment search show it. */
const ReceiptPayer = Type.Union([
  Type.Object({
    kind: Type.Union([Type.Literal('employer'), Type.Literal('person')]),
    id: Type.Integer(),
    name: Type.String(),
  }),
  Type.Null(),
]);
export const HeldReceipts = Type.Object({
  region: Type.String(),
  asOf: Type.String(),
  items: Type.Array(
    Type.Object({
      paymentId: Type.Integer(),
      bankRef: Nullable(Type.String()),
      paidDate: Type.String(),
      daysHeld: Type.Integer(),
      amountFen: Type.Integer(),
      billId: Nullable(Type.Integer()),
      billPeriod: Nullable(Type.String()),
      payer: ReceiptPayer,
      source: Type.Union([Type.Literal('bank-file'), Type.Literal('online-order')]),
      orderNo: Nullable(Type.String()),
      status: HeldStatus,
      approvalId: Nullable(
        Type.Integer({
          description: 'the approval its refund or allocation awaits (refundReview, allocateReview)',
        }),
      ),
      offWrongBill: Type.Boolean({
        description:
          'taken off the bill it names (billId) as posted to the wrong bill: no payer known, its next allocation needs a reviewer',
      }),
    }),
  ),
  totals: Type.Array(Type.Object({ status: HeldStatus, count: Type.Integer(), amountFen: Type.Integer() })),
});

export const Allocation = Type.Object({
  paymentId: Type.Integer(),
  billId: Type.Integer(),
  amountFen: Type.Integer(),
  contributionFen: Type.Integer(),
  lateFeeFen: Type.Integer(),
  paidDate: Type.String(),
  status: Type.Literal('matched'),
});

/** Held receipts that paid a bill together: the bill's sum and paid date, and each receipt's share. */
export const JointAllocation = Type.Object({
  billId: Type.Integer(),
  amountFen: Type.Integer(),
  contributionFen: Type.Integer(),
  lateFeeFen: Type.Integer(),
  paidDate: Type.String({ description: 'the day the last receipt came: the late fee runs to it' }),
  status: Type.Literal('matched'),
  payments: Type.Array(
    Type.Object({
      paymentId: Type.Integer(),
      bankRef: Type.Union([Type.String(), Type.Null()]),
      paidDate: Type.String(),
      amountFen: Type.Integer(),
      contributionFen: Type.Integer(),
      lateFeeFen: Type.Integer(),
    }),
  ),
});

export const ArrearsReport = Type.Object({
  asOf: Type.String(),
  items: Type.Array(Type.Object({ bill: BillView, due: AmountDueSchema })),
  totalArrearsFen: Type.Integer(),
  totalLateFeeFen: Type.Integer(),
});

const Scheme = Type.Union([Type.Literal('employee_pension'), Type.Literal('resident_pension')]);

export const PersonRecordSchema = Type.Object({
  person: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    idNumberMasked: Type.String(),
    region: Type.String(),
  }),
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      scheme: Scheme,
      pensionMonths: Type.Integer(),
      unemploymentMonths: Type.Integer(),
      injuryMonths: Type.Integer(),
      unpaidMonths: Type.Integer(),
      averageBaseFen: Type.Integer(),
      contributionIndex: Type.Union([Type.Number(), Type.Null()], {
        description: 'the year’s mean monthly index, 4 decimals (display)',
      }),
      accountCreditFen: Type.Integer(),
      interestFen: Type.Integer(),
      closingBalanceFen: Type.Integer(),
      credited: Type.Union(
        [
          Type.Object({
            kind: Type.Union([Type.Literal('transfer'), Type.Literal('bridging')]),
            fromProvince: Type.Union([Type.String(), Type.Null()]),
          }),
          Type.Null(),
        ],
        {
          description:
            'null: paid here; else credited by a pension transfer (from a province) or a scheme bridging',
        },
      ),
      movedOut: Type.Union([Type.Object({ toProvince: Type.String() }), Type.Null()], {
        description:
          'null, or the pension relation of these months moved to that province (66号): shown, not counted here; a row with no months and a negative credit is the account that moved',
      }),
    }),
  ),
  totals: Type.Object({
    employeePensionMonths: Type.Integer(),
    unemploymentMonths: Type.Integer(),
    injuryMonths: Type.Integer(),
    residentPensionYears: Type.Integer(),
    averageContributionIndex: Type.Union([Type.Number(), Type.Null()], {
      description: 'Z from contribution-index.rules.ts, 4 decimals',
    }),
  }),
  personalAccount: Type.Object({
    employeePensionFen: Type.Integer(),
    residentPensionFen: Type.Integer(),
    interestFen: Type.Integer(),
  }),
  employers: Type.Array(
    Type.Object({
      employerId: Type.Integer(),
      name: Type.String(),
      creditCode: Type.String(),
      firstPeriod: Type.String(),
      lastPeriod: Type.String(),
      months: Type.Integer(),
    }),
  ),
});

/** Payments a clerk looked up by bank reference or bill (to prepare a bank return, 退票). */
export const FoundPayments = Type.Object({
  region: Type.String(),
  items: Type.Array(
    Type.Object({
      paymentId: Type.Integer(),
      bankRef: Nullable(Type.String()),
      paidDate: Type.String(),
      amountFen: Type.Integer(),
      status: Type.Union([Type.Literal('matched'), Type.Literal('unallocated'), Type.Literal('reversed')]),
      billId: Nullable(Type.Integer()),
      billPeriod: Nullable(Type.String()),
      payer: ReceiptPayer,
      reversalReview: Nullable(Type.Integer({ description: 'the reversal waiting for its reviewer' })),
      heldAgain: Type.Array(
        Type.Object({
          paymentId: Type.Integer(),
          bankRef: Nullable(Type.String()),
          amountFen: Type.Integer(),
          paidDate: Type.String(),
        }),
        { description: 'the other receipts of a bill paid together: a return puts them back to held' },
      ),
    }),
  ),
});

const PaymentChannel = Type.Union([Type.Literal('bank'), Type.Literal('online'), Type.Literal('recorded')]);

/**
 * One payment record (缴费到账记录) for the staff's receipt page (GET /api/v1/payments/{id}): the bank's
 * line, the bills it paid, what happened to it and the approvals on it. No ID number, no phone.
 */
export const PaymentRecord = Type.Object({
  paymentId: Type.Integer(),
  bankRef: Nullable(Type.String()),
  paidDate: Type.String({ description: 'the day the money came' }),
  amountFen: Type.Integer(),
  contributionFen: Type.Integer({ description: 'of which contributions (0 while held)' }),
  lateFeeFen: Type.Integer({ description: 'of which late fee (0 while held)' }),
  channel: PaymentChannel,
  file: Type.Union(
    [Type.Object({ uploadId: Type.Integer(), filename: Nullable(Type.String()) }), Type.Null()],
    {
      description: 'the bank receipt file it came in',
    },
  ),
  orderNo: Nullable(Type.String({ description: 'the online order whose money it is' })),
  status: PaymentStatus,
  held: Type.Union([HeldStatus, Type.Null()], {
    description:
      'while unallocated: to handle, an online surplus owed back, or a refund or allocation in review',
  }),
  reasonKind: Type.Union([ReversalKindSchema, Type.Null()], { description: 'why it was last reversed' }),
  named: Type.Object(
    { billId: Nullable(Type.Integer()), payer: ReceiptPayer },
    {
      description:
        "the bank line as it came: the bill of this region it named (null: none) and that bill's payer",
    },
  ),
  /** whose money the record is now held to be (null: not known) */
  payer: ReceiptPayer,
  bills: Type.Array(
    Type.Object({
      billId: Type.Integer(),
      period: Type.String(),
      status: Type.String({ description: "the bill's status today" }),
      paysNow: Type.Boolean({ description: 'this record pays the bill today' }),
    }),
    { description: 'every bill of the region the record named or paid, oldest first' },
  ),
  events: Type.Array(MoneyHistoryEvent),
  approvals: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      status: Type.Union([Type.Literal('prepared'), Type.Literal('released'), Type.Literal('returned')]),
      makerUsername: Type.String(),
      preparedAt: Type.String(),
      checkerUsername: Who,
      decidedAt: Who,
      reason: Who,
    }),
  ),
});
