// Row types of the cards capability's tables (migrations 0240, 0260, 0530), merged into the one Database type.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<string, string | undefined, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type CardStatus = 'applied' | 'produced' | 'issued' | 'activated' | 'temp_lost' | 'lost' | 'cancelled';
export type CardAppliedVia = 'person' | 'employer' | 'clerk' | 'reissue' | 'demo';
export type TerminalKind = 'bus' | 'library' | 'hospital' | 'counter' | 'other';

export interface CardTable {
  id: Generated<number>;
  person_id: number;
  region: string;
  card_no: string;
  card_ref: string;
  chip_id: string;
  status: CardStatus;
  applied_via: CardAppliedVia;
  batch_id: number | null;
  replaces_card_id: number | null;
  loss_until: string | null;
  /** 社保卡金融功能: the cooperating bank and the account (16–19 digits, stored in full; migration 0260). */
  bank_name: string | null;
  bank_account: string | null;
  /** The day the card was issued (发卡; migration 0530): no use of it is dated earlier. */
  issued_on: string | null;
  applied_at: Timestamp;
  status_changed_at: Timestamp;
}

export interface CardEventTable {
  id: Generated<number>;
  card_id: number;
  from_status: CardStatus | null;
  to_status: CardStatus;
  kind: string;
  note: string | null;
  actor: string;
  at: Timestamp;
}

export interface CardBatchTable {
  id: Generated<number>;
  employer_id: number;
  region: string;
  requested: number;
  accepted: number;
  created_by: string;
  created_at: Timestamp;
}

export interface EcardKeyTable {
  kid: string;
  status: 'next' | 'active' | 'retired';
  public_jwk: Json;
  private_pkcs8: string;
  created_at: Timestamp;
  activated_at: string | null;
  retired_at: string | null;
}

/** 用卡终端登记 (migration 0530): a terminal is registered by one region; its uses go only through it. */
export interface CardTerminalTable {
  terminal_id: string;
  kind: TerminalKind;
  name: string;
  region: string;
  registered_on: string;
  retired_on: string | null;
  registered_by: string;
  /** the upload key's SHA-256, its prefix and the day it was issued (migration 1910); none when retired */
  key_hash: string | null;
  key_prefix: string | null;
  key_issued_on: string | null;
  /** the key a rotation kept valid beside the new one, until the new key's first use or its deadline (2150) */
  old_key_hash: string | null;
  old_key_prefix: string | null;
  old_key_until: Timestamp | null;
  created_at: Timestamp;
}

export interface CardUseTable {
  terminal_id: string;
  seq: number;
  terminal_kind: TerminalKind;
  region: string;
  card_ref: string;
  card_id: number | null;
  person_id: number | null;
  used_at: string;
  accepted: boolean;
  reason: string | null;
  uploaded_by: string;
  uploaded_at: Timestamp;
}

declare module '../db/database.ts' {
  interface Database {
    card: CardTable;
    card_event: CardEventTable;
    card_batch: CardBatchTable;
    ecard_key: EcardKeyTable;
    card_use: CardUseTable;
    card_terminal: CardTerminalTable;
  }
}
