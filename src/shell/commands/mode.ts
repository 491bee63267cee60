// File mode arithmetic for chmod and mkdir -m: octal (`777`) and symbolic (`u+x,go-w`, `+x`).

/** Returns the new mode, or null when `text` is not a valid mode. */
export function parseMode(text: string, current: number, isDir = false): number | null {
  if (/^[0-7]+$/.test(text)) {
    const value = Number.parseInt(text, 8);
    return value > 0o7777 ? null : value;
  }
  let mode = current & 0o7777;
  for (const clause of text.split(',')) {
    const match = /^([ugoa]*)([-+=][rwxXst]*)+$/.exec(clause);
    if (!match) return null;
    const who = match[1] ?? '';
    const mask = who === '' || who.includes('a') ? 0o7777 : (who.includes('u') ? 0o4700 : 0) | (who.includes('g') ? 0o2070 : 0) | (who.includes('o') ? 0o1007 : 0);
    for (const action of clause.slice(who.length).match(/[-+=][rwxXst]*/g) ?? []) {
      const op = action[0];
      let bits = 0;
      for (const perm of action.slice(1)) {
        if (perm === 'r') bits |= 0o444;
        else if (perm === 'w') bits |= 0o222;
        else if (perm === 'x') bits |= 0o111;
        else if (perm === 'X' && (isDir || (mode & 0o111) !== 0)) bits |= 0o111;
        else if (perm === 's') bits |= 0o6000;
        else if (perm === 't') bits |= 0o1000;
      }
      bits &= mask;
      if (op === '+') mode |= bits;
      else if (op === '-') mode &= ~bits;
      else mode = (mode & ~(mask & 0o777)) | bits;
    }
  }
  return mode;
}

/** `-rwxr-xr-x` style string for ls -l. */
export function modeString(kind: 'file' | 'dir' | 'symlink' | 'device', mode: number): string {
  const type = kind === 'dir' ? 'd' : kind === 'symlink' ? 'l' : kind === 'device' ? 'c' : '-';
  const triplet = (shift: number, special: number, specialChar: string): string => {
    const r = mode & (4 << shift) ? 'r' : '-';
    const w = mode & (2 << shift) ? 'w' : '-';
    const exec = (mode & (1 << shift)) !== 0;
    const x = mode & special ? (exec ? specialChar : specialChar.toUpperCase()) : exec ? 'x' : '-';
    return r + w + x;
  };
  return type + triplet(6, 0o4000, 's') + triplet(3, 0o2000, 's') + triplet(0, 0o1000, 't');
}
