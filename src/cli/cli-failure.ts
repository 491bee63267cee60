// A command failure with its own exit code (unknown sample, evicted sample, refused raw output), so
// scripts can tell the cases apart; printed like every HachiError, without a stack.
import { HachiError, type ErrorCode } from '../core/errors.ts';

/** Exit codes beyond 0 (success), 1 (general failure) and 2 (HachiError: usage, config, store). */
export const EXIT_UNKNOWN_SAMPLE = 3;
export const EXIT_SAMPLE_GONE = 4;

export class CliFailure extends HachiError {
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, exitCode: number) {
    super(code, message);
    this.name = 'CliFailure';
    this.exitCode = exitCode;
  }
}
