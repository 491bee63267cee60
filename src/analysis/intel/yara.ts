// Runs Debian's `yara` on a sample with the family rules rendered as YARA plus any extra .yar files,
// and parses its output into the matcher's RuleMatch shape. execFile, no shell, timeout, output cap.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleMatch, StringEvidence } from './family-rules.ts';
import type { FamilyRule } from './rule-schema.ts';
import { renderYaraRules, yaraRuleName } from './yara-render.ts';

export interface YaraOptions {
  readonly yaraPath: string;
  /** Directory of extra `.yar`/`.yara` files to run beside the built-in rules (config, trusted). */
  readonly extraRulesDir: string | null;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

export const defaultYaraOptions: YaraOptions = { yaraPath: '/usr/bin/yara', extraRulesDir: null, timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 };

export type YaraResult = { readonly ok: true; readonly matches: readonly RuleMatch[] } | { readonly ok: false; readonly error: string };

const MAX_EXTRA_FILES = 200;
const MAX_OFFSETS = 8;

export async function yaraAvailable(yaraPath: string = defaultYaraOptions.yaraPath): Promise<boolean> {
  try {
    await access(yaraPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Scans bytes by writing them to a private temporary file first. */
export async function runYaraOnBytes(rules: readonly FamilyRule[], bytes: Uint8Array, options: Partial<YaraOptions> = {}): Promise<YaraResult> {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-sample-'));
  try {
    const path = join(dir, 'sample');
    await writeFile(path, bytes, { mode: 0o600 });
    return await runYara(rules, path, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runYara(rules: readonly FamilyRule[], samplePath: string, options: Partial<YaraOptions> = {}): Promise<YaraResult> {
  const opts = { ...defaultYaraOptions, ...options };
  const dir = await mkdtemp(join(tmpdir(), 'hachi-yara-'));
  try {
    const rulesFile = join(dir, 'builtin.yar');
    await writeFile(rulesFile, renderYaraRules(rules), { mode: 0o600 });
    let extras: string[] = [];
    try {
      if (opts.extraRulesDir !== null) extras = await extraRuleFiles(opts.extraRulesDir);
    } catch (error) {
      return { ok: false, error: `cannot read extra YARA rules: ${error instanceof Error ? error.message : String(error)}` };
    }
    // "namespace:path" is explicit so a ":" inside a path is never read as a namespace.
    const ruleArgs = [`builtin:${rulesFile}`, ...extras.map((file, i) => `extra${i}:${file}`)];
    const timeoutSeconds = String(Math.max(1, Math.ceil(opts.timeoutMs / 1000)));
    const base = ['-w', '-e', '-m', '-a', timeoutSeconds];
    let run = await exec(opts, [...base, '-s', ...ruleArgs, samplePath]);
    // Too many string hits to print: ask again for the rule names alone.
    if (!run.ok && run.overflow) run = await exec(opts, [...base, ...ruleArgs, samplePath]);
    if (!run.ok) return { ok: false, error: run.error };
    return { ok: true, matches: parseYaraOutput(run.stdout, samplePath, rules) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function extraRuleFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /\.yara?$/.test(n)).sort().slice(0, MAX_EXTRA_FILES);
  const files: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) files.push(path);
  }
  return files;
}

type ExecResult = { ok: true; stdout: string } | { ok: false; overflow: boolean; error: string };

function exec(opts: YaraOptions, args: readonly string[]): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      opts.yaraPath,
      args,
      { shell: false, timeout: opts.timeoutMs, maxBuffer: opts.maxOutputBytes, killSignal: 'SIGKILL', encoding: 'latin1', windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const code = (error as NodeJS.ErrnoException).code;
        const overflow = code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
        const reason = error.killed && !overflow ? `timed out after ${opts.timeoutMs} ms` : stderr.trim().split('\n')[0] || error.message;
        resolve({ ok: false, overflow, error: `yara failed: ${reason.slice(0, 500)}` });
      },
    );
  });
}

/** Parses `yara -e -m [-s]` output for one sample into matches. */
export function parseYaraOutput(stdout: string, samplePath: string, rules: readonly FamilyRule[]): RuleMatch[] {
  const builtin = new Map(rules.map((r) => [yaraRuleName(r.id), r]));
  const matches: RuleMatch[] = [];
  let current: { header: RuleHeader; evidence: Map<string, number[]> } | null = null;
  const flush = (): void => {
    if (current) matches.push(toMatch(current.header, current.evidence, builtin));
    current = null;
  };
  for (const line of stdout.split('\n')) {
    const hit = /^0x([0-9a-f]+):\$([A-Za-z0-9_]*):/.exec(line);
    if (hit && current) {
      const offsets = current.evidence.get(hit[2]!) ?? [];
      if (offsets.length < MAX_OFFSETS) offsets.push(parseInt(hit[1]!, 16));
      current.evidence.set(hit[2]!, offsets);
      continue;
    }
    if (!line.endsWith(` ${samplePath}`)) continue;
    flush();
    const header = parseHeader(line.slice(0, -samplePath.length - 1));
    if (header) current = { header, evidence: new Map() };
  }
  flush();
  return matches;
}

interface RuleHeader {
  readonly namespace: string;
  readonly name: string;
  readonly meta: ReadonlyMap<string, string>;
}

function parseHeader(text: string): RuleHeader | null {
  const m = /^([A-Za-z0-9_]+):([A-Za-z_][A-Za-z0-9_]*)(?: \[(.*)\])?$/.exec(text);
  if (!m) return null;
  const meta = new Map<string, string>();
  for (const kv of (m[3] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|([^,\]]*))/g)) {
    if (!meta.has(kv[1]!)) meta.set(kv[1]!, (kv[2] ?? kv[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  return { namespace: m[1]!, name: m[2]!, meta };
}

function toMatch(header: RuleHeader, found: ReadonlyMap<string, number[]>, builtin: ReadonlyMap<string, FamilyRule>): RuleMatch {
  const evidence: StringEvidence[] = [...found].map(([name, offsets]) => ({ name, offsets: offsets.sort((a, b) => a - b) }));
  const rule = header.namespace === 'builtin' ? builtin.get(header.name) : undefined;
  if (rule) return { ruleId: rule.id, family: rule.family, variant: rule.variant, evidence, engine: 'yara' };
  const family = header.meta.get('family') ?? header.meta.get('malware_family') ?? header.name.toLowerCase();
  const variant = header.meta.get('variant') || null;
  return { ruleId: `${header.namespace}:${header.name}`, family, variant, evidence, engine: 'yara' };
}
