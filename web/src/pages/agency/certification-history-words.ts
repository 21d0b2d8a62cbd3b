// A certification's source as the agency reads it (the person page's 资格认证 card): the server answers
// the source in parts — the face-check vendor and its result, the clerk of a home visit or the counter,
// the data comparison's file and line and, for a card use, the registered terminal and its region.
// Staff may read the clerk's login (the pensioner's own page does not show it, certification-source.ts).
import type { CertificationSourceParts } from '../../api.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

// the page's t (i18n/index.tsx, which the server's type check cannot read: it is JSX)
type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const IMPORT_KINDS = ['card', 'hospital', 'transit'] as const;
const TERMINAL_KINDS = ['bus', 'library', 'hospital', 'counter', 'other'] as const;

export function certificationSourceForStaff(
  s: CertificationSourceParts,
  t: Translate,
  regionName: (code: string) => string,
): string {
  switch (s.kind) {
    case 'liveness':
      return t('certHistory.source.liveness', { vendor: s.vendor ?? '—', result: s.resultId ?? '—' });
    case 'visit':
      return t('certHistory.source.visit', { clerk: s.clerk ?? '—' });
    case 'counter':
      return t('certHistory.source.counter', { clerk: s.clerk ?? '—' });
    case 'import': {
      const file = t('certHistory.source.file', {
        batch: s.importId ?? '—',
        file: s.filename ?? '—',
        line: s.line ?? '—',
      });
      const kind = IMPORT_KINDS.find((k) => k === s.importKind);
      if (kind === 'card' && s.terminal) {
        const tk = TERMINAL_KINDS.find((k) => k === s.terminal?.kind) ?? 'other';
        return `${t('certHistory.source.cardAt', {
          terminal: s.terminal.name,
          id: s.terminal.terminalId,
          kind: t(`terminal.kind.${tk}`),
          region: regionName(s.terminal.region),
        })} · ${file}`;
      }
      return kind === undefined ? file : `${t(`certHistory.source.${kind}`)} · ${file}`;
    }
    case 'other':
      return s.ref;
  }
}
