// web.yaml loading: the shipped packs' web servers, and each kind of mistake named with its place.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { checkPersonaPack, loadPersonaPack } from './load-pack.ts';

const ROOT = fileURLToPath(new URL('../../personas', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'hachi-web-pack-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A copy of the hub pack whose web.yaml is edited by `edit`. */
function variant(edit: (yaml: string) => string): string {
  const dir = join(scratch, `hub-${copies++}`);
  cpSync(join(ROOT, 'rk3308-smart-hub'), dir, { recursive: true });
  const file = join(dir, 'web.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

test('the hub pack loads its site: ordered headers expanded, files read, defaults applied', async () => {
  const view = await loadPersonaPack(join(ROOT, 'rk3308-smart-hub'));
  const site = view.web?.sites[0];
  assert.ok(site);
  assert.equal(site.server, 'lighttpd/1.4.48');
  assert.equal(site.realm, 'zgw-api');
  assert.deepEqual(site.errors[404].headers, [
    ['Content-Type', 'text/html'],
    ['Content-Length', '{content-length}'],
    ['Date', '{date-http}'],
    ['Server', 'lighttpd/1.4.48'],
  ]);
  assert.equal(site.errors[404].body.length, 345);
  assert.equal(site.errors[404].reason, 'Not Found');
  assert.equal(site.errors[404].template, false);
  assert.ok(Object.isFrozen(site.routes));
});

test('a pack without web.yaml has no web field', async () => {
  const dir = join(scratch, 'no-web');
  cpSync(join(ROOT, 'rk3308-smart-hub'), dir, { recursive: true });
  rmSync(join(dir, 'web.yaml'));
  assert.equal((await loadPersonaPack(dir)).web, undefined);
});

const cases: [string, (yaml: string) => string, RegExp][] = [
  ['unknown placeholder', (y) => y.replace('Location: /home.html', 'Location: /{page}'), /routes\[4\]\.login\.success\.headers: unknown placeholder \{page\}/],
  ['missing file', (y) => y.replace('file: home.html', 'file: gone.html'), /cannot read web\/gone\.html/],
  ['traversal in a file name', (y) => y.replace('file: home.html', 'file: ../persona.yaml'), /file: path must not contain "\.\."|expected a relative path/],
  ['port not listening', (y) => y.replace('ports: [{ port: 80 }]', 'ports: [{ port: 8080 }]'), /port 8080 is not a tcp socket/],
  ['no length and no close', (y) => y.replace('tail: ["Content-Length: {content-length}", ', 'tail: ['), /without Content-Length must close/],
  ['unknown header set', (y) => y.replace('headers: ["@css"]', 'headers: ["@nope"]'), /no header set "nope"/],
  ['bad header line', (y) => y.replace('"Accept-Ranges: bytes"', '"Accept-Ranges bytes"'), /expected "Name: value"/],
  ['session route without cookie', (y) => y.replace('sessionCookie: ZGWSID', 'sessionCookie: null'), /auth "session" needs the site's sessionCookie/],
  ['misspelt key', (y) => y.replace('wrongMethodStatus:', 'wrongMethod:'), /unknown key "wrongMethod"/],
];

for (const [name, edit, problem] of cases) {
  test(`web.yaml problem: ${name}`, async () => {
    const check = await checkPersonaPack(variant(edit));
    assert.equal(check.ok, false);
    assert.ok(check.problems.some((p) => problem.test(p) && p.includes('web.yaml')), check.problems.join('\n'));
  });
}
