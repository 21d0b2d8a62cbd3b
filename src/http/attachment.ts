// The Content-Disposition of every download, in one place (RFC 6266): whatever a file name holds —
// a quote, a backslash, `;`, CR/LF, a non-ASCII letter — it can neither break the header nor rename
// the file. Today's names are built from ids and codes; a name from a person's text is safe here too.

/** RFC 5987 attr-chars: what `filename*` may carry unencoded. */
const ATTR_CHAR = /^[A-Za-z0-9!#$&+.^_`|~-]$/;

/**
 * `attachment; filename="…"` with a plain ASCII name every client reads (anything else becomes `_`),
 * and, when the name has more than that, `filename*=UTF-8''…` with the whole name percent-encoded.
 * Controls, path separators and what Windows refuses in a file name (" * : < > ? |) become `_` first.
 */
export function attachment(name: string): string {
  // eslint-disable-next-line no-control-regex -- controls are what is taken out
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f/\\"*:<>?|]/g, '_').trim() || 'download';
  const fallback = clean.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
  if (fallback === clean) return `attachment; filename="${clean}"`;
  // UTF-8 bytes (a lone surrogate becomes U+FFFD), each outside attr-char as %XX
  const encoded = [...Buffer.from(clean, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return ATTR_CHAR.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
