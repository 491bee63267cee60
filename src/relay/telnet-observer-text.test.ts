// Prompt recognition, failure messages and output splitting for the Telnet relay observer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPrompt, defaultTelnetPrompts, findFailure, globalPatterns, renderLastLine } from './telnet-observer-text.ts';
import { createOutputCapture, splitOutput } from './telnet-observer-output.ts';

const kind = (text: string): string => classifyPrompt(text, defaultTelnetPrompts);

test('login prompts of BusyBox, util-linux, Cisco and others', () => {
  for (const text of ['\r\r\nvm login: ', '(none) login: ', 'Username:', '\r\nUser Name: ', 'login as: ', 'LOGIN:']) assert.equal(kind(text), 'user', text);
  for (const text of ['Password: ', 'password:', '\r\nPasswd:']) assert.equal(kind(text), 'password', text);
  for (const text of ['$ \x1b[6n', '~ # ', 'Router>', 'Router#', '[admin@MikroTik] > ', '<HG8245H>', 'xyz\r$ \x1b[J']) assert.equal(kind(text), 'shell', text);
  for (const text of ['', 'Login incorrect\r\n', 'Welcome\r\n', 'loading...', `${'x'.repeat(300)}#`]) assert.equal(kind(text), 'unknown', text);
});

test('the last line is read as the screen shows it', () => {
  assert.equal(renderLastLine('a\r\nab\b\x1b[Jc'), 'ac');
  assert.equal(renderLastLine('\x1b]0;title\x07# '), '# ');
});

test('failure messages, found across a chunk cut', () => {
  const failure = globalPatterns(defaultTelnetPrompts.failure);
  assert.equal(findFailure('\r\nLogin incorrect\r\n', 0, failure), 17);
  assert.equal(findFailure('Login inc' + 'orrect', 9, failure), 15);
  assert.equal(findFailure('Access denied', 13, failure), -1); // already searched
  assert.equal(findFailure('There were 3 failed login attempts', 0, failure), -1);
});

test('pasted commands each get the output between their echoes, without echo and prompt', () => {
  const text = 'ls\r\na b\r\n# id\r\nuid=0\r\n# exit\r\n';
  const commands = ['ls', 'id', 'exit'].map((line) => ({ line, key: line }));
  const ranges = splitOutput(text, commands, false, defaultTelnetPrompts);
  assert.deepEqual(
    ranges.map((r) => text.slice(r.start, r.end)),
    ['a b\r\n', 'uid=0\r\n', ''],
  );
});

test('a command whose echo never came gets nothing; its output stays with the one before', () => {
  const text = 'ls\r\na\r\n# b\r\n# ';
  const ranges = splitOutput(text, [{ line: 'ls', key: 'ls' }, { line: 'secret', key: 'secret' }], false, defaultTelnetPrompts);
  assert.deepEqual(
    ranges.map((r) => text.slice(r.start, r.end)),
    ['a\r\n# b\r\n', ''],
  );
});

test('the output capture keeps the first bytes and says it was cut', () => {
  const capture = createOutputCapture(5);
  capture.push(Uint8Array.of(1, 2, 3));
  capture.push(Uint8Array.of(4, 5, 6, 7));
  assert.deepEqual([...capture.head()], [1, 2, 3, 4, 5]);
  assert.equal(capture.truncated, true);
  capture.reset();
  assert.equal(capture.head().length, 0);
  assert.equal(capture.truncated, false);
});
