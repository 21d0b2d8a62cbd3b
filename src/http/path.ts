// The path a request names, as the router would see it: percent-decoded, duplicate slashes collapsed,
// dot segments resolved. Access checks use this (and the matched route's pattern), never the raw URL,
// so `/%61pi/…`, `/api/./v1/…` or `//api/…` cannot step around them.

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function normalizePath(rawUrl: string): string {
  const raw = rawUrl.split('?')[0]?.split('#')[0] ?? '';
  const out: string[] = [];
  // Decode repeatedly so a doubly encoded dot segment (%252e) cannot hide either.
  let path = raw;
  for (let i = 0; i < 3; i++) {
    const next = decode(path);
    if (next === path) break;
    path = next;
  }
  for (const seg of path.replaceAll('\\', '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** An API path (not the OpenAPI document, which is public). */
export const isApiPath = (normalized: string): boolean =>
  (normalized === '/api' || normalized.startsWith('/api/')) &&
  normalized !== '/api/docs' &&
  !normalized.startsWith('/api/docs/');
