// Tests for the pure family matcher against synthetic samples: each family is named with its
// evidence, benign binaries match nothing, and a 1 MB sample is matched in bounded time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { familySamples } from '../../testing/family-samples.ts';
import { concat, elfHeader, elfWithStrings, filler, gafgytStrings } from '../../testing/fake-samples.ts';
import { compileRules, matchRules, type CompiledRules } from './family-rules.ts';
import { loadFamilyRules, parseFamilyFile } from './rule-loader.ts';

async function builtin(): Promise<CompiledRules> {
  const loaded = await loadFamilyRules();
  assert.ok(loaded.ok);
  return compileRules(loaded.rules);
}

const ids = (rules: CompiledRules, bytes: Uint8Array): string[] => matchRules(rules, { bytes }).map((m) => m.ruleId);

test('each synthetic family sample is matched by its rule, and benign ones by none', async () => {
  const rules = await builtin();
  for (const sample of familySamples()) assert.deepEqual(ids(rules, sample.bytes), sample.expected, sample.name);
});

test('evidence names the strings and the offsets where they are', async () => {
  const rules = await builtin();
  const bytes = elfWithStrings(gafgytStrings);
  const [match] = matchRules(rules, { bytes });
  assert.equal(match?.family, 'gafgyt');
  const getlocalip = match?.evidence.find((e) => e.name === 'cmd_getlocalip');
  assert.ok(getlocalip);
  for (const offset of getlocalip.offsets) assert.equal(Buffer.from(bytes.subarray(offset, offset + 10)).toString('latin1'), 'GETLOCALIP');
  // fullword: "PING" inside "PINGS" does not count.
  assert.equal(match?.evidence.some((e) => e.name === 'cmd_ping'), true);
  const noPing = matchRules(rules, { bytes: elfWithStrings(['PINGS', 'GETLOCALIP', 'KILLATTK', 'LOLNOGTFO']) })[0];
  assert.equal(noPing?.evidence.some((e) => e.name === 'cmd_ping'), false);
});

test('file type and size constraints, nocase, wide, xor and regex strings', () => {
  const parsed = parseFamilyFile(
    `family: demo
rules:
  - id: demo
    description: modifiers
    references: [https://example.com/]
    fileTypes: [shell-script]
    maxSize: 200
    strings:
      - { name: a, text: hello world, nocase: true }
      - { name: b, text: WIDE, wide: true }
      - { name: c, text: secret, xor: 0x5a }
      - { name: d, regex: "wget http://[0-9.]+/[a-z]+" }
    condition: { all: them }
`,
    'demo.yaml',
  );
  assert.ok(parsed.ok);
  const rules = compileRules(parsed.rules);
  const secret = Buffer.from('secret').map((b) => b ^ 0x5a);
  const good = Buffer.concat([Buffer.from('#!/bin/sh\nHeLLo WoRLD\nwget http://1.2.3.4/bins\n'), Buffer.from('WIDE', 'utf16le'), Buffer.from([0]), secret]);
  assert.deepEqual(ids(rules, good), ['demo']);
  assert.deepEqual(ids(rules, Buffer.concat([Buffer.from('ELF'), good.subarray(2)])), [], 'not a shell script');
  assert.deepEqual(ids(rules, Buffer.concat([good, Buffer.alloc(300)])), [], 'too large');
});

test('a 1 MB sample is matched against every rule in bounded time; random input never throws', async () => {
  const rules = await builtin();
  const big = concat([elfHeader(), filler(1024 * 1024, 42)]);
  const start = performance.now();
  assert.deepEqual(ids(rules, big), []);
  assert.ok(performance.now() - start < 1000);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (data) => Array.isArray(matchRules(rules, { bytes: data }))), { numRuns: 100 });
});
