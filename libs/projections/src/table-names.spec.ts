import { ProjectionDefinitionError } from './projection.errors';
import { indexName, liveTables, shadowTables, tablesInSchema, validateProjection } from './table-names';
import { createCountingProjection } from './testing/counting-projection';

describe('table-name mappings', () => {
  const projection = { ...createCountingProjection({ name: 'queue' }), tables: ['case_queue', 'reports.monthly'] };

  it('maps base names to live, shadow and replay tables, keeping a base schema', () => {
    expect(liveTables(projection)).toEqual({ case_queue: 'case_queue', 'reports.monthly': 'reports.monthly' });
    expect(shadowTables(projection)).toEqual({
      case_queue: 'case_queue__rebuild',
      'reports.monthly': 'reports.monthly__rebuild',
    });
    expect(tablesInSchema(projection, 'asof_2026_01')).toEqual({
      case_queue: 'asof_2026_01.case_queue',
      'reports.monthly': 'asof_2026_01.monthly',
    });
  });

  it('names indexes after the mapped table, without its schema', () => {
    expect(indexName('case_queue__rebuild', 'by_operator')).toBe('case_queue__rebuild_by_operator');
    expect(indexName('asof.case_queue', 'by_operator')).toBe('case_queue_by_operator');
  });

  it.each([
    ['a name with capitals', { name: 'Queue' }],
    ['no version', { version: 0 }],
    ['no event types', { handles: [] }],
    ['no tables', { tables: [] }],
    ['a table that is not an identifier', { tables: ['case-queue'] }],
    ['a table named like a shadow', { tables: ['case_queue__rebuild'] }],
    ['a table too long for its shadow name', { tables: ['x'.repeat(51)] }],
    ['a table listed twice', { tables: ['a', 'a'] }],
  ])('rejects a projection with %s', (_, change) => {
    expect(() => validateProjection({ ...projection, ...change })).toThrow(ProjectionDefinitionError);
  });
});
