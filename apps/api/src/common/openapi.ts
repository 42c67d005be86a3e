/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- the OpenAPI document is walked as plain JSON by shape */
import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './error-body';
import { responseComponents } from './response-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** RFC 9457 problem details, with the members our clients read (docs/api.md). */
const PROBLEM_SCHEMA: Json = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code', 'reason', 'statusCode'],
  properties: {
    type: {
      type: 'string',
      description: 'The problem type: /problems/<code in kebab case>',
      example: '/problems/case-closed',
    },
    title: { type: 'string', description: "The HTTP status's phrase", example: 'Conflict' },
    status: { type: 'integer', example: 409 },
    detail: { type: 'string', description: 'What went wrong, in words a client can show (the same as reason)' },
    instance: { type: 'string', description: 'This occurrence: urn:helpline:request:<the request id of the logs>' },
    code: { type: 'string', description: 'The stable machine code', example: 'CASE_CLOSED' },
    reason: { type: 'string', description: 'The same text as detail (kept for existing clients)' },
    statusCode: { type: 'integer', description: 'The same as status (kept for existing clients)', example: 409 },
    errors: {
      type: 'array',
      description: 'The fields at fault, by the name the client sent',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: { field: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
};

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
/** Routes anyone may call: no token, so no 401 or 403. */
const PUBLIC_PATHS = /^\/(health(\/|$)|metrics$)/;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** A path that names a record (`/cases/{caseId}`): the record may not exist, or not for you. */
const NAMES_A_RECORD = /\{[^}]+\}/;
const SHARED_ERRORS: Record<string, string> = {
  '400': 'The request is malformed: `errors` names each field at fault (validated before any rule is applied)',
  '401': 'A valid bearer token is required',
  '403': 'Your role may not do this',
};
const IDEMPOTENCY_KEY_RULE =
  'A retry with the same key returns the first response and appends nothing. 8 to 128 characters: letters, digits and . _ : -';

/**
 * The conventions of docs/api.md, written into the OpenAPI document once for every route rather than on each: error
 * answers are problem details (and every route with a token documents 400, 401 and 403), a GET lists no If-Match,
 * Idempotency-Key or 409, a 201 documents its Location, a route with If-Match documents 412, one with an
 * Idempotency-Key 422, a path that names a record 404; the answers' named schemas (response-schema.ts) become
 * components, and a CSV or HTML answer is text.
 */
export function conformDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...(document.components ?? {}) };
  document.components.schemas = {
    ...(document.components.schemas ?? {}),
    ...responseComponents(),
    Problem: PROBLEM_SCHEMA,
  };
  for (const [path, item] of Object.entries(document.paths) as Array<[string, Json]>) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      operation.responses ??= {};
      const parameters = (operation.parameters ?? []) as Json[];
      const headerNamed = (name: string) => parameters.find((p) => p.in === 'header' && p.name === name);
      if (method === 'get') {
        operation.parameters = parameters.filter(
          (p) => !(p.in === 'header' && ['If-Match', 'Idempotency-Key'].includes(p.name)),
        );
        delete operation.responses['409'];
      } else {
        const key = headerNamed('Idempotency-Key');
        if (key) {
          key.description = IDEMPOTENCY_KEY_RULE;
          key.schema = { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]{8,128}$' };
          operation.responses['422'] ??= problem(
            'The Idempotency-Key was used before with another request: IDEMPOTENCY_KEY_REUSED',
          );
        }
        if (headerNamed('If-Match') && !operation.responses['412'])
          operation.responses['412'] = problem('The If-Match version is stale: STALE_VERSION with currentVersion');
      }
      if (!PUBLIC_PATHS.test(path))
        for (const [status, description] of Object.entries(SHARED_ERRORS))
          operation.responses[status] ??= problem(description);
      if (NAMES_A_RECORD.test(path))
        operation.responses['404'] ??= problem('There is nothing with this id that you may see');
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        if (Number(status) >= 400) asProblemResponse(response);
        else if (response.content) textAsText(response.content);
      }
      const created = operation.responses['201'];
      if (created) {
        created.headers = {
          ...(created.headers ?? {}),
          Location: { description: 'Where what was created can be read', schema: { type: 'string' } },
        };
      }
    }
  }
  return document;
}

function problem(description: string): Json {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } };
}

/** An error answer documented as JSON becomes problem details, its example kept. */
function asProblemResponse(response: Json): void {
  const given = (response.content?.['application/json'] ?? response.content?.[PROBLEM_CONTENT_TYPE]) as
    Json | undefined;
  const example = given?.schema?.example ?? given?.example;
  response.description ??= '';
  response.content = {
    [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF, ...(example !== undefined ? { example } : {}) },
  };
}

/** A CSV or HTML answer is text: the JSON schema and example given for the route's JSON answer are not its. */
function textAsText(content: Json): void {
  for (const [type, media] of Object.entries(content) as Array<[string, Json]>) {
    if (!type.startsWith('text/')) continue;
    content[type] = { schema: { type: 'string' } };
    if (typeof media.example === 'string') content[type].example = media.example;
  }
}
