// `hachi persona list` and `hachi persona check DIR`.
import { resolve } from 'node:path';
import { checkPersonaPack, loadPersonaPacks, summarisePersona } from '../../personas/load-pack.ts';
import { bundledPersonaDir } from '../paths.ts';
import { formatTable } from '../table.ts';

export async function personaListCommand(options: { readonly dir?: string; readonly json?: boolean }): Promise<void> {
  const personas = await loadPersonaPacks(resolve(options.dir ?? bundledPersonaDir));
  const summaries = personas.map(summarisePersona);
  if (options.json) {
    for (const s of summaries) process.stdout.write(`${JSON.stringify(s)}\n`);
    return;
  }
  const rows = summaries.map((s) => Object.values(s).map((v) => (Array.isArray(v) ? v.join(', ') : String(v))));
  const headers = summaries[0] ? Object.keys(summaries[0]) : ['id'];
  process.stdout.write(`${formatTable(headers, rows, 70)}\n`);
}

export async function personaCheckCommand(dir: string): Promise<void> {
  const result = await checkPersonaPack(resolve(dir));
  if (result.ok) {
    process.stdout.write(`${dir}: ok\n`);
    return;
  }
  for (const problem of result.problems) process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
