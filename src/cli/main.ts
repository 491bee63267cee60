// The `hachi` command line: run the sensor, and read back sessions, events, recordings, samples
// and personas. Errors with a HACHI_ERR_* code are printed plainly, without a stack.
import { Command } from 'commander';
import { HachiError } from '../core/errors.ts';
import { eventsCommand } from './commands/events.ts';
import { personaCheckCommand, personaListCommand } from './commands/persona.ts';
import { replayCommand } from './commands/replay.ts';
import { runCommand } from './commands/run.ts';
import { samplesCommand } from './commands/samples.ts';
import { sessionsCommand } from './commands/sessions.ts';
import { hachiVersion } from './paths.ts';

const program = new Command('hachi').description('IoT honeypot: device personas, recorded attacks, captured malware').version(hachiVersion);

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

program.command('samples').description('list captured files').option('-d, --data <dir>', 'data directory').option('--json', 'one JSON object per line').action(samplesCommand);

const persona = program.command('persona').description('device personas');
persona.command('list').description('list persona packs').option('--dir <dir>', 'persona directory').option('--json', 'one JSON object per line').action(personaListCommand);
persona.command('check').description('validate a persona pack').argument('<dir>', 'pack directory').action(personaCheckCommand);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof HachiError) {
    process.stderr.write(`hachi: ${error.code}: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
