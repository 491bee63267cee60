// The operator log: one line per message on stderr, fields as key=value (JSON-quoted when needed).
import type { LogFields, Logger } from '../core/ports.ts';

export function createConsoleLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const format = (level: string, message: string, fields?: LogFields): string => {
    const parts = Object.entries(fields ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`);
    return `${new Date().toISOString()} ${level} ${message}${parts.length > 0 ? ` ${parts.join(' ')}` : ''}\n`;
  };
  return {
    info: (message, fields) => write(format('info', message, fields)),
    warn: (message, fields) => write(format('warn', message, fields)),
  };
}
