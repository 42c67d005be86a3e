import { OpenApiContract } from '../support/openapi-contract';
import { TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Field names that mean different things on different routes (an event's type, a report's method): no one vocabulary. */
const GENERIC_NAMES = ['type', 'method', 'status', 'reason', 'kind', 'outcome'];

/** The OpenAPI document a client generates from keeps the API's conventions (docs/api.md), on every route. */
describe('the OpenAPI document', () => {
  let app: TestApp;
  let document: Json;

  beforeAll(async () => {
    app = await TestApp.start();
    document = (await app.http().get('/docs/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await app?.stop();
  });

  const operations = () =>
    Object.entries(document.paths as Json).flatMap(([path, item]) =>
      ['get', 'put', 'post', 'patch', 'delete']
        .filter((method) => (item as Json)[method])
        .map((method) => ({ path, method, operation: (item as Json)[method] as Json })),
    );
  const resolve = (schema: Json | undefined): Json | undefined =>
    schema?.$ref ? document.components.schemas[String(schema.$ref).split('/').pop()!] : schema;

  it('documents 400, 401 and 403 on every route that needs a token, as problem details', () => {
    const missing: string[] = [];
    for (const { path, method, operation } of operations()) {
      if (/^\/(health|metrics)/.test(path)) continue;
      for (const status of ['400', '401', '403']) {
        const content = operation.responses?.[status]?.content?.['application/problem+json'];
        if (content?.schema?.$ref !== '#/components/schemas/Problem') missing.push(`${method} ${path} ${status}`);
      }
    }
    expect(missing).toEqual([]);
    expect(document.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code']),
    );
  });

  it('lists no If-Match, Idempotency-Key or 409 on a GET', () => {
    const wrong = operations()
      .filter(({ method }) => method === 'get')
      .filter(
        ({ operation }) =>
          operation.responses?.['409'] ||
          (operation.parameters ?? []).some(
            (parameter: Json) => parameter.in === 'header' && ['If-Match', 'Idempotency-Key'].includes(parameter.name),
          ),
      )
      .map(({ method, path }) => `${method} ${path}`);
    expect(wrong).toEqual([]);
  });

  it('documents Location on every 201, 412 wherever If-Match is read, and the Idempotency-Key rule', () => {
    const wrong: string[] = [];
    for (const { method, path, operation } of operations()) {
      const created = operation.responses?.['201'];
      if (created && !created.headers?.Location) wrong.push(`${method} ${path}: 201 without Location`);
      const headers = (operation.parameters ?? []).filter((parameter: Json) => parameter.in === 'header');
      if (headers.some((header: Json) => header.name === 'If-Match') && !operation.responses?.['412'])
        wrong.push(`${method} ${path}: If-Match without 412`);
      const key = headers.find((header: Json) => header.name === 'Idempotency-Key');
      if (key && (key.schema?.minLength !== 8 || key.schema?.maxLength !== 128 || !/8 to 128/.test(key.description)))
        wrong.push(`${method} ${path}: Idempotency-Key without its rule`);
    }
    expect(wrong).toEqual([]);
    expect(operations().filter(({ operation }) => operation.responses?.['201']).length).toBeGreaterThanOrEqual(9);
  });

  it("shows each command route's own event in its example", () => {
    const eventsOf = (path: string) =>
      (document.paths[path].post.responses['200'] ?? document.paths[path].post.responses['201']).content[
        'application/json'
      ].example.events.map((event: Json) => event.type);
    expect(eventsOf('/cases/{caseId}/request-framing')).toEqual(['RequestFramed']);
    expect(eventsOf('/cases/{caseId}/problem-reframing')).toEqual(['ProblemReframed']);
    expect(eventsOf('/cases/{caseId}/goal')).toEqual(['GoalSet']);
    expect(eventsOf('/cases/{caseId}/referrals/{referralId}/handoff')).toEqual(['HandoffSent']);
  });

  it('gives the answers a console reads a schema, not only an example', () => {
    const consoleRoutes: Array<[string, string]> = [
      ['get', '/cases'],
      ['get', '/cases/{caseId}'],
      ['get', '/cases/{caseId}/history'],
      ['get', '/queues/mine'],
      ['get', '/queues/cases'],
      ['get', '/queues/callbacks'],
      ['get', '/referrals'],
      ['get', '/referrals/funnel'],
      ['get', '/handoffs'],
      ['get', '/handoffs/{caseId}/{referralId}'],
      ['get', '/directory/services'],
      ['get', '/evaluation/report'],
      ['get', '/me'],
      ['post', '/cases'],
    ];
    const without = consoleRoutes.filter(([method, path]) => {
      const responses = document.paths[path]?.[method]?.responses ?? {};
      const answer = responses['200'] ?? responses['201'];
      const schema = resolve(answer?.content?.['application/json']?.schema);
      return !schema || !(schema.type || schema.$ref || schema.properties);
    });
    expect(without).toEqual([]);
  });

  it('documents a schema, not only an example, for the success answer of every route', () => {
    // What a generated client (openapi-typescript) types an answer from: a schema that says what is in it.
    const describes = (schema: Json | undefined): boolean =>
      !!schema && (!!schema.$ref || !!schema.type || !!schema.oneOf || !!schema.anyOf || !!schema.allOf);
    const without: string[] = [];
    for (const { method, path, operation } of operations()) {
      const successes = Object.entries((operation.responses ?? {}) as Json).filter(([status]) =>
        /^2\d\d$/.test(status),
      );
      if (successes.length === 0) without.push(`${method} ${path}: no 2xx answer`);
      for (const [status, response] of successes) {
        const media = Object.entries(((response as Json).content ?? {}) as Json);
        if (media.length === 0) without.push(`${method} ${path} ${status}: no content`);
        for (const [type, content] of media)
          if (!describes(resolve((content as Json).schema))) without.push(`${method} ${path} ${status} ${type}`);
      }
    }
    expect(without).toEqual([]);
    expect(operations().length).toBeGreaterThanOrEqual(98);
  });

  it("keeps every success answer's example true to its schema", () => {
    const contract = new OpenApiContract(document);
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, path, operation } of operations())
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Json)) {
        if (!/^2\d\d$/.test(status)) continue;
        const media = ((response as Json).content ?? {})['application/json'] as Json | undefined;
        const examples = [
          ...(media?.example !== undefined ? [media.example] : []),
          ...Object.values((media?.examples ?? {}) as Json).map((example) => (example as Json).value),
        ];
        for (const example of examples) {
          checked++;
          const problem = contract.problemsWith(method, path, Number(status), example);
          if (problem) wrong.push(problem);
        }
      }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(95);
  });

  it('gives examples from the vocabularies their schemas name', () => {
    const wrong: string[] = [];
    const check = (where: string, schema: Json | undefined) => {
      if (!schema) return;
      const allowed = schema.enum ?? schema.items?.enum;
      const example = schema.example;
      if (allowed && example !== undefined) {
        for (const value of Array.isArray(example) ? example : [example])
          if (!allowed.includes(value)) wrong.push(`${where}: ${JSON.stringify(value)}`);
      }
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Json))
        check(`${where}.${name}`, property as Json);
    };
    for (const [name, schema] of Object.entries(document.components.schemas as Json)) check(name, schema as Json);
    for (const { method, path, operation } of operations())
      for (const parameter of operation.parameters ?? [])
        check(`${method} ${path} ?${parameter.name}`, {
          ...parameter.schema,
          example: parameter.example ?? parameter.schema?.example,
        });
    expect(wrong).toEqual([]);
  });

  it('gives response examples values from the vocabularies the request schemas name for the same field', () => {
    // A field name means one vocabulary only where every request schema gives it the same one.
    const vocabularyOf = new Map<string, readonly unknown[] | 'ambiguous'>();
    for (const schema of Object.values(document.components.schemas as Json))
      for (const [name, property] of Object.entries(((schema as Json).properties ?? {}) as Json)) {
        const allowed = (property as Json).enum ?? (property as Json).items?.enum;
        if (!allowed || GENERIC_NAMES.includes(name)) continue;
        const known = vocabularyOf.get(name);
        if (known === undefined) vocabularyOf.set(name, allowed);
        else if (known !== 'ambiguous' && JSON.stringify(known) !== JSON.stringify(allowed))
          vocabularyOf.set(name, 'ambiguous');
      }
    expect(vocabularyOf.get('ageBand')).toContain('40_50');
    const wrong: string[] = [];
    const walk = (where: string, value: unknown) => {
      if (Array.isArray(value)) return value.forEach((item) => walk(where, item));
      if (value === null || typeof value !== 'object') return;
      for (const [key, item] of Object.entries(value as Json)) {
        const allowed = vocabularyOf.get(key);
        if (Array.isArray(allowed) && typeof item === 'string' && !allowed.includes(item))
          wrong.push(`${where} ${key}=${item}`);
        walk(where, item);
      }
    };
    for (const { method, path, operation } of operations())
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Json))
        if (Number(status) < 300)
          for (const media of Object.values(((response as Json).content ?? {}) as Json))
            walk(`${method} ${path}`, (media as Json).schema?.example ?? (media as Json).example);
    expect(wrong).toEqual([]);
  });
});
