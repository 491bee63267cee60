// Worker-thread side of the analysis queue: loads and compiles the family rules once, then
// analyses one sample at a time, so analysis never runs on the thread that serves attackers.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseSample, type AnalyserOptions } from './analyse-sample.ts';
import type { AnalysisWorkerInit, FromAnalysisWorker, ToAnalysisWorker } from './analysis-protocol.ts';
import { compileRules } from './intel/family-rules.ts';
import { builtinFamiliesDir, loadFamilyRules } from './intel/rule-loader.ts';

const port = parentPort;
if (!port) throw new Error('analysis-worker.ts runs only as a worker thread');
const init = workerData as AnalysisWorkerInit;
const reply = (message: FromAnalysisWorker): void => port.postMessage(message);

const loaded = await loadFamilyRules(init.rulesDir ?? builtinFamiliesDir());
if (!loaded.ok) {
  reply({ kind: 'init-failed', message: loaded.problems.join('; ') });
  port.close();
} else {
  const options: AnalyserOptions = {
    rules: compileRules(loaded.rules),
    yara: init.yaraPath === null ? null : { rules: loaded.rules, path: init.yaraPath, extraRulesDir: init.extraYaraRulesDir },
    unpack: init.unpack,
    maxInnerBytes: init.maxInnerBytes,
  };
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (job: ToAnalysisWorker) => {
    chain = chain.then(async () => {
      try {
        const analysis = await analyseSample(job.sha256, job.bytes, options);
        reply({ kind: 'done', id: job.id, analysis });
      } catch (error) {
        reply({ kind: 'failed', id: job.id, message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  reply({ kind: 'ready' });
}
