// Request and response shapes of the enrolment and employment routes.
import { Type, type Static } from '@sinclair/typebox';
import { IsoDateString, MAX_ROW_ID, RowId, TraceSchema } from '../http/schemas.ts';
import { endReasonsDescribed } from './employment-codes.rules.ts';
import { Nullable } from './person.schema.ts';

export const SchemeSchema = Type.Union(
  [
    Type.Literal('employee_pension'),
    Type.Literal('resident_pension'),
    Type.Literal('unemployment'),
    Type.Literal('injury'),
  ],
  {
    description:
      'employee_pension 企业职工基本养老保险 · resident_pension 城乡居民基本养老保险 · unemployment 失业保险 · injury 工伤保险',
  },
);
const Kind = Type.Union([Type.Literal('employee'), Type.Literal('flexible'), Type.Literal('resident')], {
  description:
    'employee: through an employer · flexible: 灵活就业 self-enrolment · resident: residents\u2019 pension',
});
const EnrolmentEndReason = Type.Union([
  Type.Literal('employment_ended'),
  Type.Literal('death'),
  Type.Literal('retirement'),
  Type.Literal('became_employee'),
  Type.Literal('switched_scheme'),
  Type.Literal('moved'),
  Type.Literal('other'),
]);
export const EmploymentEndReason = Type.Union(
  [Type.Literal('voluntary'), Type.Literal('involuntary'), Type.Literal('retirement'), Type.Literal('death')],
  { description: `${endReasonsDescribed()} (involuntary opens unemployment benefit)` },
);

export const Enrolment = Type.Object(
  {
    id: Type.Integer(),
    personId: Type.Integer(),
    scheme: SchemeSchema,
    kind: Kind,
    region: Type.String(),
    employerId: Nullable(Type.Integer()),
    employerName: Type.Optional(
      Nullable(Type.String({ description: '参保单位名称 (in a person\u2019s list)' })),
    ),
    startDate: Type.String(),
    endDate: Nullable(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('ended')]),
    endReason: Nullable(Type.String()),
    endNote: Type.Optional(
      Nullable(
        Type.String({ description: 'why it ended, in words (e.g. 转职工参保 at which employer, from when)' }),
      ),
    ),
  },
  { description: '参保登记 / enrolment in a scheme' },
);
export type EnrolmentDto = Static<typeof Enrolment>;

export const CreateEnrolmentBody = Type.Object(
  {
    personId: RowId,
    scheme: SchemeSchema,
    kind: Kind,
    employerId: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_ROW_ID, description: 'required for kind employee' }),
    ),
    startDate: Type.Optional(IsoDateString),
  },
  {
    additionalProperties: false,
    description:
      'kind employee (an employer or clerk, for a current employee; startDate within the employment and not after today, an employer\u2019s within its window, GET /api/v1/employers/{id}/staff-window), resident (clerk, residents\u2019 pension only) or flexible (the flexible-worker check applies).',
  },
);
export type CreateEnrolmentInput = Static<typeof CreateEnrolmentBody>;

export const EndEnrolmentBody = Type.Object(
  {
    endDate: IsoDateString,
    reason: EnrolmentEndReason,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type EndEnrolmentInput = Static<typeof EndEnrolmentBody>;

export const FlexibleBody = Type.Object(
  {
    personId: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_ROW_ID,
        description: 'a clerk names the person; a citizen enrols themself',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FlexibleInput = Static<typeof FlexibleBody>;

export const FlexibleAnswer = Type.Object({ enrolment: Enrolment, trace: TraceSchema });

export const Employment = Type.Object(
  {
    id: Type.Integer(),
    personId: Type.Integer(),
    employerId: Type.Integer(),
    startDate: Type.String(),
    endDate: Nullable(Type.String()),
    endReason: Nullable(EmploymentEndReason),
    monthlyWageFen: Nullable(Type.Integer()),
  },
  { description: '劳动关系 / employment relation' },
);
export type EmploymentDto = Static<typeof Employment>;

const Wage = Type.Integer({
  minimum: 0,
  maximum: 100_000_000_00,
  description: 'monthly wage in fen (分)',
});

/** Who is hired: an employer gives the full ID number and the name; staff may give the internal id. */
const HireIdentityFields = {
  idNumber: Type.Optional(
    Type.String({
      minLength: 15,
      maxLength: 18,
      description: '公民身份号码 (full, 18 or 15 characters); required from an employer',
    }),
  ),
  name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: '姓名, must match the registry; required from an employer',
    }),
  ),
  personId: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_ROW_ID, description: 'staff only: the internal person number' }),
  ),
};

export const StartEmploymentBody = Type.Object(
  {
    ...HireIdentityFields,
    employerId: RowId,
    startDate: Type.String({
      ...IsoDateString,
      description: 'YYYY-MM-DD, at the earliest the first day of the previous month (earlier: a back-entry)',
    }),
    monthlyWageFen: Wage,
  },
  { additionalProperties: false },
);
export type StartEmploymentInput = Static<typeof StartEmploymentBody>;

export const EndEmploymentBody = Type.Object(
  {
    endDate: IsoDateString,
    reason: EmploymentEndReason,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type EndEmploymentInput = Static<typeof EndEmploymentBody>;

export const StartEmploymentAnswer = Type.Object({
  employment: Employment,
  enrolled: Type.Array(Enrolment, {
    description: 'enrolments opened automatically (employee pension, unemployment, work injury)',
  }),
  alreadyEnrolled: Type.Array(SchemeSchema, {
    description: 'schemes the person was already enrolled in, left as they were',
  }),
  ended: Type.Array(Enrolment, {
    description: 'enrolments the new employment replaced (a flexible or residents\u2019 pension)',
  }),
});

export const EndEmploymentAnswer = Type.Object({
  employment: Employment,
  endedEnrolments: Type.Array(Enrolment),
  reEnrolled: Type.Array(Enrolment, {
    description: 'schemes moved to another current employer of the person',
  }),
});

export const BackEntryBody = Type.Object(
  {
    ...HireIdentityFields,
    employerId: RowId,
    startDate: IsoDateString,
    monthlyWageFen: Wage,
    reason: Type.String({
      minLength: 2,
      maxLength: 500,
      description: '补录原因 / why the hire is entered late',
    }),
  },
  { additionalProperties: false },
);
export type BackEntryInput = Static<typeof BackEntryBody>;

export const BackEntry = Type.Object(
  {
    id: Type.Integer(),
    region: Type.String(),
    personId: Type.Integer(),
    employerId: Type.Integer(),
    startDate: Type.String(),
    monthlyWageFen: Type.Integer(),
    reason: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('returned')]),
    requestedBy: Type.String(),
    requestedAt: Type.String(),
    decidedBy: Nullable(Type.String()),
    decidedAt: Nullable(Type.String()),
    decisionNote: Nullable(Type.String()),
    employmentId: Nullable(Type.Integer()),
  },
  { description: '补录入职申请 / a back-dated hire awaiting or after review' },
);
export type BackEntryDto = Static<typeof BackEntry>;

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 2, maxLength: 500 })) },
  { additionalProperties: false },
);
export const ReturnBody = Type.Object(
  { note: Type.String({ minLength: 2, maxLength: 500, description: 'why it is returned to the clerk' }) },
  { additionalProperties: false },
);

export const BackEntryApproved = Type.Object({
  backEntry: BackEntry,
  employment: Employment,
  enrolled: Type.Array(Enrolment),
  alreadyEnrolled: Type.Array(SchemeSchema),
  ended: Type.Array(Enrolment),
});
