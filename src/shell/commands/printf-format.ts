// C printf number formatting (flags, width, precision) for printf's %d %i %u %o %x %X %f %e %g.

export interface Spec {
  readonly flags: string;
  readonly width: number | null;
  readonly precision: number | null;
  readonly conversion: string;
}

const wrap64 = (value: bigint): bigint => BigInt.asUintN(64, value);

function pad(body: string, prefix: string, spec: Spec, numericZeroPad: boolean): string {
  const width = spec.width ?? 0;
  const length = prefix.length + body.length;
  if (length >= width) return prefix + body;
  if (spec.flags.includes('-')) return prefix + body + ' '.repeat(width - length);
  if (numericZeroPad) return prefix + '0'.repeat(width - length) + body;
  return ' '.repeat(width - length) + prefix + body;
}

export function formatInteger(value: bigint, spec: Spec): string {
  const c = spec.conversion;
  const signed = c === 'd' || c === 'i';
  const negative = signed && value < 0n;
  const magnitude = signed ? (negative ? -value : value) : wrap64(value);
  let digits = c === 'o' ? magnitude.toString(8) : c === 'x' ? magnitude.toString(16) : c === 'X' ? magnitude.toString(16).toUpperCase() : magnitude.toString(10);
  if (spec.precision !== null) digits = spec.precision === 0 && magnitude === 0n ? '' : digits.padStart(spec.precision, '0');
  let prefix = negative ? '-' : signed && spec.flags.includes('+') ? '+' : signed && spec.flags.includes(' ') ? ' ' : '';
  if (spec.flags.includes('#') && magnitude !== 0n) {
    if (c === 'x') prefix += '0x';
    else if (c === 'X') prefix += '0X';
    else if (c === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
  }
  return pad(digits, prefix, spec, spec.flags.includes('0') && spec.precision === null);
}

function exponential(value: number, precision: number, upper: boolean): string {
  const [mantissa = '0', exponent = '0'] = value.toExponential(precision).split('e');
  const expNumber = Number(exponent);
  const text = `${mantissa}e${expNumber < 0 ? '-' : '+'}${String(Math.abs(expNumber)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

export function formatFloat(value: number, spec: Spec): string {
  const c = spec.conversion;
  const precision = spec.precision ?? 6;
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let body: string;
  if (!Number.isFinite(magnitude)) body = Number.isNaN(magnitude) ? 'nan' : 'inf';
  else if (c === 'f') body = magnitude.toFixed(Math.min(precision, 100));
  else if (c === 'e' || c === 'E') body = exponential(magnitude, Math.min(precision, 100), c === 'E');
  else {
    const p = Math.min(precision === 0 ? 1 : precision, 100);
    const exp = magnitude === 0 ? 0 : Math.floor(Math.log10(magnitude));
    body = exp < -4 || exp >= p ? exponential(magnitude, p - 1, c === 'G') : magnitude.toFixed(Math.max(0, p - 1 - exp));
    if (!spec.flags.includes('#')) {
      const [mantissa = '', exponent = ''] = body.split(/(?=[eE])/);
      body = (mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa) + exponent;
    }
  }
  const prefix = negative ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  return pad(body, prefix, spec, spec.flags.includes('0') && Number.isFinite(magnitude));
}
