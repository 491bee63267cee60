// Whether a real device takes new sessions now, and when its reset hook runs: up, down (health
// probe), full (sessions at capacity), draining (a reset is due; live sessions finish first) or
// resetting (the hook runs, then the device settles). Clock, timers and the hook are injected.
import type { Timers } from './device-health.ts';
import type { ResetOutcome } from './reset-hook.ts';

export type DeviceStateName = 'up' | 'down' | 'full' | 'draining' | 'resetting';
export type ResetTrigger = 'sessions' | 'schedule' | 'demand' | 'indicator';

export type Admission = { readonly ok: true } | { readonly ok: false; readonly state: Exclude<DeviceStateName, 'up'>; readonly reason: string };

/** What a reset request did: started or queued it, joined one already due, or found no hook. */
export type ResetRequest = 'pending' | 'already' | 'no-hook';

export interface ResetPolicy {
  /** Runs the hook; never rejects (runResetHook). */
  readonly run: () => Promise<ResetOutcome>;
  /** Reset once this many sessions have started since the last reset, and all have ended. */
  readonly afterSessions: number | null;
  /** Reset this long after the last reset (or the start), once live sessions have ended. */
  readonly everyMs: number | null;
  /** After the hook, how long the device gets to boot before it is checked and admitted again. */
  readonly settleMs: number;
  /** Demand and indicator resets wait at most this long for live sessions (the hook cuts the rest). */
  readonly drainTimeoutMs: number;
}

export interface LastReset extends ResetOutcome {
  readonly at: number;
  readonly trigger: ResetTrigger;
  readonly reason: string | null;
}

export interface DeviceStatus {
  readonly device: string;
  readonly state: DeviceStateName;
  readonly active: number;
  readonly sessionsSinceReset: number;
  readonly pendingReset: ResetTrigger | null;
  readonly lastReset: LastReset | null;
}

export interface DeviceStateOptions {
  readonly name: string;
  readonly maxSessions: number;
  readonly reset: ResetPolicy | null;
  /** Probes the device after a reset's settle time (the health monitor's check); null admits at once. */
  readonly check: (() => Promise<boolean>) | null;
  /** Sessions waiting in acquire() at once; more are refused straight away. */
  readonly maxWaiting: number;
  readonly now: () => number;
  readonly timers: Timers;
  readonly onState: (state: DeviceStateName, status: DeviceStatus) => void;
  /** The hook ran (publish device.reset); reason is the indicator's. */
  readonly onReset: (reset: LastReset) => void;
}

export interface DeviceState {
  /** Would a new session be let in now? Does not count it. */
  admit(): Admission;
  /** Admits and counts a session, waiting up to maxWaitMs for the device to take it. */
  acquire(maxWaitMs: number): Promise<Admission>;
  sessionStarted(): void;
  sessionEnded(): void;
  /** From the health monitor's onChange. */
  healthChanged(up: boolean): void;
  demand(): ResetRequest;
  indicator(reason: string): ResetRequest;
  status(): DeviceStatus;
  /** Cancels timers and waiters; no callbacks after it. A running hook runs to its own end. */
  stop(): void;
}

const URGENCY: Readonly<Record<ResetTrigger, number>> = { sessions: 0, schedule: 1, demand: 2, indicator: 3 };

export function createDeviceState(options: DeviceStateOptions): DeviceState {
  const { reset, timers } = options;
  let active = 0;
  let sessionsSinceReset = 0;
  let healthy = true;
  let phase: 'normal' | 'draining' | 'running' | 'settling' = 'normal';
  let pending: { trigger: ResetTrigger; reason: string | null } | null = null;
  let lastReset: LastReset | null = null;
  let reported: DeviceStateName = 'up';
  let stopped = false;
  let cancelSchedule: (() => void) | null = null;
  let cancelDrain: (() => void) | null = null;
  const waiters: { resolve: (a: Admission) => void; cancel: () => void }[] = [];

  const state = (): DeviceStateName =>
    phase === 'draining' ? 'draining' : phase !== 'normal' ? 'resetting' : !healthy ? 'down' : active >= options.maxSessions ? 'full' : 'up';

  const admit = (): Admission => {
    const s = state();
    if (s === 'up') return { ok: true };
    const reason =
      s === 'down' ? `device ${options.name} is down`
      : s === 'full' ? `device ${options.name} already has ${active} sessions`
      : s === 'draining' ? `device ${options.name} resets (${pending?.trigger ?? 'due'}) once its live sessions end (${active} left)`
      : `device ${options.name} is resetting`;
    return { ok: false, state: s, reason };
  };

  const status = (): DeviceStatus => ({ device: options.name, state: state(), active, sessionsSinceReset, pendingReset: pending?.trigger ?? null, lastReset });

  /** Reports a changed state and lets waiting sessions in while there is room. */
  const update = (): void => {
    if (stopped) return;
    while (waiters.length > 0 && state() === 'up') {
      const waiter = waiters.shift()!;
      waiter.cancel();
      started();
      waiter.resolve({ ok: true });
    }
    const now = state();
    if (now !== reported) {
      reported = now;
      options.onState(now, status());
    }
  };

  const started = (): void => {
    active += 1;
    sessionsSinceReset += 1;
    if (reset?.afterSessions != null && sessionsSinceReset >= reset.afterSessions) request('sessions', null);
  };

  const armSchedule = (): void => {
    cancelSchedule?.();
    cancelSchedule = reset?.everyMs != null && !stopped ? timers.after(reset.everyMs, () => request('schedule', null)) : null;
  };

  const request = (trigger: ResetTrigger, reason: string | null): ResetRequest => {
    if (!reset) return 'no-hook';
    if (stopped || phase === 'running' || phase === 'settling') return 'already';
    const joined = phase === 'draining';
    if (!pending || URGENCY[trigger] > URGENCY[pending.trigger]) pending = { trigger, reason };
    phase = 'draining';
    if (active === 0) void runReset();
    else if (cancelDrain === null && (pending.trigger === 'demand' || pending.trigger === 'indicator')) {
      cancelDrain = timers.after(reset.drainTimeoutMs, () => void runReset());
    }
    update();
    return joined ? 'already' : 'pending';
  };

  const runReset = async (): Promise<void> => {
    if (!reset || phase !== 'draining' || pending === null) return;
    const { trigger, reason } = pending;
    phase = 'running';
    cancelDrain?.();
    cancelDrain = null;
    cancelSchedule?.();
    cancelSchedule = null;
    update();
    const at = options.now();
    let outcome: ResetOutcome;
    try {
      outcome = await reset.run(); // inside try: a hook runner that throws synchronously is a failed reset too
    } catch (error) {
      outcome = { exitCode: null, durationMs: options.now() - at, detail: `reset hook failed: ${String(error)}` };
    }
    pending = null;
    sessionsSinceReset = 0;
    lastReset = { ...outcome, at, trigger, reason };
    phase = 'settling';
    if (!stopped) options.onReset(lastReset);
    timers.after(reset.settleMs, () => void settled());
  };

  const settled = async (): Promise<void> => {
    if (stopped) return;
    if (options.check) healthy = await options.check().catch(() => false);
    phase = 'normal';
    armSchedule();
    update();
  };

  armSchedule();
  return {
    admit,
    acquire(maxWaitMs) {
      const now = admit();
      if (now.ok) {
        started();
        update();
        return Promise.resolve(now);
      }
      if (maxWaitMs <= 0 || stopped) return Promise.resolve(now);
      if (waiters.length >= options.maxWaiting) return Promise.resolve({ ...now, reason: `${now.reason}; ${waiters.length} sessions already waiting` });
      return new Promise((resolve) => {
        const waiter = {
          resolve,
          cancel: timers.after(maxWaitMs, () => {
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(refusal());
          }),
        };
        waiters.push(waiter);
      });
    },
    sessionStarted() {
      started();
      update();
    },
    sessionEnded() {
      active = Math.max(0, active - 1);
      if (phase === 'draining' && active === 0) void runReset();
      update();
    },
    healthChanged(up) {
      healthy = up;
      update();
    },
    demand: () => request('demand', null),
    indicator: (reason) => request('indicator', reason),
    status,
    stop() {
      stopped = true;
      cancelSchedule?.();
      cancelDrain?.();
      for (const waiter of waiters.splice(0)) {
        waiter.cancel();
        waiter.resolve(refusal());
      }
    },
  };

  function refusal(): Admission {
    const a = admit();
    return a.ok ? { ok: false, state: 'down', reason: `device ${options.name} is no longer relayed` } : a;
  }
}
