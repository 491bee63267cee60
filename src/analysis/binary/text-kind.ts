// Classifies text content: shebang scripts (with their interpreter), shell droppers that carry no
// shebang (lines of cd/wget/chmod...), PHP, HTML, plain text. Looks at a bounded window only.

/** Bytes of a text sample examined; droppers give themselves away in the first lines. */
export const TEXT_WINDOW = 16 * 1024;
const MAX_LINES = 400;

export type TextKind =
  | { readonly kind: 'shell-script'; readonly interpreter: string; readonly shebang: boolean }
  | { readonly kind: 'script'; readonly interpreter: string; readonly shebang: boolean }
  | { readonly kind: 'html' }
  | { readonly kind: 'text'; readonly subtype: 'xml' | 'json' | 'plain' };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'ksh', 'mksh', 'zsh', 'hush', 'busybox', 'csh', 'tcsh', 'fish']);

/** Commands that make up dropper one-liners and bins.sh files. */
const SHELL_COMMANDS = new Set([
  'cd', 'wget', 'curl', 'tftp', 'ftpget', 'chmod', 'chown', 'rm', 'cp', 'mv', 'cat', 'echo', 'printf', 'busybox', 'sh', 'bash',
  'nohup', 'ulimit', 'kill', 'pkill', 'killall', 'iptables', 'export', 'mkdir', 'sleep', 'if', 'then', 'else', 'fi', 'for',
  'do', 'done', 'while', 'crontab', 'ln', 'touch', 'dd', 'exit', 'exec', 'source', '.', 'ps', 'grep', 'uname', 'nc', 'telnet',
  'tar', 'gzip', 'unzip', 'chattr', 'history', 'unset', 'set', 'sed', 'awk', 'head', 'tail', 'mount', 'ls', 'reboot', 'su',
  'sudo', 'service', 'systemctl', 'case', 'esac', 'trap', 'wait', 'test', '[', '[[', 'true', 'false', 'local', 'return',
  'read', 'shift', 'enable', 'system', 'shell', 'linuxshell', 'exec', 'eval', 'base64', 'python', 'perl', 'env', 'cron',
]);

export function classifyText(window: Uint8Array): TextKind {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(window.subarray(0, TEXT_WINDOW)).replace(/^\uFEFF/, '');
  if (text.startsWith('#!')) return fromShebang(text.slice(2, text.indexOf('\n') >= 0 ? text.indexOf('\n') : undefined));
  const trimmed = text.trimStart();
  if (/^<\?php\b/i.test(trimmed)) return { kind: 'script', interpreter: 'php', shebang: false };
  if (/^<!doctype html|^<html[\s>]|^<head[\s>]|^<body[\s>]/i.test(trimmed) || /<html[\s>]/i.test(trimmed.slice(0, 1024))) return { kind: 'html' };
  if (/^<\?xml\s/i.test(trimmed)) return { kind: 'text', subtype: 'xml' };
  if (/^[[{]/.test(trimmed) && looksLikeJson(trimmed)) return { kind: 'text', subtype: 'json' };
  if (looksLikeShell(text)) return { kind: 'shell-script', interpreter: 'sh', shebang: false };
  return { kind: 'text', subtype: 'plain' };
}

function fromShebang(line: string): TextKind {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  let program = basename(words[0] ?? '');
  // `#!/usr/bin/env python3` and `#!/bin/busybox sh` name the real interpreter second.
  if (program === 'env' || program === 'busybox') {
    const next = words.slice(1).find((w) => !w.startsWith('-'));
    if (next !== undefined) program = basename(next);
  }
  // The interpreter's basename as written (python3, perl, lua5.1), reduced to safe characters.
  const shown = program.replace(/[^\w.+-]/g, '?').slice(0, 32) || 'unknown';
  if (SHELLS.has(program.replace(/[\d.]+$/, ''))) return { kind: 'shell-script', interpreter: shown, shebang: true };
  return { kind: 'script', interpreter: shown, shebang: true };
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/**
 * Shell without a shebang: most non-comment lines (or `;`/`&&`/`|` separated parts of them) start
 * with a shell command or a path to run (./x, /tmp/x), and at least one is a download/exec verb.
 */
function looksLikeShell(text: string): boolean {
  let commands = 0;
  let others = 0;
  let strong = false;
  let download = false;
  const lines = text.split(/\r?\n/, MAX_LINES);
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    for (const part of trimmed.split(/;|&&|\|\||\|/)) {
      const word = part.trim().split(/\s+/)[0] ?? '';
      if (word === '') continue;
      const bare = word.replace(/^\(+/, '');
      const isPath = /^\.{0,2}\/[\w./-]+$/.test(bare);
      const isAssign = /^[A-Za-z_]\w*=/.test(bare);
      const cmd = basename(bare);
      if (SHELL_COMMANDS.has(cmd) || isPath || isAssign) {
        commands++;
        if (/^(wget|curl|tftp|ftpget|chmod|busybox|nohup)$/.test(cmd) || isPath) strong = true;
        if (/^(wget|curl|tftp|ftpget)$/.test(cmd)) download = true;
      } else {
        others++;
      }
    }
  }
  return strong && commands >= 3 * others && (commands >= 2 || download);
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
