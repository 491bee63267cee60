// The shared attack corpus (../shared/corpus/telnet-attacks.yaml, beside the project): credentials
// bots try and scripted attack scenarios; null when the corpus is not there.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface CorpusStep {
  send: string;
  expect?: string;
  absent?: string;
}
export interface CorpusScenario {
  name: string;
  steps: CorpusStep[];
  dropped_file?: { path: string; hex: string };
  expect_downloads?: string[];
}
export interface Corpus {
  credentials_mirai_style: [string, string][];
  scenarios: CorpusScenario[];
}

const corpusPath = new URL('../../../shared/corpus/telnet-attacks.yaml', import.meta.url);

export const attackCorpus: Corpus | null = existsSync(corpusPath) ? (parse(readFileSync(corpusPath, 'utf8')) as Corpus) : null;
