// Every event sink hachi can write to, by config name. Config types are derived from the factories.
import { openJsonlSink } from './jsonl.ts';
import { openSqliteSink } from './sqlite.ts';
import type { SinkFactory } from './sink-factory.ts';

export const sinkFactories = {
  jsonl: { open: openJsonlSink },
  sqlite: { open: openSqliteSink },
} satisfies Record<string, SinkFactory>;

export type SinkName = keyof typeof sinkFactories;
export type SinkConfigs = { readonly [K in SinkName]: Parameters<(typeof sinkFactories)[K]['open']>[0] };
