// Golden-byte and property tests of the Telnet codec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createDecoder, escapeData, nawsReport, optionCommand, options, subnegotiation, ttypeIs } from './codec.ts';
import type { TelnetFrame } from './codec.ts';

const u8 = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const decodeAll = (chunks: Uint8Array[], max = 1024): TelnetFrame[] => {
  const decoder = createDecoder(max);
  return chunks.flatMap((c) => decoder.push(c));
};
/** Data frames joined, other frames kept: comparable regardless of chunking. */
const normalise = (frames: TelnetFrame[]): unknown[] => {
  const out: unknown[] = [];
  for (const f of frames) {
    const last = out.at(-1);
    if (f.kind === 'data' && Array.isArray(last)) last.push(...f.bytes);
    else out.push(f.kind === 'data' ? [...f.bytes] : f.kind === 'subnegotiation' ? { ...f, bytes: [...f.bytes] } : f);
  }
  return out;
};

test('plain data is one frame', () => {
  assert.deepEqual(decodeAll([u8(0x6c, 0x73, 0x0d, 0x0a)]), [{ kind: 'data', bytes: u8(0x6c, 0x73, 0x0d, 0x0a) }]);
});

test('IAC IAC in data is one 0xFF byte', () => {
  assert.deepEqual(normalise(decodeAll([u8(0x41, 0xff, 0xff, 0x42)])), [[0x41, 0xff, 0x42]]);
});

test('WILL/WONT/DO/DONT', () => {
  assert.deepEqual(decodeAll([u8(0xff, 0xfb, 0x1f, 0xff, 0xfc, 0x18, 0xff, 0xfd, 0x01, 0xff, 0xfe, 0x03)]), [
    { kind: 'negotiation', verb: 'will', option: 31 },
    { kind: 'negotiation', verb: 'wont', option: 24 },
    { kind: 'negotiation', verb: 'do', option: 1 },
    { kind: 'negotiation', verb: 'dont', option: 3 },
  ]);
});

test('NAWS subnegotiation, including an escaped 255 in the size', () => {
  assert.deepEqual(decodeAll([u8(0xff, 0xfa, 0x1f, 0x00, 0x50, 0x00, 0x18, 0xff, 0xf0)]), [{ kind: 'naws', width: 80, height: 24 }]);
  assert.deepEqual(decodeAll([u8(0xff, 0xfa, 0x1f, 0x00, 0xff, 0xff, 0x00, 0x30, 0xff, 0xf0)]), [{ kind: 'naws', width: 255, height: 48 }]);
});

test('TTYPE IS name', () => {
  const bytes = u8(0xff, 0xfa, 0x18, 0x00, 0x78, 0x74, 0x65, 0x72, 0x6d, 0xff, 0xf0);
  assert.deepEqual(decodeAll([bytes]), [{ kind: 'ttype', name: 'xterm' }]);
});

test('malformed NAWS and unknown options come back as raw subnegotiations', () => {
  assert.deepEqual(normalise(decodeAll([u8(0xff, 0xfa, 0x1f, 0x01, 0xff, 0xf0, 0xff, 0xfa, 0x27, 0x01, 0x02, 0xff, 0xf0)])), [
    { kind: 'subnegotiation', option: 31, bytes: [0x01] },
    { kind: 'subnegotiation', option: 39, bytes: [0x01, 0x02] },
  ]);
});

test('two-byte commands and a stray SE', () => {
  assert.deepEqual(decodeAll([u8(0xff, 0xf1, 0xff, 0xf6, 0xff, 0xf0, 0xff, 0x78)]), [
    { kind: 'command', code: 0xf1 },
    { kind: 'command', code: 0xf6 },
    { kind: 'command', code: 0xf0 },
    { kind: 'command', code: 0x78 },
  ]);
});

test('IAC split across chunk boundaries at every position', () => {
  const whole = u8(0x61, 0xff, 0xff, 0x62, 0xff, 0xfd, 0x01, 0xff, 0xfa, 0x1f, 0x00, 0x84, 0x00, 0x30, 0xff, 0xf0, 0x63);
  const expected = normalise(decodeAll([whole]));
  assert.deepEqual(expected, [[0x61, 0xff, 0x62], { kind: 'negotiation', verb: 'do', option: 1 }, { kind: 'naws', width: 132, height: 48 }, [0x63]]);
  for (let cut = 0; cut <= whole.length; cut++) {
    assert.deepEqual(normalise(decodeAll([whole.subarray(0, cut), whole.subarray(cut)])), expected, `cut at ${cut}`);
  }
  assert.deepEqual(normalise(decodeAll([...whole].map((b) => u8(b)))), expected, 'one byte per chunk');
});

test('subnegotiation missing IAC SE ends at the next command', () => {
  assert.deepEqual(decodeAll([u8(0xff, 0xfa, 0x18, 0x00, 0x41, 0xff, 0xfb, 0x01)]), [
    { kind: 'ttype', name: 'A' },
    { kind: 'negotiation', verb: 'will', option: 1 },
  ]);
});

test('an endless subnegotiation yields one limit frame and stays bounded', () => {
  const decoder = createDecoder(16);
  const frames = [...decoder.push(u8(0xff, 0xfa, 0x18)), ...decoder.push(new Uint8Array(100).fill(0x41))];
  assert.deepEqual(frames, [{ kind: 'limit', limit: 'subnegotiation', max: 16 }]);
  assert.equal(decoder.buffered, 0);
  assert.deepEqual(decoder.push(new Uint8Array(5000).fill(0x42)), []);
  // Discarding ends at IAC SE; data after it flows again.
  assert.deepEqual(decoder.push(u8(0xff, 0xf0, 0x7a)), [{ kind: 'data', bytes: u8(0x7a) }]);
});

test('encoder: IAC doubling, option commands, subnegotiations', () => {
  assert.deepEqual(escapeData(u8(0x01, 0xff, 0x02, 0xff)), u8(0x01, 0xff, 0xff, 0x02, 0xff, 0xff));
  const plain = u8(0x41, 0x42);
  assert.equal(escapeData(plain), plain, 'no copy when nothing to escape');
  assert.deepEqual(optionCommand('do', options.NAWS), u8(0xff, 0xfd, 0x1f));
  assert.deepEqual(optionCommand('will', options.ECHO), u8(0xff, 0xfb, 0x01));
  assert.deepEqual(optionCommand('wont', options.SGA), u8(0xff, 0xfc, 0x03));
  assert.deepEqual(optionCommand('dont', options.TTYPE), u8(0xff, 0xfe, 0x18));
  assert.deepEqual(nawsReport(511, 255), u8(0xff, 0xfa, 0x1f, 0x01, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xf0));
  assert.deepEqual(ttypeIs('vt100'), u8(0xff, 0xfa, 0x18, 0x00, 0x76, 0x74, 0x31, 0x30, 0x30, 0xff, 0xf0));
  assert.deepEqual(subnegotiation(24, u8(1)), u8(0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0));
});

test('property: encode -> decode round-trips data under any chunking', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(400), { maxLength: 6 }), (data, cuts) => {
      const wire = escapeData(data);
      const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let from = 0;
      for (const p of points) {
        chunks.push(wire.subarray(from, p));
        from = p;
      }
      chunks.push(wire.subarray(from));
      const frames = decodeAll(chunks);
      assert.ok(frames.every((f) => f.kind === 'data'));
      assert.deepEqual(Buffer.concat(frames.map((f) => (f.kind === 'data' ? f.bytes : new Uint8Array()))), Buffer.from(data));
    }),
  );
});

test('property: NAWS and TTYPE reports decode to what was encoded', () => {
  fc.assert(
    fc.property(fc.nat(65535), fc.nat(65535), fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), (w, h, name) => {
      assert.deepEqual(decodeAll([nawsReport(w, h), ttypeIs(name)]), [{ kind: 'naws', width: w, height: h }, { kind: 'ttype', name }]);
    }),
  );
});

const telnetish = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom(u8(0xff), u8(0xff, 0xfa), u8(0xff, 0xf0), u8(0xff, 0xfa, 0x1f), u8(0xff, 0xfb), u8(0x0d), u8(0x0d, 0x00), u8(0xff, 0xff)),
  fc.uint8Array({ minLength: 100, maxLength: 600 }).map((b) => Uint8Array.from([0xff, 0xfa, 0x18, ...b.map((x) => (x === 0xff ? 0x41 : x))])),
);

test('property: random and mutated input never throws and the decoder stays bounded', () => {
  fc.assert(
    fc.property(fc.array(telnetish, { maxLength: 30 }), fc.integer({ min: 1, max: 256 }), (chunks, max) => {
      const decoder = createDecoder(max);
      for (const chunk of chunks) {
        for (const frame of decoder.push(chunk)) {
          if (frame.kind === 'subnegotiation') assert.ok(frame.bytes.length <= max);
          if (frame.kind === 'data') assert.ok(frame.bytes.length > 0);
        }
        assert.ok(decoder.buffered <= max);
      }
    }),
    { numRuns: 300 },
  );
});
