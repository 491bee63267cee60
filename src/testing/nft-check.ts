// Validates a generated nftables ruleset with the real `nft -c -f` (check only, nothing is applied):
// as root directly, otherwise inside a throwaway user and network namespace (`unshare -rn`).
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NFT = '/usr/sbin/nft';

export async function nftInstalled(): Promise<boolean> {
  try {
    await access(NFT);
    return true;
  } catch {
    return false;
  }
}

export interface NftCheck {
  readonly ok: boolean;
  /** nft's own messages (file, line and the offending text) when it refused the ruleset. */
  readonly output: string;
}

export async function nftCheck(ruleset: string): Promise<NftCheck> {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-nft-'));
  const file = join(dir, 'ruleset.nft');
  try {
    await writeFile(file, ruleset);
    const [command, args] = process.getuid?.() === 0 ? [NFT, ['-c', '-f', file]] : ['unshare', ['-r', '-n', NFT, '-c', '-f', file]];
    return await new Promise<NftCheck>((resolve) => {
      execFile(command, args, { timeout: 30_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ ok: error === null, output: `${stdout}${stderr}${error && !stderr ? error.message : ''}` });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
