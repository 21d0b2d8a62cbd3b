// The one Content-Disposition of the downloads (src/http/attachment.ts): no name breaks the header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachment } from './attachment.ts';

test('a plain name is sent as it is', () => {
  assert.equal(attachment('simulation-12.csv'), 'attachment; filename="simulation-12.csv"');
});

test('quotes, `;`, CR/LF, slashes and non-ASCII cannot break the header or rename the file', () => {
  for (const name of [
    'a".csv; filename="evil.exe',
    'x\r\nSet-Cookie: sb_session=1.csv',
    '../../etc/passwd',
    '2026-05 宣城市人民医院.csv',
    '\\\\server\\share.csv',
    '\ud800lone.csv',
  ]) {
    const h = attachment(name);
    // one parameter of each kind, nothing a client reads as another parameter or header
    assert.doesNotMatch(h, /[\r\n\u0000-\u001f\u007f]/, h); // eslint-disable-line no-control-regex
    const m =
      /^attachment; filename="([A-Za-z0-9._-]+)"(?:; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+))?$/.exec(
        h,
      );
    assert.ok(m, `${JSON.stringify(name)} → ${h}`);
    assert.ok(!m[1]!.startsWith('.') && !m[1]!.includes('/'), h);
    if (m[2] !== undefined) assert.doesNotMatch(decodeURIComponent(m[2]), /[\r\n/\\"*:<>?|]/, h);
  }
  assert.equal(
    attachment('2026-05 宣城.csv'),
    `attachment; filename="2026-05___.csv"; filename*=UTF-8''2026-05%20%E5%AE%A3%E5%9F%8E.csv`,
  );
});
