// `hachi run`: starts every configured service, prints what listens where, stops cleanly on
// SIGINT/SIGTERM (sessions closed, sinks flushed).
import { resolve } from 'node:path';
import { createConsoleLogger } from '../../app/console-logger.ts';
import { startSensor } from '../../app/sensor.ts';
import { loadConfigFile, parseConfig } from '../../config/load.ts';
import { bundledPersonaDir, hachiVersion } from '../paths.ts';
import { formatTable } from '../table.ts';
import { hostname } from 'node:os';

export interface RunOptions {
  readonly config?: string;
  readonly data?: string;
}

export async function runCommand(options: RunOptions): Promise<void> {
  const config = options.config ? await loadConfigFile(options.config) : parseConfig(undefined, '(embedded defaults)');
  const dataDir = resolve(options.data ?? config.dataDir);
  const personaDir = resolve(config.personaDir ?? bundledPersonaDir);
  const sensorId = config.sensor ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  const logger = createConsoleLogger();
  const sensor = await startSensor({ config, dataDir, personaDir, logger, version: hachiVersion, sensorId });

  const rows = sensor.services.map((s) => [s.protocol, s.name, s.persona, s.error ? `FAILED ${s.host}:${s.port}: ${s.error.message}` : `listening on ${s.host}:${s.port}`]);
  process.stdout.write(`hachi ${hachiVersion}: sensor ${sensorId}, data in ${dataDir}\n`);
  const dash = sensor.dashboard;
  // The dashboard is shown with the services but not counted: it serves no attacker.
  if (dash) rows.push(['http', 'dashboard', '-', dash.error ? `FAILED ${dash.host}:${dash.port}: ${dash.error.message}` : `dashboard api listening on http://${dash.host.includes(':') ? `[${dash.host}]` : dash.host}:${dash.port}/api/v1/`]);
  process.stdout.write(`${formatTable(['protocol', 'service', 'persona', 'status'], rows, 120)}\n`);
  const running = sensor.services.filter((s) => s.error === null).length;
  if (running === 0) {
    process.stdout.write('no service could start\n');
    await sensor.stop('no-service');
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${running} of ${sensor.services.length} services running; Ctrl-C stops\n`);

  await new Promise<void>((done) => {
    // Ctrl-C under `npm start` reaches us twice (terminal and npm): later signals are ignored;
    // stopping is bounded anyway (5 s for sessions, 10 s for the sinks).
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${signal}: closing sessions and flushing the store\n`);
      void sensor.stop(signal).then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write('stopped\n');
}
