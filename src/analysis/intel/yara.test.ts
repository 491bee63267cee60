// Tests for the YARA side: the rendered rules compile, Debian's yara names the same families as the
// pure matcher on every synthetic sample, extra .yar files run too, and output parsing is robust.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { familySamples } from '../../testing/family-samples.ts';
import { elfWithStrings } from '../../testing/fake-samples.ts';
import { compileRules, matchRules } from './family-rules.ts';
import { loadFamilyRules } from './rule-loader.ts';
import type { FamilyRule } from './rule-schema.ts';
import { parseYaraOutput, runYaraOnBytes, yaraAvailable } from './yara.ts';
import { quote, renderYaraRules } from './yara-render.ts';

const hasYara = await yaraAvailable();

async function rules(): Promise<readonly FamilyRule[]> {
  const loaded = await loadFamilyRules();
  assert.ok(loaded.ok);
  return loaded.rules;
}

test('rendering: rule names, meta, modifiers and conditions', async () => {
  const text = renderYaraRules(await rules());
  assert.match(text, /rule hachi_mirai_masuta : mirai\n/);
  assert.match(text, /\$tbl_exec = "listening tun0" xor\(0x22\)/);
  assert.match(text, /\$brand = "satori" nocase fullword/);
  assert.match(text, /\$wget_cmd = \{ 68 7f 27 70/);
  assert.match(text, /\(uint32\(0\) == 0x464c457f\) and \(4 of \(\$tbl_\*\) or 4 of \(\$cred_\*\) or \(1 of \(\$watchdog, \$misc_watchdog\) and 2 of \(\$tbl_\*, \$cred_\*\)\)\)/);
  assert.equal(quote('a"b\\c\n'), '"a\\"b\\\\c\\x0a"');
});

test('yara and the pure matcher name the same rules on every synthetic sample', { skip: !hasYara && 'yara is not installed' }, async () => {
  const all = await rules();
  const compiled = compileRules(all);
  for (const sample of familySamples()) {
    const pure = matchRules(compiled, { bytes: sample.bytes });
    const yara = await runYaraOnBytes(all, sample.bytes);
    assert.ok(yara.ok, yara.ok ? '' : yara.error);
    assert.deepEqual(yara.matches.map((m) => m.ruleId).sort(), pure.map((m) => m.ruleId).sort(), sample.name);
    assert.deepEqual(yara.matches.map((m) => m.family).sort(), sample.expected.map((id) => all.find((r) => r.id === id)?.family).sort(), sample.name);
    for (const m of yara.matches) {
      const p = pure.find((x) => x.ruleId === m.ruleId);
      assert.deepEqual(new Set(m.evidence.map((e) => e.name)), new Set(p?.evidence.map((e) => e.name)), `${sample.name}: ${m.ruleId}`);
      assert.deepEqual(m.evidence.map((e) => e.offsets[0]), m.evidence.map((e) => p?.evidence.find((x) => x.name === e.name)?.offsets[0]));
    }
  }
});

test('extra .yar files from a directory run beside the built-in rules', { skip: !hasYara && 'yara is not installed' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-extra-'));
  try {
    await writeFile(join(dir, 'local.yar'), 'rule LocalMarker { meta: family = "localfam" variant = "v1" strings: $a = "LOCAL-MARKER" condition: $a }\n');
    await writeFile(join(dir, 'ignored.txt'), 'not a rule');
    const result = await runYaraOnBytes(await rules(), elfWithStrings(['LOCAL-MARKER']), { extraRulesDir: dir });
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.deepEqual(result.matches.map((m) => [m.ruleId, m.family, m.variant]), [['extra0:LocalMarker', 'localfam', 'v1']]);
    await writeFile(join(dir, 'broken.yar'), 'rule { nope');
    const broken = await runYaraOnBytes(await rules(), elfWithStrings(['LOCAL-MARKER']), { extraRulesDir: dir });
    assert.equal(broken.ok, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing yara binary is an error result, not a throw', async () => {
  assert.equal(await yaraAvailable('/nonexistent/yara'), false);
  const result = await runYaraOnBytes(await rules(), new Uint8Array(8), { yaraPath: '/nonexistent/yara' });
  assert.equal(result.ok, false);
});

test('output parsing: headers with meta, string lines, foreign lines and offsets cap', async () => {
  const all = await rules();
  const out = [
    'builtin:hachi_gafgyt [id="gafgyt",family="gafgyt",variant="",description="x, \\"y\\""] /tmp/s',
    ...Array.from({ length: 20 }, (_, i) => `0x${(i * 16).toString(16)}:$cmd_ping: PING`),
    '0x40:$reply_pong: PONG!',
    'warning: something else',
    'extra1:Foreign [author="me"] /tmp/s',
    '0x10:$: anonymous',
  ].join('\n');
  const matches = parseYaraOutput(out, '/tmp/s', all);
  assert.deepEqual(matches.map((m) => [m.ruleId, m.family]), [['gafgyt', 'gafgyt'], ['extra1:Foreign', 'foreign']]);
  assert.equal(matches[0]?.evidence.find((e) => e.name === 'cmd_ping')?.offsets.length, 8);
  assert.deepEqual(matches[1]?.evidence, [{ name: '', offsets: [16] }]);
});
