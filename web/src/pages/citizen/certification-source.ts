// Where a certification came from, in words. The server answers the reference it stored
// (certification.source_ref): liveness:<vendor>:<result id> for the face check, visit:<clerk's
// login>:<day> for a home visit, import:<batch>:<line> for a data comparison file — the pensioner's
// history showed these as they are.
import { formatDate } from '../../format.ts';
import type { Lang } from '../../i18n/lang.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

// the page's t (i18n/index.tsx, which the server's type check cannot read: it is JSX)
type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function certificationSource(ref: string, lang: Lang, t: Translate): string {
  const [kind = '', first = '', ...rest] = ref.split(':');
  const last = rest.join(':');
  if (kind === 'liveness' && last) return t('cert.source.liveness', { result: last });
  // the clerk's login is the agency's reference, not the pensioner's to read
  if (kind === 'visit' && last) return t('cert.source.visit', { date: formatDate(last, lang) });
  if (kind === 'import' && first && last) return t('cert.source.import', { batch: first, line: last });
  return ref;
}
