// Regions (GB/T 2260) the platform knows.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import type { Db } from '../db/connection.ts';
import { listRegions } from './region.repository.ts';

export interface RegionDto {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
}

export class RegionService {
  constructor(private readonly db: Db) {}

  async list(actor: Actor): Promise<RegionDto[]> {
    authorize(actor, 'region.read');
    const rows = await listRegions(this.db);
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      parentCode: r.parent_code,
    }));
  }
}
