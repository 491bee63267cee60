// Schema errors name the file, the line, the key path and what is wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatKeyPath, parsePackYaml } from './parse-pack-yaml.ts';

const FILE = 'personas/xm-ipc-hi3516d/persona.yaml';
const valid = readFileSync(new URL(`../../${FILE}`, import.meta.url), 'utf8');

function problemsFor(text: string): string[] {
  const result = parsePackYaml(text, FILE);
  assert.equal(result.ok, false, 'expected the pack to be rejected');
  return result.ok ? [] : result.problems;
}

function edit(from: string | RegExp, to: string): string {
  const out = valid.replace(from, to);
  assert.notEqual(out, valid, `test edit did not apply: ${String(from)}`);
  return out;
}

test('the shipped camera YAML parses', () => {
  const result = parsePackYaml(valid, FILE);
  assert.equal(result.ok, true, result.ok ? '' : result.problems.join('\n'));
});

test('a wrong type names file, line, key path, expected type and the value', () => {
  const problems = problemsFor(edit('machine: 40', 'machine: arm'));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^personas\/xm-ipc-hi3516d\/persona\.yaml:\d+: arch\.elf\.machine: expected number, got "arm"$/);
  const line = Number(/:(\d+):/.exec(problems[0]!)![1]);
  assert.match(valid.split('\n')[line - 1]!, /machine:/, 'line number points at the key');
});

test('a missing key is reported at its parent with the key path', () => {
  const problems = problemsFor(edit(/^ {2}release: 3\.4\.35\n/m, ''));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /persona\.yaml:\d+: kernel\.release: missing \(expected string\)$/);
});

test('bad hex in the telnet negotiation is named', () => {
  const problems = problemsFor(edit('"ff fd 01 ff fd 1f ff fb 01 ff fb 03"', '"ff fd 0g"'));
  assert.match(problems[0]!, /: telnet\.negotiation: expected hex bytes separated by spaces, like "ff fd 01", got "ff fd 0g"$/);
});

test('an unknown device class lists the accepted ones', () => {
  const problems = problemsFor(edit('deviceClass: ip-camera', 'deviceClass: toaster'));
  assert.match(problems[0]!, /: deviceClass: expected one of "ip-camera", "router", "dvr", "appliance", "smart-hub", "nas", got "toaster"$/);
});

test('an unknown key is rejected, not ignored', () => {
  const problems = problemsFor(edit('hostname: LocalHost', 'hostname: LocalHost\nhostnmae: typo'));
  assert.match(problems[0]!, /: \(top level\): unknown key "hostnmae"$/);
});

test('map keys that are paths are quoted in key paths', () => {
  const problems = problemsFor(edit('/tmp: "1777"', '/tmp: "17777"'));
  assert.match(problems[0]!, /: fs\.modes\["\/tmp"\]: expected an octal mode string like "0755"/);
});

test('several problems are all reported', () => {
  const problems = problemsFor(edit('machine: 40', 'machine: arm').replace('maxLoginAttempts: 3', 'maxLoginAttempts: "3"'));
  assert.equal(problems.length, 2);
  assert.ok(problems.some((p) => p.includes('telnet.maxLoginAttempts: expected number, got "3"')));
});

test('YAML syntax errors carry the line', () => {
  const problems = problemsFor('name: x\n  bad: [indent\n');
  assert.match(problems[0]!, /^personas\/xm-ipc-hi3516d\/persona\.yaml:\d+: invalid YAML: /);
});

test('key paths format indices and odd keys', () => {
  assert.equal(formatKeyPath(['processes', 2, 'pid']), 'processes[2].pid');
  assert.equal(formatKeyPath(['busybox', 'applets', '/usr/bin', 0]), 'busybox.applets["/usr/bin"][0]');
  assert.equal(formatKeyPath([]), '(top level)');
});
