// A device network for bench/relay.ts --link RATE: a network namespace reached over a veth pair whose
// both ends are shaped to RATE (tc tbf), as a real device sits on its own link. Needs root.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DeviceLink {
  /** Prefix that runs a command inside the namespace. */
  readonly exec: readonly string[];
  readonly hostIp: string;
  readonly deviceIp: string;
  remove(): Promise<void>;
}

export async function createDeviceLink(rate: string): Promise<DeviceLink> {
  const ns = `hachibench${process.pid}`;
  const host = `hb${process.pid % 100000}`;
  const device = `db${process.pid % 100000}`;
  const hostIp = '10.67.0.1';
  const deviceIp = '10.67.0.2';
  const steps: string[][] = [
    ['ip', 'netns', 'add', ns],
    ['ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', device, 'netns', ns],
    ['ip', 'addr', 'add', `${hostIp}/30`, 'dev', host],
    ['ip', 'link', 'set', host, 'up'],
    ['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${deviceIp}/30`, 'dev', device],
    ['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', device, 'up'],
    ['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'],
    ['tc', 'qdisc', 'add', 'dev', host, 'root', 'tbf', 'rate', rate, 'burst', '1mb', 'latency', '20ms'],
    ['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', device, 'root', 'tbf', 'rate', rate, 'burst', '1mb', 'latency', '20ms'],
  ];
  const remove = async (): Promise<void> => {
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  };
  try {
    for (const [command, ...args] of steps) await run(command!, args);
  } catch (error) {
    await remove();
    throw error;
  }
  return { exec: ['ip', 'netns', 'exec', ns], hostIp, deviceIp, remove };
}
