// Messages between the analysis queue and its worker thread.
import type { SampleAnalysis } from './analyse-sample.ts';

export interface AnalysisWorkerInit {
  /** Family rule directory (the built-in one unless configured). */
  readonly rulesDir: string | null;
  /** The yara tool, or null to use only the built-in matcher. */
  readonly yaraPath: string | null;
  readonly extraYaraRulesDir: string | null;
  readonly unpack: boolean;
  readonly maxInnerBytes: number;
}

export type ToAnalysisWorker = { readonly id: number; readonly sha256: string; readonly bytes: Uint8Array };

export type FromAnalysisWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'init-failed'; readonly message: string }
  | { readonly kind: 'done'; readonly id: number; readonly analysis: SampleAnalysis }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
