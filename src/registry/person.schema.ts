// Request and response shapes of the person routes (TypeBox: validation, types, OpenAPI).
import { Type, type Static } from '@sinclair/typebox';
import { IsoDateString, MAX_INT4, PageQuery, RowVersion } from '../http/schemas.ts';

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

const Region = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 行政区划代码' });
export const HardshipGroup = Type.Union(
  [Type.Literal('dibao'), Type.Literal('tekun'), Type.Literal('disabled'), Type.Literal('poverty')],
  {
    description: '困难群体: dibao 低保, tekun 特困, disabled 重度残疾, poverty 返贫致贫',
  },
);

/** The regions by name, province to county (河南省郑州市中原区), beside their codes. */
const RegionNames = {
  hukouRegionNameZh: Type.String({ description: '户籍地名称：河南省郑州市中原区' }),
  hukouRegionNameEn: Type.String(),
  regionNameZh: Type.String({ description: '参保地名称：安徽省宣城市宣州区' }),
  regionNameEn: Type.String(),
};

export const Person = Type.Object(
  {
    id: Type.Integer(),
    idNumber: Type.String({ description: '公民身份号码 (full: detail view only)' }),
    name: Type.String(),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F')], { description: 'derived from the ID number' }),
    birthDate: Type.String({ description: 'derived from the ID number' }),
    hukouRegion: Type.String({ description: '户籍地' }),
    region: Type.String({ description: '参保（居住）统筹地区' }),
    ...RegionNames,
    phone: Nullable(Type.String()),
    address: Nullable(Type.String()),
    bankName: Nullable(Type.String()),
    bankAccount: Nullable(Type.String()),
    hardshipGroup: Nullable(HardshipGroup),
    deathDate: Nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { description: '参保人 / person (full record)' },
);
export type PersonDto = Static<typeof Person>;

export const PersonSummary = Type.Object(
  {
    id: Type.Integer(),
    idNumber: Type.String({ description: 'masked: 3418**********1234' }),
    name: Type.String(),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
    hukouRegion: Type.String(),
    region: Type.String(),
    ...RegionNames,
    phone: Nullable(Type.String({ description: 'masked' })),
    bankAccount: Nullable(Type.String({ description: 'masked: last 4 digits' })),
    deathDate: Nullable(Type.String()),
  },
  { description: '参保人（列表，敏感信息已脱敏）/ person in a list, sensitive fields masked' },
);
export type PersonSummaryDto = Static<typeof PersonSummary>;

export const CreatePersonBody = Type.Object(
  {
    idNumber: Type.String({
      minLength: 1,
      maxLength: 32,
      description: '18 characters (15-digit legacy numbers are converted)',
    }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    hukouRegion: Type.Optional(Region),
    region: Region,
    phone: Type.Optional(Type.String({ maxLength: 32 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    bankName: Type.Optional(Type.String({ maxLength: 100 })),
    bankAccount: Type.Optional(Type.String({ maxLength: 40 })),
    hardshipGroup: Type.Optional(HardshipGroup),
  },
  {
    additionalProperties: false,
    description: 'Sex and birth date are derived from the ID number and cannot be sent.',
  },
);
export type CreatePersonInput = Static<typeof CreatePersonBody>;

export const UpdatePersonBody = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      maximum: MAX_INT4,
      description: 'the version read; a stale version is 409 SB_ERR_CONFLICT',
    }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    hukouRegion: Type.Optional(Region),
    region: Type.Optional(Region),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    bankName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    bankAccount: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    hardshipGroup: Type.Optional(Nullable(HardshipGroup)),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    description:
      'A citizen may change phone, address and bank details; a clerk also name, regions and hardship group. The ID number never changes.',
  },
);
export type UpdatePersonInput = Static<typeof UpdatePersonBody>;

export const DeathBody = Type.Object(
  {
    deathDate: IsoDateString,
    version: Type.Optional(RowVersion),
    reason: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'source of the information (death registry, family, hospital …)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeathInput = Static<typeof DeathBody>;

export const PersonSearchQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the name' })),
  idNumber: Type.Optional(
    Type.String({
      minLength: 4,
      maxLength: 18,
      description: 'the whole ID number, or its last four characters together with the whole name',
    }),
  ),
  region: Type.Optional(Region),
  ...PageQuery,
});
export type PersonSearchInput = Static<typeof PersonSearchQuery>;

export const DeathAnswer = Type.Object({
  person: Person,
  endedEnrolments: Type.Integer(),
  endedEmployments: Type.Integer(),
});
