// Properties of the Telnet relay observer: the chunking of either direction never changes what it
// reports, hostile bytes never make it throw, and what it reports and holds stays within its limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createTelnetObserver } from './telnet-observer.ts';
import type { TelnetObservation, TelnetObserverOptions } from './telnet-observer.ts';
import { busyboxLoginFlow, bytewise, ciscoLike, client, device, neverPrompts, replay } from './fixtures/telnet-conversations.ts';
import type { Chunker, Step } from './fixtures/telnet-conversations.ts';
import { echoes } from '../protocols/telnet/fixtures/busybox-telnetd.ts';
import { recordConversation, wrongThenRightThenTwoCommands } from '../testing/telnet-conversation.ts';

const limits: TelnetObserverOptions = { maxLineBytes: 256, maxOutputBytes: 1024 };
const observe = (steps: readonly Step[], chunker?: Chunker, options = limits): TelnetObservation[] => replay(createTelnetObserver(options), steps, chunker);

const pasted = [...busyboxLoginFlow.slice(0, 9), client(echoes.pasted.client), device(echoes.pasted.server), client('exit\r\n')];
const typedAhead = [
  device('vm login: '),
  client('root\r\nwrong\r\nroot\r\nxmhdipc\r\nid\r\n'),
  device('root\r\nPassword: \r\nLogin incorrect\r\nvm login: root\r\nPassword: \r\n# id\r\nuid=0(root)\r\n# '),
];

test('splitting every step at every byte position gives the same observations', async () => {
  const recorded = await recordConversation(wrongThenRightThenTwoCommands);
  for (const steps of [busyboxLoginFlow, recorded.steps, ciscoLike, pasted, typedAhead]) {
    const expected = observe(steps);
    assert.ok(expected.length > 0);
    assert.deepEqual(observe(steps, bytewise), expected);
    steps.forEach((s, index) => {
      for (let at = 1; at < s.bytes.length; at++) {
        assert.deepEqual(observe(steps, (_length, i) => (i === index ? [at] : [])), expected, `step ${index} cut at ${at}`);
      }
    });
  }
});

/** Random cut points for every step. */
const chunkings = fc.array(fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 6 }), { minLength: 1, maxLength: 30 });
const asChunker = (cuts: readonly (readonly number[])[]): Chunker => (length, index) => [...(cuts[index % cuts.length] ?? [])].filter((c) => c < length).sort((a, b) => a - b);

test('random chunkings of the golden conversations give the same observations', () => {
  for (const steps of [busyboxLoginFlow, ciscoLike, neverPrompts, pasted, typedAhead]) {
    const expected = observe(steps);
    fc.assert(
      fc.property(chunkings, (cuts) => {
        assert.deepEqual(observe(steps, asChunker(cuts)), expected);
      }),
      { numRuns: 150 },
    );
  }
});

/** Bytes that matter to the observer, mixed with random ones. */
const fragment = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(
    '\xff', '\xff\xff', '\xff\xfa\x1f', '\xff\xf0', '\xff\xfd\x18', '\r', '\n', '\r\n', '\r\x00', '\x7f', '\x08', '\x15', '\x03', '\x1b[',
    'login: ', 'Password: ', 'Username: ', '# ', '$ ', 'Router>', 'Login incorrect', 'denied', '\xc3', 'echo hi', 'x'.repeat(300),
  ).map((text) => new Uint8Array(Buffer.from(text, 'latin1'))),
);
const hostileSteps = fc.array(
  fc.record({ from: fc.constantFrom<'client' | 'device'>('client', 'device'), parts: fc.array(fragment, { maxLength: 8 }) }).map(
    ({ from, parts }): Step => ({ from, bytes: new Uint8Array(Buffer.concat(parts)) }),
  ),
  { maxLength: 25 },
);

const withinLimits = (seen: readonly TelnetObservation[], options: TelnetObserverOptions): void => {
  for (const o of seen) {
    if (o.kind === 'command') assert.ok(Buffer.byteLength(o.line, 'latin1') <= options.maxLineBytes);
    if (o.kind === 'output') assert.ok(o.text.length <= options.maxOutputBytes && o.command.length <= options.maxLineBytes);
    if (o.kind === 'auth') assert.ok(o.username.length <= options.maxLineBytes && o.password.length <= options.maxLineBytes);
  }
};

/** Plausible conversations: prompts, failures, outputs and typed lines in random order, with noise. */
const deviceSay = fc.constantFrom(
  'vm login: ', 'Password: ', '\r\nLogin incorrect\r\n', '\r\n# \x1b[6n', 'uid=0(root)\r\n', 'Username: ', '% Login invalid\r\n',
  'Router>', '\xff\xfb\x01\xff\xfd\x1f', 'echo hi\r\nhi\r\n$ ', '\r\n', 'Access denied\r\n', '\xff\xff\r\n#', '~ $ ',
);
const clientLine = fc
  .tuple(
    fc.constantFrom('root', 'admin', 'xmhdipc', 'uname -a', 'echo hi', '', 'cat /proc/cpuinfo', 'ab\x7fc', '\x1b[A', 'x\x15y', 'q\x03'),
    fc.constantFrom('\r\n', '\n', '\r\x00', '\r', '', '\xff\xf1'),
  )
  .map(([line, end]) => line + end);
const plausibleSteps = fc.array(
  fc.oneof(
    fc.array(deviceSay, { minLength: 1, maxLength: 3 }).map((parts) => device(parts.join(''))),
    fc.array(clientLine, { minLength: 1, maxLength: 3 }).map((parts) => client(parts.join(''))),
  ),
  { maxLength: 30 },
);

test('plausible conversations: chunking never changes what is observed', () => {
  fc.assert(
    fc.property(plausibleSteps, chunkings, (steps, cuts) => {
      const seen = observe(steps);
      withinLimits(seen, limits);
      assert.deepEqual(observe(steps, asChunker(cuts)), seen);
      assert.deepEqual(observe(steps, bytewise), seen);
    }),
    { numRuns: 400 },
  );
});

test('hostile bytes: never throws, stays within its limits, and chunking still does not matter', () => {
  const small = { maxLineBytes: 40, maxOutputBytes: 100 };
  fc.assert(
    fc.property(hostileSteps, chunkings, (steps, cuts) => {
      const seen = observe(steps, undefined, small);
      withinLimits(seen, small);
      assert.deepEqual(observe(steps, asChunker(cuts), small), seen);
    }),
    { numRuns: 300 },
  );
});

test('a device flooding output and an attacker flooding one line keep memory bounded', async () => {
  const observer = createTelnetObserver({ maxLineBytes: 4096, maxOutputBytes: 65_536 });
  for (const s of busyboxLoginFlow.slice(0, 9)) void (s.from === 'client' ? observer.fromClient(s.bytes) : observer.fromDevice(s.bytes));
  observer.fromClient(Buffer.from('yes\r\n'));
  const flood = new Uint8Array(1024 * 1024).fill(0x79);
  // Measure what stays reachable, not the garbage of decoding: collect first.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Buffers freed by a collection are released a moment later: collect, yield, collect again.
  const used = async (): Promise<number> => {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  };
  const before = await used();
  const seen: TelnetObservation[] = [];
  for (let i = 0; i < 32; i++) seen.push(...observer.fromDevice(flood), ...observer.fromClient(flood));
  const grown = (await used()) - before;
  assert.ok(grown < 2 * 1024 * 1024, `grew by ${grown} bytes`);
  seen.push(...observer.end());
  // `yes` got the first 64 KiB of the flood; the attacker's endless line never ended, so it ran nothing.
  assert.deepEqual(
    seen.map((o) => (o.kind === 'output' ? [o.command, o.truncated, o.text.length] : o.kind)),
    [['yes', true, 65_536]],
  );
});
