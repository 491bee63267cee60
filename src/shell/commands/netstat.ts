// netstat [-ntulap]: the persona's listening sockets in BusyBox's layout; -p adds PID/Program.
import type { Command } from '../command.ts';
import { parseOptions } from './getopt.ts';
import { optionError } from './usage.ts';
import { routeTable } from './route.ts';

const usage = `netstat [-ral] [-tuwx] [-enp]

Display networking information

\t-r\tRouting table
\t-a\tAll sockets
\t-l\tListening sockets
\t\tElse: connected sockets
\t-t\tTCP sockets
\t-u\tUDP sockets
\t-w\tRaw sockets
\t-x\tUnix sockets
\t\tElse: all socket types
\t-e\tOther/more information
\t-n\tDon't resolve names
\t-p\tShow PID/program name for sockets`;

export const netstat: Command = (ctx) => {
  const parsed = parseOptions(ctx.argv.slice(1), 'raltuwxenpW');
  if (!parsed.ok) return optionError(ctx, 'netstat', parsed.message, usage);
  const { flags } = parsed.options;
  if (flags.has('r')) {
    ctx.stdout.write(routeTable(ctx, flags.has('n')));
    return 0;
  }
  const listening = flags.has('l') || flags.has('a');
  const anyProto = !flags.has('t') && !flags.has('u');
  const heading = flags.has('a') ? '(servers and established)' : flags.has('l') ? '(only servers)' : '(w/o servers)';
  const withProgram = flags.has('p');
  let text = `Active Internet connections ${heading}\nProto Recv-Q Send-Q Local Address           Foreign Address         State       ${withProgram ? 'PID/Program name' : ''}\n`;
  if (listening) {
    for (const socket of ctx.persona.network.listening) {
      if (!anyProto && !flags.has(socket.proto === 'tcp' ? 't' : 'u')) continue;
      const state = socket.proto === 'tcp' ? 'LISTEN' : '';
      const process = ctx.persona.processes.find((p) => p.command.split(' ')[0]?.endsWith(socket.program));
      const program = withProgram ? (process ? `${process.pid}/${socket.program}` : '-') : '';
      text += `${socket.proto.padEnd(4)}  ${'0'.padStart(6)} ${'0'.padStart(6)} ${socket.local.padEnd(23)} ${'0.0.0.0:*'.padEnd(23)} ${state.padEnd(12)}${program}\n`;
    }
  }
  ctx.stdout.write(text);
  return 0;
};
