// The Telnet protocol's public surface: the session adapter and its context; the codec for clients and tests.
export { handleTelnet, defaultTelnetLimits } from './session.ts';
export type { TelnetAuth, TelnetContext, TelnetLimits } from './session.ts';
export { createDecoder, escapeData, optionCommand, subnegotiation, nawsReport, ttypeIs, options as telnetOptions } from './codec.ts';
export type { TelnetDecoder, TelnetFrame, Verb } from './codec.ts';
