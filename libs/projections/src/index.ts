// The projection runner: read models built from the global log into PostgreSQL, exactly once.
export * from './projection';
export * from './projection.errors';
export {
  indexName,
  liveTables,
  mapTables,
  shadowTables,
  tablesInSchema,
  splitQualified,
  SHADOW_SUFFIX,
  RETIRED_SUFFIX,
} from './table-names';
export type { QualifiedName } from './table-names';
export type { ProjectionState } from './checkpoint.repository';
export { describeError } from './safe-error';
export { ProjectionMetrics } from './projection-metrics';
export type { ProjectionFigures } from './projection-metrics';
export type { RebuildOptions, RebuildPhase, RebuildProgress, RebuildResult } from './projection-rebuild';
export * from './projection-runner';
export * from './replay';
export type { ProjectionLogger } from './runner-context';
export * from './read-models';
