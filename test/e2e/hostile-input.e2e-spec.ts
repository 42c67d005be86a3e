import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Role } from '@helpline/auth';
import { TestApp, TestUser } from '../support/test-app';

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  example?: unknown;
  allOf?: Schema[];
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operation: Operation;
  body?: { properties: Record<string, Schema>; required: string[] };
}

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'media',
  ageBand: 'unknown',
  gender: 'not_stated',
  concern: 'not_stated',
  heardOfLine: 'not_stated',
};
const NUL = 'before\u0000after';
const LONE_SURROGATE = 'before\ud800after';
const RAW_UNSTORABLE = ['%00', '%ED%A0%80', '%FF'];

/**
 * What an attacker or a careless front end sends, on every route of the OpenAPI document: JSON nested two
 * thousand levels deep, null in every optional field, a NUL byte or a lone surrogate in every string of every body,
 * path and query. Never a 5xx; every refusal a 4xx that names the field; nothing appended by a refused request.
 */
describe('hostile input: every route answers 4xx, never 5xx, and a refusal appends nothing', () => {
  let app: TestApp;
  let doc: OpenApi;
  let routes: Route[];
  let caseId: string;
  const tokens = new Map<string, string>();

  const users: TestUser[] = [
    { sub: 'operator-7', role: 'operator', lines: ['sostienimi'] },
    { sub: 'supervisor-1', role: 'supervisor', lines: ['sostienimi'] },
    { role: 'admin' },
    { role: 'evaluator' },
    { role: 'service_staff', serviceId: 'serd-milano-centro' },
    ...(['social_worker', 'unit_officer'] as Role[]).map((role) => ({ role, unitId: 'unit-1' }) as TestUser),
    ...(['police_liaison'] as Role[]).map((role) => ({ role })),
  ];

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  const openCase = async (): Promise<string> =>
    (await app.http().post('/cases').set('Authorization', tokens.get('operator')!).send(firstContact).expect(201)).body
      .caseId as string;

  const eventCount = async () =>
    Number((await sql<{ n: string }>`select count(*)::text as n from events`.execute(app.database.db)).rows[0]?.n);

  const pathFor = (template: string, override?: { name: string; raw: string }) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (override?.name === name) return override.raw;
      if (name === 'caseId') return caseId;
      return /Id$/.test(name) ? randomUUID() : 'x';
    });

  const exampleOf = (schema: Schema | undefined): unknown => {
    const resolved = resolve(schema);
    if (!resolved) return 'x';
    if (resolved.example !== undefined) return resolved.example;
    if (resolved.enum?.length) return resolved.enum[0];
    if (resolved.type === 'array') return [exampleOf(resolved.items)];
    if (resolved.properties)
      return Object.fromEntries(Object.entries(resolved.properties).map(([key, value]) => [key, exampleOf(value)]));
    return resolved.type === 'string' ? 'x' : resolved.type === 'integer' || resolved.type === 'number' ? 1 : 'x';
  };

  /** A body of the documented examples, without the version guard (an example version would only be stale). */
  const exampleBody = (route: Route): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(route.body!.properties)
        .filter(([key]) => key !== 'expectedVersion')
        .map(([key, schema]) => [key, exampleOf(schema)]),
    );

  const isText = (schema: Schema | undefined): boolean => {
    const resolved = resolve(schema);
    return resolved?.type === 'string' || (resolved?.type === 'array' && isText(resolved.items));
  };

  const send = (route: Route, token: string, path: string, body?: unknown, query?: string) => {
    const url = query ? `${path}?${query}` : path;
    const request = app.http()[route.method](url).set('Authorization', token);
    return body === undefined
      ? request
      : request.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  /** The first user whose role the route lets in (probed with a body no route accepts: nothing is written). */
  const tokenFor = async (route: Route): Promise<string | undefined> => {
    for (const token of tokens.values()) {
      const probe = await send(route, token, pathFor(route.path), route.body ? { zzProbe: 1 } : undefined);
      if (probe.status !== 401 && probe.status !== 403) return token;
    }
    return undefined;
  };

  const expectRefusedNaming = (response: { status: number; body: Record<string, unknown> }, field: string) => {
    expect({ status: response.status, field: (response.body.errors as Array<{ field: string }>)?.[0]?.field }).toEqual({
      status: 400,
      field,
    });
  };

  beforeAll(async () => {
    app = await TestApp.start();
    for (const user of users) tokens.set(`${user.role}`, await app.bearer(user));
    caseId = await openCase();
    doc = (await app.http().get('/docs/openapi.json').expect(200)).body as OpenApi;
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => {
          const schema = resolve(operation.requestBody?.content?.['application/json']?.schema);
          return {
            method: method as Route['method'],
            path,
            operation,
            ...(schema?.properties ? { body: { properties: schema.properties, required: schema.required ?? [] } } : {}),
          };
        }),
    );
  });
  afterAll(async () => app?.stop());

  it('refuses JSON nested deeper than any request needs with a 400, on every route with a body', async () => {
    const deep = `{"channel":"phone","direction":"inbound","x":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const withBody = routes.filter((route) => route.body);
    expect(withBody.length).toBeGreaterThan(20);
    const before = await eventCount();
    for (const route of withBody) {
      const token = await tokenFor(route);
      if (!token) continue;
      const response = await send(route, token, pathFor(route.path), deep);
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 400,
      });
    }
    expect(await eventCount()).toBe(before);
  });

  it('refuses a NUL byte or a lone surrogate in any string of any body with a 400 naming the field', async () => {
    const before = await eventCount();
    let checked = 0;
    for (const route of routes.filter((candidate) => candidate.body)) {
      const token = await tokenFor(route);
      if (!token) continue;
      const base = exampleBody(route);
      for (const [field, schema] of Object.entries(route.body!.properties)) {
        if (!isText(schema)) continue;
        for (const bad of [NUL, LONE_SURROGATE]) {
          const value = resolve(schema)?.type === 'array' ? [bad] : bad;
          const response = await send(route, token, pathFor(route.path), { ...base, [field]: value });
          expectRefusedNaming(response, resolve(schema)?.type === 'array' ? `${field}[0]` : field);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a NUL byte in any path or query parameter, and never answers 5xx to undecodable bytes', async () => {
    const before = await eventCount();
    for (const route of routes) {
      const token = await tokenFor(route);
      if (!token) continue;
      for (const parameter of route.operation.parameters ?? []) {
        if (parameter.in === 'header') continue;
        for (const raw of RAW_UNSTORABLE) {
          const response =
            parameter.in === 'path'
              ? await send(
                  route,
                  token,
                  pathFor(route.path, { name: parameter.name, raw }),
                  route.body ? {} : undefined,
                )
              : await send(route, token, pathFor(route.path), route.body ? {} : undefined, `${parameter.name}=${raw}`);
          const seen = {
            route: `${route.method} ${route.path}`,
            parameter: parameter.name,
            raw,
            status: response.status,
          };
          expect(seen).toEqual({ ...seen, status: expect.any(Number) });
          if (response.status >= 500) throw new Error(`answered ${response.status}: ${JSON.stringify(seen)}`);
          if (raw === '%00') expect(response.status).toBeGreaterThanOrEqual(400);
        }
      }
    }
    expect(await eventCount()).toBe(before);
  });

  it('reads null in an optional field as absent (or refuses it with a 4xx), never a 5xx', async () => {
    let checked = 0;
    for (const route of routes.filter((candidate) => candidate.body)) {
      const token = await tokenFor(route);
      if (!token) continue;
      const base = exampleBody(route);
      for (const field of Object.keys(route.body!.properties)) {
        if (route.body!.required.includes(field)) continue;
        // A fresh case each time: an earlier request (a closure, an erasure) must not hide this one's answer.
        caseId = await openCase();
        const response = await send(route, token, pathFor(route.path), { ...base, [field]: null });
        if (response.status >= 500)
          throw new Error(`${route.method} ${route.path} with ${field}: null answered ${response.status}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('opens a note given as null as a case without a note (the front end left the field empty)', async () => {
    const token = tokens.get('operator')!;
    const opened = await app
      .http()
      .post('/cases')
      .set('Authorization', token)
      .send({ ...firstContact, occurredAt: null })
      .expect(201);
    const freshCaseId = opened.body.caseId as string;
    const framed = await app
      .http()
      .post(`/cases/${freshCaseId}/request-framing`)
      .set('Authorization', token)
      .send({ categories: ['listening'], note: null });
    expect(framed.status).toBe(200);
    const history = await app.http().get(`/cases/${freshCaseId}/history`).set('Authorization', token).expect(200);
    const framing = (history.body.events as Array<{ type: string; data: Record<string, unknown> }>).find(
      (event) => event.type === 'RequestFramed',
    );
    expect(framing?.data.note).toBeUndefined();
  });
});
