// The `hachi` command line: run the sensor, and read back sessions, events, recordings, samples
// and personas. Errors with a HACHI_ERR_* code are printed plainly, without a stack.
import { devicesCommand, devicesResetCommand } from './commands/devices.ts';
import { exploitsCommand } from './commands/exploits.ts';
import { Command } from 'commander';
import { HachiError } from '../core/errors.ts';
import { eventsCommand } from './commands/events.ts';
import { personaCheckCommand, personaListCommand } from './commands/persona.ts';
import { relayFirewallCommand } from './commands/relay-firewall.ts';
import { replayCommand } from './commands/replay.ts';
import { runCommand } from './commands/run.ts';
import { samplesCommand } from './commands/samples.ts';
import { samplesAnalyseCommand } from './commands/samples-analyse.ts';
import { samplesClustersCommand } from './commands/samples-clusters.ts';
import { samplesExportCommand } from './commands/samples-export.ts';
import { samplesShowCommand } from './commands/samples-show.ts';
import { CliFailure } from './cli-failure.ts';
import { RAW_ACK_FLAG } from './sample-export.ts';
import { sessionsCommand } from './commands/sessions.ts';
import { hachiVersion } from './paths.ts';

const program = new Command('hachi').description('IoT honeypot: device personas, recorded attacks, captured malware').version(hachiVersion);
// Options after a subcommand belong to it (`hachi samples show X --data D` is show's --data, not samples').
program.enablePositionalOptions();

program.command('run').description('start every configured service').option('-c, --config <file>', 'YAML configuration file').option('-d, --data <dir>', 'data directory').action(runCommand);

program
  .command('sessions')
  .description('list recorded sessions, newest first')
  .option('-d, --data <dir>', 'data directory')
  .option('-n, --limit <n>', 'how many', '50')
  .option('--persona <id>', 'only this persona')
  .option('--source <ip>', 'only this source address')
  .option('--json', 'one JSON object per line')
  .action(sessionsCommand);

program
  .command('events')
  .description('list events in order')
  .option('-d, --data <dir>', 'data directory')
  .option('-s, --session <id>', 'only this session')
  .option('-t, --type <type>', 'only this event type')
  .option('-n, --limit <n>', 'how many', '1000')
  .option('--json', 'one JSON object per line')
  .action(eventsCommand);

program
  .command('replay')
  .description("play a session's terminal recording")
  .argument('<session>', 'session id')
  .option('-d, --data <dir>', 'data directory')
  .option('--speed <factor>', 'playback speed', '1')
  .option('--max-idle <seconds>', 'longest pause', '2')
  .option('--instant', 'no pauses')
  .option('--raw', 'keep OSC/DCS escape sequences typed by the attacker')
  .action(replayCommand);

const samples = program
  .command('samples')
  .description('list captured samples, most recently seen first')
  .option('-d, --data <dir>', 'data directory')
  .option('--family <name>', 'only samples of this family')
  .option('--arch <cpu>', 'only samples for this CPU (arm, mips, mipsel, x86, ...)')
  .option('-n, --limit <n>', 'how many', '100')
  .option('--json', 'one JSON object per line, full hashes')
  .action(samplesCommand);
samples
  .command('show')
  .description('everything known about one sample')
  .argument('<sha>', 'SHA-256, or a unique prefix of at least 8 hex digits')
  .option('-d, --data <dir>', 'data directory')
  .option('--threshold <n>', 'TLSH distance for its variant cluster')
  .option('--json', 'one JSON object')
  .action(samplesShowCommand);
samples
  .command('export')
  .description('write a sample as <sha256>.zip encrypted with the password "infected"')
  .argument('<sha>', 'SHA-256, or a unique prefix of at least 8 hex digits')
  .option('-d, --data <dir>', 'data directory')
  .option('-o, --out <file>', 'file or directory to write, "-" for standard output')
  .option('--force', 'overwrite an existing file')
  .option('--raw', `raw bytes instead of the zip (needs ${RAW_ACK_FLAG}; standard output unless --out)`)
  .option(RAW_ACK_FLAG, 'confirm --raw: the bytes are live malware')
  .action(samplesExportCommand);
samples
  .command('analyse')
  .alias('analyze')
  .description("(re-)analyse stored samples in the sensor's worker queue")
  .argument('[sha...]', 'samples to analyse (SHA-256 or unique prefixes)')
  .option('-d, --data <dir>', 'data directory')
  .option('-c, --config <file>', 'configuration file (analysis and artifact settings)')
  .option('--all', 'every stored sample')
  .option('--missing', 'only samples never analysed')
  .option('-w, --workers <n>', 'worker threads (default: one per core)')
  .action(samplesAnalyseCommand);
samples
  .command('clusters')
  .description('how many families, how many variants: TLSH variant clusters per family')
  .option('-d, --data <dir>', 'data directory')
  .option('--threshold <n>', 'TLSH distance that links two samples (default 70)')
  .option('-n, --limit <n>', 'unlabelled clusters listed', '20')
  .option('--json', 'one JSON object')
  .action(samplesClustersCommand);

const persona = program.command('persona').description('device personas');
persona.command('list').description('list persona packs').option('--dir <dir>', 'persona directory').option('--json', 'one JSON object per line').action(personaListCommand);
persona.command('check').description('validate a persona pack').argument('<dir>', 'pack directory').action(personaCheckCommand);

const relay = program.command('relay').description('real devices behind the recording relay');
relay
  .command('firewall')
  .description('print the nftables ruleset that lets each device answer the relay and reach only hachi')
  .option('-c, --config <file>', 'YAML configuration file (devices, relay.hachiAddresses)')
  .option('--table <name>', 'nftables table (inet family), starting with "hachi"', 'hachi')
  .option('--log-prefix <prefix>', 'prefix of the log line for a dropped device packet, before the device name', 'hachi-egress')
  .option('--hachi-ports <list>', 'TCP/UDP ports devices may open on hachi\'s addresses: "all" or a comma-separated list', 'all')
  .action(relayFirewallCommand);

program
  .command('exploits')
  .description('HTTP exploit detections by signature, and unmatched attack-like requests clustered by shape')
  .option('-d, --data <dir>', 'data directory')
  .option('--since <duration>', 'only the last 30d, 12h, ...')
  .option('--json', 'one JSON object per line')
  .action(exploitsCommand);

const devices = program.command('devices').description('real devices behind the relay: state, sessions, last reset').option('-d, --data <dir>', 'data directory').option('--json', 'one JSON object per line').action(devicesCommand);
devices
  .command('reset')
  .description("ask the running hachi to run a device's reset hook, and wait for the result")
  .argument('<name>', 'device name')
  .option('-d, --data <dir>', 'data directory')
  .option('--wait <seconds>', 'how long to wait for the reset to be reported', '120')
  .action(devicesResetCommand);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof HachiError) {
    process.stderr.write(`hachi: ${error.code}: ${error.message}\n`);
    process.exitCode = error instanceof CliFailure ? error.exitCode : 2;
  } else throw error;
}
