// The ledger's sub-ledger checks by name in the reader's language: the server names them in English
// (each capability's SubLedgerCheck, registered in src/server.ts), the page said four of the six so
// on a Chinese page. A test holds every registered check to a name here (src/ledger/ledger-names-web.test.ts).
import type { MessageKey } from '../../i18n/zh-CN.ts';

const SUB_LEDGER_KEYS: ReadonlyArray<readonly [prefix: string, key: MessageKey]> = [
  ['contribution bills, payments', 'ledger.sub.journal'],
  ['contribution bills = sum', 'ledger.sub.billLines'],
  ['stable-employment refunds paid', 'ledger.sub.refunds'],
  ['skill-upgrade subsidies paid', 'ledger.sub.skillSubsidies'],
  ['hospital settlements', 'ledger.sub.hospitalSettlements'],
  ['pension payments', 'ledger.sub.payroll'],
];

/** The catalogue key naming a check, or null (the page then shows the server's English name). */
export function subLedgerKey(name: string): MessageKey | null {
  return SUB_LEDGER_KEYS.find(([prefix]) => name.startsWith(prefix))?.[1] ?? null;
}
