// Prepares one SSH device service for the recording relay from its configuration: host keys (the
// device's own, or generated once under <dataDir>/relay/<device>/), hachi's login on the device,
// the credentials attackers may use, and the identification (read from the device once when auto).
import type { Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '../core/events.ts';
import type { Clock, Logger, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import type { DeviceConfig, DeviceSshConfig } from '../config/schema.ts';
import { createPcapngSession } from '../relay/pcapng.ts';
import { readDeviceIdent } from '../relay/ssh-device.ts';
import { generatedHostKeys, loadHostKeys } from '../relay/ssh-host-keys.ts';
import { relaySsh, type SshRecorder } from '../relay/ssh-relay.ts';
import type { RelayDevice } from '../relay/tcp-relay.ts';
import type { CaptureStore } from '../storage/capture-fs-store.ts';

export interface SshServiceOptions {
  readonly config: DeviceConfig;
  readonly ssh: DeviceSshConfig | undefined;
  readonly device: RelayDevice;
  /** Generated host keys go to <keyDir>/<device name>/. */
  readonly keyDir: string;
  readonly connect: () => Promise<Duplex>;
  readonly captures: CaptureStore;
  readonly clock: Clock;
  readonly limits: { readonly idleTimeoutMs: number; readonly maxSessionMs: number; readonly maxInputBytes: number };
  readonly shutdown: ShutdownNotice;
  readonly tap: (events: SessionEmitter, device: DeviceConfig) => SshRecorder & { readonly done: () => Promise<void> };
  /** Where the device's host key fingerprint is told once, when no deviceHostKey pins it. */
  readonly logger?: Logger;
}

/** Relays one attacker connection to the device; resolves after session.close. */
export type SshService = (socket: Socket, events: SessionEmitter, src: Endpoint) => Promise<void>;

/** Rejects (with a message for the operator) when the settings cannot be used. */
export async function prepareSshService(options: SshServiceOptions): Promise<SshService> {
  const { config, ssh, device } = options;
  if (!ssh) throw new Error(`device ${config.name}: an ssh service needs an ssh block (login credentials for the device)`);
  const hostKeys = ssh.hostKeys ? await loadHostKeys(ssh.hostKeys) : await generatedHostKeys(join(options.keyDir, config.name));
  const privateKey = ssh.login.privateKeyPath === undefined ? undefined : await readFile(ssh.login.privateKeyPath);
  const pinned = ssh.deviceHostKey === undefined ? undefined : (typeof ssh.deviceHostKey === 'string' ? [ssh.deviceHostKey] : ssh.deviceHostKey).map((f) => f.replace(/=+$/, ''));
  let told = false;
  const sawHostKey = (fingerprint: string): void => {
    if (told || pinned !== undefined) return;
    told = true;
    options.logger?.info('device SSH host key (not pinned; set ssh.deviceHostKey to refuse any other)', { device: config.name, fingerprint });
  };
  const login = {
    username: ssh.login.username,
    timeoutMs: config.connectTimeoutMs * 2,
    ...(ssh.login.password === undefined ? {} : { password: ssh.login.password }),
    ...(privateKey ? { privateKey } : {}),
    ...(pinned === undefined ? {} : { hostKeys: pinned }),
    sawHostKey,
  };
  const accept = ssh.accept ?? (ssh.login.password === undefined ? [] : [{ username: ssh.login.username, password: ssh.login.password }]);
  // auto: read once; a failed read is tried again by the next session (that session is closed).
  let known: Promise<string> | null = ssh.ident === 'auto' ? null : Promise.resolve(ssh.ident.slice('SSH-2.0-'.length));
  const ident = (): Promise<string> => {
    known ??= readDeviceIdent(options.connect, config.connectTimeoutMs).catch((error: unknown) => {
      known = null;
      throw error;
    });
    return known;
  };
  return async (socket, events, src) => {
    const tap = options.tap(events, config);
    await relaySsh(socket, {
      device,
      events,
      connect: options.connect,
      hostKeys,
      ident,
      login,
      accept,
      capture: { packets: createPcapngSession({ client: src, server: { ip: config.address, port: device.port } }, { largeSegments: true }), sink: options.captures.open(events.sessionId, config.maxCaptureBytes) },
      clock: options.clock,
      limits: { ...options.limits, maxAuthAttempts: ssh.maxAuthAttempts, maxChannels: ssh.maxChannels },
      shutdown: options.shutdown,
      recorder: tap,
    });
    await tap.done();
  };
}
