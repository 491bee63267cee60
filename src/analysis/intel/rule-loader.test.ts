// Tests for the family rule loader: the shipped rules load, and broken files are refused with the
// file, line and key path of the problem.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFamilyRules, parseFamilyFile } from './rule-loader.ts';

const header = `family: demo
rules:
  - id: demo
    description: a demo rule
    references: [https://example.com/write-up]
`;

test('the shipped family files load and cover the required families', async () => {
  const result = await loadFamilyRules();
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  const families = new Set(result.rules.map((r) => r.family));
  for (const f of ['mirai', 'gafgyt', 'mozi', 'tsunami', 'hajime', 'moobot', 'xorddos']) assert.ok(families.has(f), f);
  const variants = result.rules.filter((r) => r.family === 'mirai').map((r) => r.variant);
  assert.deepEqual(variants, [null, 'satori', 'okiru', 'masuta']);
});

test('a valid file parses, with family attached and defaults filled', () => {
  const result = parseFamilyFile(`${header}    strings:\n      - { name: a, text: hello }\n    condition: { all: them }\n`, 'demo.yaml');
  assert.ok(result.ok);
  assert.equal(result.rules[0]?.family, 'demo');
  assert.equal(result.rules[0]?.variant, null);
  assert.equal(result.rules[0]?.strings[0]?.nocase, false);
});

function problems(body: string, file = 'demo.yaml'): string[] {
  const result = parseFamilyFile(`${header}${body}`, file);
  assert.equal(result.ok, false);
  return result.ok ? [] : [...result.problems];
}

test('problems name file, line and key path', () => {
  assert.deepEqual(problems('    strings:\n      - { name: a, text: x, colour: red }\n    condition: { all: them }\n'), [
    'demo.yaml:7: rules[0].strings[0]: Unrecognized key: "colour"',
  ]);
  assert.match(problems('    strings:\n      - { name: a, text: x, hex: "00" }\n    condition: { all: them }\n')[0] ?? '', /^demo\.yaml:7: rules\[0\]\.strings\[0\]: give exactly one of/);
  assert.match(problems('    strings:\n      - { name: a, text: x }\n    condition: { any: [b] }\n')[0] ?? '', /rules\[0\]\.condition: condition names "b"/);
  assert.match(problems('    strings:\n      - { name: a, regex: "(ab+)+c" }\n    condition: { all: them }\n')[0] ?? '', /rules\[0\]\.strings\[0\]\.regex: a quantifier after a group/);
  assert.match(problems('    strings:\n      - { name: a, text: x }\n    condition: { all: them }\n', 'other.yaml')[0] ?? '', /must match the file name/);
  assert.match(problems('    strings: [\n')[0] ?? '', /^demo\.yaml:\d+: invalid YAML/);
});

test('unsafe regexes are refused', () => {
  for (const re of ['a(?=b)cde', '(abc)\\1', 'x*y*z*abc', '^abc', 'a{1,1000}bcd', '[a-z]+\\d+']) {
    const found = problems(`    strings:\n      - { name: a, regex: ${JSON.stringify(re)} }\n    condition: { all: them }\n`);
    assert.ok(found.length > 0, re);
  }
});

test('a directory with duplicate rule ids across files is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-rules-'));
  try {
    const body = `    strings:\n      - { name: a, text: hello }\n    condition: { all: them }\n`;
    await writeFile(join(dir, 'demo.yaml'), `${header}${body}`);
    await writeFile(join(dir, 'other.yaml'), `${header.replace('family: demo', 'family: other')}${body}`);
    const result = await loadFamilyRules(dir);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems, ['other.yaml: rule id "demo" is already used in demo.yaml']);
    const missing = await loadFamilyRules(join(dir, 'nope'));
    assert.match(missing.ok ? '' : (missing.problems[0] ?? ''), /cannot read directory/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
