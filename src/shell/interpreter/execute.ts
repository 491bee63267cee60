// The interpreter: walks the AST (lists, and-or chains, buffered pipelines, compound commands),
// runs source text for eval, scripts and sh -c, and turns ash's "raise error" into statuses.
import type { Command, CompoundCommand, List, Pipeline } from '../parser/ast.ts';
import { parseIncrementally } from '../parser/parser.ts';
import { ShellSyntaxError } from '../parser/syntax-error.ts';
import type { CommandKind, Executor } from './executor.ts';
import { expandPattern, expandString, expandWords, type ExpandHooks } from './expand.ts';
import { countCommand, describe, runArgv, runSimple } from './invoke.ts';
import { compilePattern, matchPattern } from './pattern.ts';
import { applyRedirects } from './redirect.ts';
import { ExitSignal, LoopSignal, ShellAbort, errorPrefix, forkShell, type Shell, type ShellMode } from './runtime.ts';
import { BufferOutput, LimitExceeded, inputOf, outputOf, trip, type Fd, type Fds } from './streams.ts';
import { bytesToShell } from './text-bytes.ts';

export class Interpreter implements Executor {
  async runList(shell: Shell, list: List, fds: Fds): Promise<number> {
    let status = 0;
    for (const item of list) {
      const { first, rest } = item.andOr;
      // Only the last pipeline of an && || chain is subject to `set -e`, and only if it ran.
      let checked = rest.length === 0 && !first.negate;
      status = rest.length === 0 ? await this.runPipeline(shell, first, fds) : await this.unchecked(shell, () => this.runPipeline(shell, first, fds));
      for (const [index, next] of rest.entries()) {
        if ((next.op === '&&') !== (status === 0)) continue;
        const last = index === rest.length - 1;
        status = last ? await this.runPipeline(shell, next.pipeline, fds) : await this.unchecked(shell, () => this.runPipeline(shell, next.pipeline, fds));
        checked = last && !next.pipeline.negate;
      }
      if (item.background) {
        // Run to completion, but answer like a started job: $! is set and $? is 0.
        shell.lastBackgroundPid = shell.env.nextPid++;
        status = 0;
      }
      shell.state.lastStatus = status;
      if (status !== 0 && checked && shell.options.errexit && shell.errexitOff === 0) throw new ExitSignal(status);
    }
    return status;
  }

  /** Runs work where a failure must not trigger `set -e` (conditions, && || operands, `!`). */
  private async unchecked(shell: Shell, work: () => Promise<number>): Promise<number> {
    shell.errexitOff += 1;
    try {
      return await work();
    } finally {
      shell.errexitOff -= 1;
    }
  }

  private async runPipeline(shell: Shell, pipeline: Pipeline, fds: Fds): Promise<number> {
    if (pipeline.negate && shell.errexitOff === 0) return this.unchecked(shell, () => this.runPipeline(shell, pipeline, fds));
    let status: number;
    if (pipeline.commands.length === 1) status = await this.runCommand(shell, pipeline.commands[0]!, fds);
    else {
      let input: Fd | undefined = fds.get(0);
      status = 0;
      for (const [index, command] of pipeline.commands.entries()) {
        const last = index === pipeline.commands.length - 1;
        const buffer = last ? null : new BufferOutput(shell.env.limits.maxOutputBytes, shell.env.budget);
        const stage = new Map(fds);
        if (input === undefined) stage.delete(0);
        else stage.set(0, input);
        if (buffer) stage.set(1, { kind: 'out', out: buffer });
        status = await this.inSubshell(forkShell(shell), (sub) => this.runCommand(sub, command, stage));
        input = buffer ? { kind: 'in', src: inputOf(buffer.bytes()) } : undefined;
      }
    }
    if (pipeline.negate) status = status === 0 ? 1 : 0;
    shell.state.lastStatus = status;
    return status;
  }

  /** Runs work in a forked shell: exit and errors end only the subshell, as after ash's fork. */
  private async inSubshell(sub: Shell, work: (sub: Shell) => Promise<number>): Promise<number> {
    try {
      return await work(sub);
    } catch (error) {
      if (error instanceof ExitSignal || error instanceof ShellAbort) return error.status;
      if (error instanceof LoopSignal) return 0;
      throw error;
    }
  }

  async runCommand(shell: Shell, command: Command, fds: Fds): Promise<number> {
    let status: number;
    if (command.type === 'simple') status = await runSimple(this, shell, command, fds);
    else if (command.type === 'funcdef') {
      shell.functions.set(command.name, command.body);
      status = 0;
    } else {
      await countCommand(shell);
      const table = command.redirs.length > 0 ? await applyRedirects(shell, this.hooks(shell, fds), command.redirs, fds, outputOf(fds, 2)) : fds;
      status = table === null ? 1 : await this.runCompound(shell, command, table);
    }
    shell.state.lastStatus = status;
    return status;
  }

  private async runCompound(shell: Shell, command: CompoundCommand, fds: Fds): Promise<number> {
    switch (command.type) {
      case 'group':
        return this.runList(shell, command.body, fds);
      case 'subshell':
        // A copy of the fd table, so `exec >file` inside stays inside.
        return this.inSubshell(forkShell(shell), (sub) => this.runList(sub, command.body, new Map(fds)));
      case 'if': {
        for (const clause of command.clauses) {
          if ((await this.unchecked(shell, () => this.runList(shell, clause.cond, fds))) === 0) return this.runList(shell, clause.body, fds);
        }
        return command.elseBody ? this.runList(shell, command.elseBody, fds) : 0;
      }
      case 'case': {
        const hooks = this.hooks(shell, fds);
        const subject = await expandString(shell, hooks, command.subject);
        for (const item of command.items) {
          for (const pattern of item.patterns) {
            if (matchPattern(compilePattern(await expandPattern(shell, hooks, pattern)), subject)) return this.runList(shell, item.body, fds);
          }
        }
        return 0;
      }
      case 'for': {
        const items = command.items === null ? [...shell.positional] : await expandWords(shell, this.hooks(shell, fds), command.items);
        let status = 0;
        for (const item of items) {
          this.countLoop(shell);
          shell.state.vars.set(command.name, item);
          const outcome = await this.loopBody(shell, command.body, fds);
          if (outcome.status !== null) status = outcome.status;
          if (outcome.stop) break;
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (;;) {
          this.countLoop(shell);
          const cond = await this.unchecked(shell, () => this.runList(shell, command.cond, fds));
          if ((cond === 0) === command.until) break;
          const outcome = await this.loopBody(shell, command.body, fds);
          if (outcome.status !== null) status = outcome.status;
          if (outcome.stop) break;
        }
        return status;
      }
    }
  }

  private countLoop(shell: Shell): void {
    const { budget, limits } = shell.env;
    if (budget.tripped) throw budget.tripped;
    budget.loops += 1;
    if (budget.loops > limits.maxLoopIterations) throw trip(budget, new LimitExceeded('loop-iterations', limits.maxLoopIterations, 'loop stopped'));
  }

  private async loopBody(shell: Shell, body: List, fds: Fds): Promise<{ status: number | null; stop: boolean }> {
    shell.loopDepth += 1;
    try {
      return { status: await this.runList(shell, body, fds), stop: false };
    } catch (error) {
      if (!(error instanceof LoopSignal)) throw error;
      if (error.levels > 1) {
        error.levels -= 1;
        throw error;
      }
      return { status: 0, stop: error.kind === 'break' };
    } finally {
      shell.loopDepth -= 1;
    }
  }

  async runSource(shell: Shell, source: string, fds: Fds): Promise<number> {
    const parser = parseIncrementally(source);
    let status = 0;
    for (;;) {
      let list: List | null;
      try {
        list = parser.next();
      } catch (error) {
        if (!(error instanceof ShellSyntaxError)) throw error;
        this.printSyntaxError(shell, error, fds);
        throw new ShellAbort(2);
      }
      if (list === null) return status;
      status = await this.runList(shell, list, fds);
    }
  }

  printSyntaxError(shell: Shell, error: ShellSyntaxError, fds: Fds): void {
    shell.lineNo = error.line;
    outputOf(fds, 2).write(`${errorPrefix(shell, null)}syntax error: ${error.message}\n`);
  }

  async runScript(shell: Shell, source: string, argv: readonly string[], fds: Fds, mode: ShellMode): Promise<number> {
    const env = shell.env;
    if (env.depth >= env.limits.maxRecursion) throw trip(env.budget, new LimitExceeded('recursion', env.limits.maxRecursion, 'sh/script nesting too deep'));
    const child = forkShell(shell, { arg0: argv[0] ?? 'sh', mode, positional: argv.slice(1) });
    // A new shell process: no traps, options or getopts state of its parent.
    child.traps.clear();
    child.options = { noglob: false, errexit: false, nounset: false, xtrace: false };
    child.errexitOff = 0;
    child.getopts = { ind: 1, off: -1 };
    env.depth += 1;
    try {
      const table = new Map(fds);
      const status = await this.inSubshell(child, (sub) => this.runSource(sub, source, table));
      return await this.runExitTrap(child, status, table);
    } finally {
      env.depth -= 1;
    }
  }

  /** Runs the `trap ... EXIT` action once as the shell ends; returns the shell's final status. */
  async runExitTrap(shell: Shell, status: number, fds: Fds): Promise<number> {
    const action = shell.traps.get('EXIT');
    if (action === undefined) return status;
    shell.traps.delete('EXIT');
    shell.state.lastStatus = status;
    shell.errexitOff += 1;
    try {
      await this.runSource(shell, action, fds);
      return status;
    } catch (error) {
      if (error instanceof ExitSignal) return error.status;
      if (error instanceof ShellAbort) return status;
      throw error;
    } finally {
      shell.errexitOff -= 1;
    }
  }

  runArgv(shell: Shell, argv: readonly string[], fds: Fds): Promise<number> {
    return runArgv(this, shell, argv, fds);
  }

  describe(shell: Shell, name: string): CommandKind {
    return describe(shell, name);
  }

  hooks(shell: Shell, fds: Fds): ExpandHooks {
    return {
      commandSub: async (body) => {
        const env = shell.env;
        if (env.depth >= env.limits.maxRecursion) throw trip(env.budget, new LimitExceeded('recursion', env.limits.maxRecursion, '$(...) nesting too deep'));
        const buffer = new BufferOutput(env.limits.maxOutputBytes, env.budget);
        const table = new Map(fds);
        table.set(1, { kind: 'out', out: buffer });
        env.depth += 1;
        try {
          shell.state.lastStatus = await this.inSubshell(forkShell(shell), (sub) => this.runList(sub, body, table));
        } finally {
          env.depth -= 1;
        }
        return bytesToShell(buffer.bytes()).replace(/\n+$/, '');
      },
      fail: (message) => {
        outputOf(fds, 2).write(`${errorPrefix(shell, null)}${message}\n`);
        throw new ShellAbort(2);
      },
    };
  }
}
