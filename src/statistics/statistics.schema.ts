// Response shapes of the statistics routes (TypeBox: validation, types, OpenAPI).
import { Type, type Static } from '@sinclair/typebox';
import { RegionCode, IsoDateString } from '../http/schemas.ts';

export const OverviewQuery = Type.Object({
  region: Type.Optional(RegionCode),
  date: Type.Optional(IsoDateString),
});
export type OverviewInput = Static<typeof OverviewQuery>;

export const Overview = Type.Object(
  {
    region: Type.String({ description: 'the region counted, with its sub-regions' }),
    regionNameZh: Type.String({ description: 'its name: 宣城市' }),
    regionNameEn: Type.String({ description: 'its English name where known, else the Chinese' }),
    asOf: Type.String({ description: 'ages and enrolments as of this day' }),
    persons: Type.Integer({ description: 'living registered persons' }),
    employers: Type.Integer(),
    openEmployments: Type.Integer(),
    insuredByScheme: Type.Array(
      Type.Object({
        scheme: Type.String(),
        employee: Type.Integer(),
        flexible: Type.Integer(),
        resident: Type.Integer(),
        total: Type.Integer(),
      }),
      { description: 'active enrolments on asOf by scheme and kind' },
    ),
    agePyramid: Type.Array(
      Type.Object({
        band: Type.String({ description: '0-4, 5-9, … 90+' }),
        male: Type.Integer(),
        female: Type.Integer(),
      }),
      { description: 'living persons by 5-year age band and sex' },
    ),
  },
  { description: '参保概况 / coverage overview of a region' },
);
export type OverviewDto = Static<typeof Overview>;
