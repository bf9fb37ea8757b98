/**
 * The import rules of docs/architecture.md ("Layers"), checked by `npm run lint`.
 * Layers, lowest first: contracts/errors/units -> stats, config, runtime, sampling, workloads,
 * sensor, collector, diagnostics -> baseline, report, github, delivery -> run, scenarios, ci,
 * history -> app -> cli. A module may import its own layer and the ones below, never above.
 * `errors.ts` (typed errors, exit codes) and `units.ts` are the shared root every layer may use.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one; split the shared part out instead.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'stats-is-pure',
      comment: 'stats/ computes on numbers and contracts only: formatting and prose live in report/.',
      severity: 'error',
      from: { path: '^src/stats/' },
      to: { path: '^src/', pathNot: ['^src/stats/', '^src/contracts/', '^src/(units|errors)\\.ts$'] },
    },
    {
      name: 'contracts-are-the-bottom',
      comment: 'The file formats depend on nothing of ours but each other.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: '^src/', pathNot: ['^src/contracts/', '^src/(units|errors)\\.ts$'] },
    },
    {
      name: 'only-the-engine-runs-a-run',
      comment: 'One session engine is the only caller of runOnce; plans are built, not looped.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/run/engine\\.ts$', '^src/run/run-once\\.ts$'] },
      // Its types (RunHooks, the seams delivery and scenarios plug into) may be named anywhere below.
      to: { path: '^src/run/run-once\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-is-thin',
      comment:
        'Commands parse, call the application layer and print: they import app/ and report/, load the config ' +
        '(config/load.ts, the one place it enters) and may name contract and config types.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: {
        path: '^src/',
        pathNot: ['^src/cli/', '^src/app/', '^src/report/', '^src/(errors|units)\\.ts$', '^src/(contracts|config)/'],
      },
    },
    {
      name: 'cli-names-only-types-of-contracts-and-config',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(contracts|config)/', pathNot: '^src/config/load\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-handler-imports-a-handler',
      severity: 'error',
      from: { path: '^src/cli/commands/([^/]+)\\.ts$' },
      to: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/$1\\.ts$' },
    },
    {
      name: 'only-cli-imports-app',
      comment: 'The application layer sits above every domain folder.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/app/'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'report-renders-only',
      comment: 'report/ turns contracts and stats results into text; it never runs or stores anything.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/(run|scenarios|ci|app|baseline|github|runtime|sampling|sensor|collector|workloads)/' },
    },
    {
      name: 'domain-below-orchestration',
      comment: 'Measuring, storing and rendering never reach up into run/, scenarios/ or ci/.',
      severity: 'error',
      from: { path: '^src/(stats|config|runtime|sampling|workloads|sensor|collector|diagnostics|baseline|report|github)/' },
      to: { path: '^src/(run|scenarios|ci)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
