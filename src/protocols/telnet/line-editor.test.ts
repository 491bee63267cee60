// Unit tests of the line discipline: results and echo bytes per mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createLineEditor } from './line-editor.ts';
import type { EditMode, EditResult } from './line-editor.ts';

function type(text: string, mode: EditMode, max = 100): { results: EditResult[]; echo: string } {
  const editor = createLineEditor(max);
  const echo: number[] = [];
  const results: EditResult[] = [];
  for (const byte of Buffer.from(text, 'latin1')) {
    const result = editor.feed(byte, mode, '# ', echo);
    if (result) results.push(result);
  }
  return { results, echo: Buffer.from(echo).toString('latin1') };
}
const lines = (results: EditResult[]): string[] => results.map((r) => (r.kind === 'line' ? Buffer.from(r.bytes).toString('latin1') : r.kind));

test('CR LF, CR NUL, bare CR and bare LF each end exactly one line', () => {
  assert.deepEqual(lines(type('a\r\nb\r\x00c\rd\n\n', 'shell').results), ['a', 'b', 'c', 'd', '']);
});

test('login mode: DEL erases, BS is kept as ^H, ^U and ^C clear the line', () => {
  const r = type('ab\x7fc\x08d\r', 'login');
  assert.deepEqual(lines(r.results), ['ac\x08d']);
  assert.equal(r.echo, 'ab\b \bc^Hd\r\n');
  assert.deepEqual(lines(type('x\x08\x15y\r', 'login').results), ['y']);
  assert.equal(type('x\x08\x15', 'login').echo, 'x^H\b \b\b \b\b \b', 'a ^X echo takes two columns to erase');
  assert.deepEqual(lines(type('xy\x03z\r', 'login').results), ['z']);
});

test('password mode echoes only the final newline', () => {
  const r = type('se\x7fecret\r\n', 'password');
  assert.deepEqual(lines(r.results), ['secret']);
  assert.equal(r.echo, '\r\n');
});

test('shell mode: BS and DEL erase, ^U redraws the prompt, escape sequences are ignored', () => {
  const r = type('lx\x08\x7fls\x1b[A\x1b[24;80R -l\x15ps\r', 'shell');
  assert.deepEqual(lines(r.results), ['ps']);
  assert.equal(r.echo, 'lx\b\x1b[J\b\x1b[Jls -l\r# \x1b[Jps\r\n');
});

test('shell mode: ^C interrupts, ^D ends only an empty line', () => {
  assert.deepEqual(lines(type('ab\x03', 'shell').results), ['interrupt']);
  assert.deepEqual(lines(type('ab\x04c\r', 'shell').results), ['abc']);
  assert.deepEqual(lines(type('\x04', 'shell').results), ['eof']);
  assert.deepEqual(lines(type('\x04', 'login').results), ['eof']);
});

test('a line longer than the limit overflows once and the buffer is released', () => {
  const editor = createLineEditor(8);
  const echo: number[] = [];
  const results = [...Buffer.from('123456789')].map((b) => editor.feed(b, 'shell', '', echo)).filter((r) => r !== null);
  assert.deepEqual(results, [{ kind: 'overflow', length: 8 }]);
  assert.equal(editor.length, 0);
});

test('an unterminated escape sequence stops being swallowed after a bound', () => {
  assert.deepEqual(lines(type(`\x1b[${'1'.repeat(40)}ok\r`, 'shell').results), [`${'1'.repeat(24)}ok`]);
});

test('the printable fast path gives the same lines and echo as feeding byte by byte', () => {
  const modes = ['login', 'password', 'shell'] as const;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...modes), fc.integer({ min: 1, max: 64 }), (bytes, mode, max) => {
      const run = (fast: boolean): { results: unknown[]; echo: number[] } => {
        const editor = createLineEditor(max);
        const echo: number[] = [];
        const results: unknown[] = [];
        for (let i = 0; i < bytes.length; ) {
          const taken = fast ? editor.feedPrintable(bytes, i, mode, echo) : 0;
          if (taken > 0) {
            i += taken;
            continue;
          }
          const result = editor.feed(bytes[i++]!, mode, '# ', echo);
          if (result) results.push(result);
        }
        return { results, echo };
      };
      assert.deepEqual(run(true), run(false));
    }),
    { numRuns: 300 },
  );
});
