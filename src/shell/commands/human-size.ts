// BusyBox's make_human_readable_str(value, 1, 0): 52 → "52", 1536 → "1.5K", 10 MiB → "10.0M".

const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'] as const;

export function humanReadable(value: number): string {
  let whole = Math.floor(value);
  if (whole === 0) return '0';
  let unit = 0;
  let frac = 0;
  while (whole >= 1024 && unit < units.length - 1) {
    frac = Math.floor(((whole % 1024) * 10 + 512) / 1024);
    whole = Math.floor(whole / 1024);
    unit++;
  }
  if (unit === 0) return String(whole);
  if (frac >= 10) {
    whole++;
    frac = 0;
  }
  return `${whole}.${frac}${units[unit] ?? ''}`;
}
