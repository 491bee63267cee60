// Layer rules from docs/architecture.md: core is the vocabulary, inner layers see only core,
// sinks/stores depend on core only, one composition root (src/app) wires everything. No cycles.
const inner = '^src/(listeners|protocols|sessions|shell|capture|personas|relay)/';  // relay: the recording relay and its pure encoders
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'core-imports-nothing', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(?!core/)' } },
    {
      name: 'inner-layers-see-core-only',
      comment: 'listeners, protocols, sessions, shell, capture, personas and relay never import sinks, stores, pipeline, api or analysis',
      severity: 'error',
      from: { path: inner, pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(sinks|storage|pipeline|api|dashboard|reports|cli|analysis|app|config)/' },
    },
    {
      name: 'protocols-do-not-import-shell',
      comment: 'a protocol gets its shell through the ShellFactory port',
      severity: 'error',
      from: { path: '^src/protocols/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(shell|personas)/' },
    },
    {
      name: 'sinks-depend-on-core-only',
      severity: 'error',
      from: { path: '^src/(sinks|pipeline)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(?!core/|sinks/|pipeline/|storage/)' },
    },
    {
      name: 'fetch-and-analysis-see-core-only',
      comment: 'the fetcher and the static analysers are libraries: no sessions, stores or wiring',
      severity: 'error',
      from: { path: '^src/(fetch|analysis)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(?!core/|fetch/|analysis/)' },
    },
    {
      name: 'web-and-exploits-see-core-only',
      comment: 'device web interfaces from persona data, and exploit signatures/matching, are libraries over the core contract (core/http.ts)',
      severity: 'error',
      from: { path: '^src/(web|exploits)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(?!core/|web/|exploits/)' },
    },
    {
      name: 'collect-has-no-wiring',
      comment: 'collect joins fetcher, shell and analysis through ports; the composition root wires it',
      severity: 'error',
      from: { path: '^src/collect/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(app|cli|config|sinks|pipeline|listeners|protocols)/' },
    },
    {
      name: 'only-tests-import-testing',
      severity: 'error',
      from: { path: '^src/', pathNot: '(\\.test\\.ts$|^src/testing/)' },
      to: { path: '^src/testing/' },
    },
    { name: 'no-orphans', severity: 'warn', from: { orphan: true, pathNot: '(\\.d\\.ts$|\\.test\\.ts$|main\\.ts$)' }, to: {} },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
