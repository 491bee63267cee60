// ps, uname, id, whoami, hostname, free, df, mount, nproc, uptime, ifconfig, ip, netstat, route:
// every figure comes from the persona, so answers agree with /proc and with each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';

const out = async (argv: string[]): Promise<string> => (await runCommand(argv)).stdout;

test('ps uses BusyBox embedded columns', async () => {
  assert.equal(
    await out(['ps']),
    '  PID USER       VSZ STAT COMMAND\n    1 root      1504 S    init\n    2 root         0 SW   [kthreadd]\n  402 root      1508 S    telnetd\n  517 root     48220 S    /usr/bin/Sofia\n',
  );
});

test('uname, id, whoami, hostname agree with the persona', async () => {
  assert.equal(await out(['uname', '-a']), 'Linux IPCAM 3.18.20 #1 SMP Tue Mar 5 10:12:11 CST 2019 armv7l GNU/Linux\n');
  assert.equal(await out(['uname']), 'Linux\n');
  assert.equal(await out(['uname', '-m']), 'armv7l\n');
  assert.equal(await out(['uname', '-nr']), 'IPCAM 3.18.20\n');
  assert.equal(await out(['id']), 'uid=0(root) gid=0(root)\n');
  assert.equal((await runCommand(['id', 'nobodyx'])).stderr, 'id: unknown user nobodyx\n');
  assert.equal(await out(['whoami']), 'root\n');
  assert.equal(await out(['hostname']), 'IPCAM\n');
});

test('free (pre-1.24 layout for a 1.20 persona), df, mount, nproc', async () => {
  assert.equal(
    await out(['free']),
    '              total         used         free       shared      buffers\n  Mem:        59232        47756        11476           60         1528\n -/+ buffers:              46228        13004\n Swap:            0            0            0\n',
  );
  assert.match(await out(['free', '-m']), /Mem:\s+57\s+46\s+11/);
  const df = await out(['df']);
  assert.match(df, /^Filesystem {11}1K-blocks {6}Used Available Use% Mounted on\n/);
  assert.match(df, /\ntmpfs\s+29616\s+64\s+29552\s+1% \/tmp\n/);
  assert.doesNotMatch(df, /proc/);
  assert.match(await out(['mount']), /^rootfs on \/ type rootfs \(rw\)\n\/dev\/root on \/ type squashfs \(ro,relatime\)\n/);
  assert.equal(await out(['nproc']), '2\n');
});

test('uptime in BusyBox format from the persona uptime and the clock', async () => {
  assert.match(await out(['uptime']), /^ 04:04:05 up 3 days, {2}4:05, {2}load average: \d\.\d\d, \d\.\d\d, \d\.\d\d\n$/);
});

test('uptime grows with the clock, so two looks minutes apart differ as on a device', async () => {
  const h = createHarness();
  h.clock.advance(10 * 60_000);
  assert.match((await h.run(['uptime'])).stdout, /^ 04:14:05 up 3 days, {2}4:15, /);
});

test('ifconfig, ip, route, netstat describe the persona network', async () => {
  const ifconfig = await out(['ifconfig']);
  assert.match(ifconfig, /^eth0 {6}Link encap:Ethernet {2}HWaddr 00:12:41:3A:5B:6C {2}\n {10}inet addr:192\.168\.1\.10 {2}Bcast:192\.168\.1\.255 {2}Mask:255\.255\.255\.0\n {10}UP BROADCAST RUNNING MULTICAST {2}MTU:1500 {2}Metric:1\n/);
  assert.match(ifconfig, /\nlo {8}Link encap:Local Loopback {2}\n {10}inet addr:127\.0\.0\.1 {2}Mask:255\.0\.0\.0\n/);
  assert.equal((await runCommand(['ifconfig', 'wlan0'])).stderr, 'ifconfig: wlan0: error fetching interface information: Device not found\n');
  const addr = await out(['ip', 'addr']);
  assert.match(addr, /^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536/);
  assert.match(addr, /\n {4}inet 192\.168\.1\.10\/24 brd 192\.168\.1\.255 scope global eth0\n/);
  assert.equal(await out(['ip', 'route']), 'default via 192.168.1.1 dev eth0 \n192.168.1.0/24 dev eth0 scope link  src 192.168.1.10 \n');
  assert.match(await out(['ip', 'link']), /2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast qlen 1000\n {4}link\/ether 00:12:41:3a:5b:6c brd ff:ff:ff:ff:ff:ff\n/);
  assert.equal(
    await out(['route', '-n']),
    'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 eth0\n192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0\n',
  );
  const netstat = await out(['netstat', '-ntlp']);
  assert.match(netstat, /^Active Internet connections \(only servers\)\nProto Recv-Q Send-Q Local Address {11}Foreign Address {9}State {7}PID\/Program name\n/);
  assert.match(netstat, /\ntcp {8}0 {6}0 0\.0\.0\.0:23 {14}0\.0\.0\.0:\* {15}LISTEN {6}402\/telnetd\n/);
  assert.doesNotMatch(netstat, /udp/);
  assert.match(await out(['netstat', '-an']), /udp {8}0 {6}0 0\.0\.0\.0:34569/);
});
