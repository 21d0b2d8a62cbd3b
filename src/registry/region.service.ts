// Regions (GB/T 2260) the platform knows: the list, and one region with its parent chain.
import { SbError } from '../core/errors.ts';
import { regionLevel, type RegionLevel } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { listRegions, regionLineageRows } from './region.repository.ts';

export type { RegionLevel } from '../core/regions.ts';

export interface RegionDto {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  level: RegionLevel;
}

export interface RegionDetailDto extends RegionDto {
  /** Province first, the region itself last (410102 → 河南省, 郑州市, 中原区). */
  chain: RegionDto[];
  /** The names of the chain joined: 河南省郑州市中原区 / Henan Zhengzhou Zhongyuan District. */
  fullNameZh: string;
  fullNameEn: string;
}

const toDto = (r: {
  code: string;
  name_zh: string;
  name_en: string;
  parent_code: string | null;
}): RegionDto => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  parentCode: r.parent_code,
  level: regionLevel(r.code),
});

export class RegionService {
  constructor(private readonly db: Db) {}

  /** Public reference data: anyone may read it, logged in or not. */
  async list(): Promise<RegionDto[]> {
    const rows = await listRegions(this.db);
    return rows.map(toDto);
  }

  async get(code: string): Promise<RegionDetailDto> {
    if (!/^\d{6}$/.test(code)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'code' });
    const chain = (await regionLineageRows(this.db, code)).map(toDto);
    const self = code === '000000' ? undefined : chain[chain.length - 1];
    if (code === '000000') {
      return {
        code,
        nameZh: '全国',
        nameEn: 'National',
        parentCode: null,
        level: 'national',
        chain: [],
        fullNameZh: '全国',
        fullNameEn: 'National',
      };
    }
    if (!self || self.code !== code) throw new SbError('SB_ERR_NOT_FOUND', { field: 'code' });
    return {
      ...self,
      chain,
      fullNameZh: chain.map((c) => c.nameZh).join(''),
      fullNameEn: chain.map((c) => c.nameEn).join(' '),
    };
  }
}
