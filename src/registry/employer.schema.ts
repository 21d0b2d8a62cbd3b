// Request and response shapes of the employer routes.
import { PageQuery, RowVersion } from '../http/schemas.ts';
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './person.schema.ts';

const Region = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 行政区划代码' });
const IndustryClass = Type.Integer({
  minimum: 1,
  maximum: 8,
  description: '行业风险类别 I–VIII (1..8), for the work-injury rate',
});
const Size = Type.Union([Type.Literal('large'), Type.Literal('sme')], {
  description: 'large 大型企业 / sme 中小微企业',
});

export const Employer = Type.Object(
  {
    id: Type.Integer(),
    creditCode: Type.String({ description: '统一社会信用代码 (GB 32100)' }),
    name: Type.String(),
    region: Type.String(),
    industryClass: Type.Integer(),
    size: Size,
    address: Nullable(Type.String()),
    contactPhone: Nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { description: '参保单位 / employer' },
);
export type EmployerDto = Static<typeof Employer>;

export const CreateEmployerBody = Type.Object(
  {
    creditCode: Type.String({ minLength: 1, maxLength: 32 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    region: Region,
    industryClass: IndustryClass,
    size: Size,
    address: Type.Optional(Type.String({ maxLength: 300 })),
    contactPhone: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export type CreateEmployerInput = Static<typeof CreateEmployerBody>;

export const UpdateEmployerBody = Type.Object(
  {
    version: RowVersion,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    region: Type.Optional(Region),
    industryClass: Type.Optional(IndustryClass),
    size: Type.Optional(Size),
    address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    description:
      'An employer may change its address and contact phone; a clerk also name, region, risk class and size. The credit code never changes.',
  },
);
export type UpdateEmployerInput = Static<typeof UpdateEmployerBody>;

export const EmployerSearchQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  creditCode: Type.Optional(
    Type.String({ minLength: 4, maxLength: 18, description: 'a full code or its beginning' }),
  ),
  region: Type.Optional(Region),
  industryClass: Type.Optional(IndustryClass),
  size: Type.Optional(Size),
  ...PageQuery,
});
export type EmployerSearchInput = Static<typeof EmployerSearchQuery>;
