import { OpenApiContract } from './openapi-contract';

/** The checker the contract test relies on must refuse each kind of drift, or that test could not fail. */
describe('an answer checked against the OpenAPI document', () => {
  const contract = new OpenApiContract({
    openapi: '3.0.0',
    paths: {
      '/cases/{caseId}': {
        get: {
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/CaseView' } } } },
          },
        },
      },
      '/cases/lookup': {
        get: { responses: { '200': { content: { 'application/json': { schema: { type: 'array' } } } } } },
      },
    },
    components: {
      schemas: {
        CaseView: {
          type: 'object',
          required: ['caseId', 'phase', 'closedAt', 'risk'],
          properties: {
            caseId: { type: 'string', format: 'uuid' },
            phase: { type: 'string', enum: ['framing', 'goal'] },
            closedAt: { type: 'string', format: 'date-time', nullable: true },
            outcome: { type: 'string', enum: ['other', null], nullable: true },
            risk: { allOf: [{ $ref: '#/components/schemas/Risk' }], nullable: true },
          },
        },
        Risk: { type: 'object', required: ['level'], properties: { level: { type: 'string' } } },
      },
    },
  });
  const valid = {
    caseId: '3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11',
    phase: 'framing',
    closedAt: null,
    outcome: null,
    risk: { level: 'high' },
  };
  const check = (body: unknown) => contract.problemsWith('get', `/cases/${valid.caseId}`, 200, body);

  it('accepts what the document says, nulls where it allows them', () => {
    expect(check(valid)).toBeUndefined();
    expect(check({ ...valid, closedAt: '2026-11-25T10:15:00.000Z', outcome: 'other', risk: null })).toBeUndefined();
  });

  it('refuses a missing member, one too many, a null where none is allowed, a value out of its vocabulary or format', () => {
    const { phase: _left, ...withoutPhase } = valid;
    expect(check(withoutPhase)).toMatch(/must have required property 'phase'/);
    expect(check({ ...valid, notes: 'x' })).toMatch(/must NOT have additional properties/);
    expect(check({ ...valid, risk: { level: 'high', note: 'x' } })).toMatch(/additional properties/);
    expect(check({ ...valid, phase: null })).toMatch(/\/phase/);
    expect(check({ ...valid, phase: 'closed' })).toMatch(/must be equal to one of the allowed values/);
    expect(check({ ...valid, closedAt: '25/11/2026' })).toMatch(/must match format "date-time"/);
  });

  it('finds the documented route of a request, a literal segment before a parameter', () => {
    expect(contract.templateOf('/cases/lookup?reference=3F1C-2A9E')).toBe('/cases/lookup');
    expect(contract.templateOf(`/cases/${valid.caseId}`)).toBe('/cases/{caseId}');
    expect(contract.problemsWith('get', '/nowhere', 200, {})).toMatch(/no documented route/);
    expect(contract.problemsWith('get', `/cases/${valid.caseId}`, 201, {})).toMatch(/no JSON answer documented/);
  });
});
