/**
 * The arrows of src/ run one way, from the pipeline's top down to its foundations:
 *   cli -> index -> migrate, inspect -> dump, load, verify -> report, plan -> mapping
 *       -> source/postgres, target/mysql -> model -> connection, files, compression, tsv, errors
 * Each layer below may not import a layer above it, and no module may sit on a cycle.
 */
const LAYERS = [
  ['src/(errors|version)\\.ts$', 'src/(connection|files|compression|tsv)/'],
  ['src/model/'],
  ['src/source/', 'src/target/'],
  ['src/mapping/'],
  ['src/plan/'],
  ['src/report/'],
  ['src/(dump|load|verify)/'],
  ['src/(migrate|inspect)/'],
  ['src/index\\.ts$'],
  ['src/cli/'],
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${i}-imports-upward`,
  severity: 'error',
  comment: `${layer.join(' ')} may import only from the layers below it`,
  from: { path: layer.map((p) => `^${p}`) },
  to: { path: LAYERS.slice(i + 1).flat().map((p) => `^${p}`) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no module may import itself through others', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'cli-only-through-index',
      severity: 'error',
      comment: 'the CLI uses the library as any user would: through src/index.ts',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
