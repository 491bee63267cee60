// `hachi relay firewall`: prints the nftables ruleset that contains the configured real devices
// (hachi cannot firewall by itself); warnings about rules that cut more than meant go to stderr.
import { loadConfigFile, parseConfig } from '../../config/load.ts';
import { HachiError } from '../../core/errors.ts';
import { renderFirewallRules, type FirewallRuleset } from '../../relay/firewall-rules.ts';

export interface RelayFirewallOptions {
  readonly config?: string;
  readonly table?: string;
  readonly logPrefix?: string;
  /** "all" (default) or a comma-separated list of TCP/UDP ports devices may open on hachi. */
  readonly hachiPorts?: string;
}

export async function relayFirewallRuleset(options: RelayFirewallOptions): Promise<FirewallRuleset> {
  const config = options.config ? await loadConfigFile(options.config) : parseConfig(undefined, '(embedded defaults)');
  return renderFirewallRules(config.devices, config.relay.hachiAddresses, {
    ...(options.table === undefined ? {} : { table: options.table }),
    ...(options.logPrefix === undefined ? {} : { logPrefix: options.logPrefix }),
    hachiPorts: parsePorts(options.hachiPorts ?? 'all'),
    sinkhole: config.relay.sinkhole.enabled ? { tcpPort: config.relay.sinkhole.tcpPort, udpPort: config.relay.sinkhole.udpPort } : null,
  });
}

export async function relayFirewallCommand(options: RelayFirewallOptions): Promise<void> {
  const ruleset = await relayFirewallRuleset(options);
  for (const warning of ruleset.warnings) process.stderr.write(`hachi: warning: ${warning}\n`);
  process.stdout.write(ruleset.text);
}

function parsePorts(text: string): number[] | 'all' {
  if (text === 'all') return 'all';
  const parts = text.split(',').map((p) => p.trim());
  // Digits only: Number('0x50') or Number('') would otherwise slip through as ports.
  if (parts.some((p) => !/^\d{1,5}$/.test(p))) throw new HachiError('HACHI_ERR_USAGE', `--hachi-ports ${JSON.stringify(text.slice(0, 80))}: "all" or port numbers separated by commas`);
  return parts.map(Number);
}
