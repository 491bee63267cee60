// Telnet codec (RFC 854/855, NAWS RFC 1073, TTYPE RFC 1091): bytes in, frames out; no I/O, no timers.
// Newline handling (CR LF, CR NUL, bare LF) is left to the line discipline so data round-trips exactly.

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;

/** Option codes hachi names in events; any other option is reported by number. */
export const options = {
  BINARY: 0,
  ECHO: 1,
  SGA: 3,
  STATUS: 5,
  TIMING_MARK: 6,
  TTYPE: 24,
  NAWS: 31,
  TSPEED: 32,
  LFLOW: 33,
  LINEMODE: 34,
  XDISPLOC: 35,
  ENVIRON: 36,
  NEW_ENVIRON: 39,
} as const;

export type Verb = 'will' | 'wont' | 'do' | 'dont';

const verbCodes: Readonly<Record<Verb, number>> = { will: WILL, wont: WONT, do: DO, dont: DONT };

export type TelnetFrame =
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'negotiation'; readonly verb: Verb; readonly option: number }
  /** Any other two-byte command: NOP, AYT, IP, a stray SE, or a byte no RFC defines. */
  | { readonly kind: 'command'; readonly code: number }
  | { readonly kind: 'naws'; readonly width: number; readonly height: number }
  | { readonly kind: 'ttype'; readonly name: string }
  /** A subnegotiation hachi does not interpret, or a malformed NAWS/TTYPE. */
  | { readonly kind: 'subnegotiation'; readonly option: number; readonly bytes: Uint8Array }
  /** A subnegotiation grew past the limit; its remaining bytes are discarded up to IAC SE. */
  | { readonly kind: 'limit'; readonly limit: 'subnegotiation'; readonly max: number };

export interface TelnetDecoder {
  /** Decodes one chunk; state (a split IAC, an open subnegotiation) carries to the next chunk. */
  push(chunk: Uint8Array): TelnetFrame[];
  /** Bytes held between chunks: at most the subnegotiation limit. */
  readonly buffered: number;
}

type State = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac' | 'sb-discard' | 'sb-discard-iac';

export function optionName(option: number): string {
  for (const [name, code] of Object.entries(options)) if (code === option) return name;
  return String(option);
}

export function createDecoder(maxSubnegotiation = 1024): TelnetDecoder {
  let state: State = 'data';
  let verb: Verb = 'will';
  let sbOption = 0;
  let sb: number[] = [];

  const finishSub = (out: TelnetFrame[]): void => {
    out.push(subnegotiationFrame(sbOption, Uint8Array.from(sb)));
    sb = [];
  };

  const push = (chunk: Uint8Array): TelnetFrame[] => {
    const out: TelnetFrame[] = [];
    let dataStart = -1;
    const flushData = (end: number): void => {
      if (dataStart >= 0 && end > dataStart) out.push({ kind: 'data', bytes: chunk.slice(dataStart, end) });
      dataStart = -1;
    };
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      switch (state) {
        case 'data':
          if (byte === IAC) {
            flushData(i);
            state = 'iac';
          } else if (dataStart < 0) {
            dataStart = i;
          }
          break;
        case 'iac':
          if (byte === IAC) {
            // Escaped 0xFF: one data byte (its own frame keeps the slicing simple).
            out.push({ kind: 'data', bytes: Uint8Array.of(IAC) });
            state = 'data';
          } else if (byte >= WILL && byte <= DONT) {
            verb = byte === WILL ? 'will' : byte === WONT ? 'wont' : byte === DO ? 'do' : 'dont';
            state = 'verb';
          } else if (byte === SB) {
            state = 'sb-option';
          } else {
            out.push({ kind: 'command', code: byte });
            state = 'data';
          }
          break;
        case 'verb':
          out.push({ kind: 'negotiation', verb, option: byte });
          state = 'data';
          break;
        case 'sb-option':
          if (byte === IAC) {
            // `IAC SB IAC ...`: no option byte; treat the IAC as starting a command.
            state = 'iac';
          } else {
            sbOption = byte;
            sb = [];
            state = 'sb';
          }
          break;
        case 'sb':
          if (byte === IAC) {
            state = 'sb-iac';
          } else if (sb.length >= maxSubnegotiation) {
            out.push({ kind: 'limit', limit: 'subnegotiation', max: maxSubnegotiation });
            sb = [];
            state = 'sb-discard';
          } else {
            sb.push(byte);
          }
          break;
        case 'sb-iac':
          if (byte === SE) {
            finishSub(out);
            state = 'data';
          } else if (byte === IAC) {
            if (sb.length >= maxSubnegotiation) {
              out.push({ kind: 'limit', limit: 'subnegotiation', max: maxSubnegotiation });
              sb = [];
              state = 'sb-discard';
            } else {
              sb.push(IAC);
              state = 'sb';
            }
          } else {
            // Clients that forget IAC SE: end the subnegotiation and read this as a new command.
            finishSub(out);
            state = 'iac';
            i--;
          }
          break;
        case 'sb-discard':
          if (byte === IAC) state = 'sb-discard-iac';
          break;
        case 'sb-discard-iac':
          state = byte === SE ? 'data' : 'sb-discard';
          break;
      }
    }
    if (state === 'data') flushData(chunk.length);
    return out;
  };

  return {
    push,
    get buffered() {
      return sb.length;
    },
  };
}

function subnegotiationFrame(option: number, bytes: Uint8Array): TelnetFrame {
  if (option === options.NAWS && bytes.length === 4) {
    return { kind: 'naws', width: (bytes[0]! << 8) | bytes[1]!, height: (bytes[2]! << 8) | bytes[3]! };
  }
  if (option === options.TTYPE && bytes.length >= 1 && bytes[0] === 0) {
    return { kind: 'ttype', name: Buffer.from(bytes.subarray(1)).toString('latin1') };
  }
  return { kind: 'subnegotiation', option, bytes };
}

/** Doubles every 0xFF so data can never be read as a command. */
export function escapeData(data: Uint8Array): Uint8Array {
  // indexOf is native: most output has no 0xFF at all.
  if (data.indexOf(IAC) < 0) return data;
  let count = 0;
  for (const byte of data) if (byte === IAC) count++;
  if (count === 0) return data;
  const out = new Uint8Array(data.length + count);
  let j = 0;
  for (const byte of data) {
    out[j++] = byte;
    if (byte === IAC) out[j++] = IAC;
  }
  return out;
}

/** `IAC <verb> <option>`. */
export function optionCommand(verb: Verb, option: number): Uint8Array {
  return Uint8Array.of(IAC, verbCodes[verb], option);
}

/** `IAC SB <option> <payload, IAC doubled> IAC SE`. */
export function subnegotiation(option: number, payload: Uint8Array): Uint8Array {
  const body = escapeData(payload);
  const out = new Uint8Array(body.length + 5);
  out.set([IAC, SB, option]);
  out.set(body, 3);
  out.set([IAC, SE], body.length + 3);
  return out;
}

/** The NAWS report a client sends: `IAC SB NAWS w16 h16 IAC SE`. */
export function nawsReport(width: number, height: number): Uint8Array {
  return subnegotiation(options.NAWS, Uint8Array.of((width >> 8) & 255, width & 255, (height >> 8) & 255, height & 255));
}

/** The TTYPE reply a client sends: `IAC SB TTYPE IS <name> IAC SE`. */
export function ttypeIs(name: string): Uint8Array {
  return subnegotiation(options.TTYPE, Uint8Array.from([0, ...Buffer.from(name, 'latin1')]));
}
