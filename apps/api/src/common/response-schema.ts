import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';

/**
 * The schemas of what the routes answer, written as OpenAPI 3.0 schema objects beside the controllers that answer
 * them. A named schema becomes a component (`#/components/schemas/<name>`), so a generated client gets a type of
 * that name; `conformDocument` adds every one to the document.
 */
export type Schema = SchemaObject | ReferenceObject;

const components = new Map<string, SchemaObject>();

/** A component schema, referred to by name wherever it is used. */
export function named(name: string, schema: SchemaObject): ReferenceObject {
  const known = components.get(name);
  if (known && JSON.stringify(known) !== JSON.stringify(schema))
    throw new Error(`two different response schemas are named ${name}`);
  components.set(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}

/** Every named response schema, for the document's components. */
export function responseComponents(): Record<string, SchemaObject> {
  return Object.fromEntries(components);
}

export const text = (description?: string): SchemaObject => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const integer = (description?: string): SchemaObject => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
export const number = (description?: string): SchemaObject => ({
  type: 'number',
  ...(description ? { description } : {}),
});
export const boolean = (description?: string): SchemaObject => ({
  type: 'boolean',
  ...(description ? { description } : {}),
});
/** An instant as the API writes it: UTC with milliseconds and Z (docs/api.md). */
export const instant = (description?: string): SchemaObject => ({
  type: 'string',
  format: 'date-time',
  ...(description ? { description } : {}),
});
export const uuid = (description?: string): SchemaObject => ({
  type: 'string',
  format: 'uuid',
  ...(description ? { description } : {}),
});
/** A calendar month, Rome time. */
export const month = (): SchemaObject => ({ type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-11' });
/** A place in the log, as commands answer it and `waitFor` takes it. */
export const logPosition = (): SchemaObject => ({ type: 'string', pattern: '^\\d+:\\d+$', example: '1042:318' });
/** A value of one of the domain's closed vocabularies. */
export const oneOf = (values: readonly string[], description?: string): SchemaObject => ({
  type: 'string',
  enum: [...values],
  ...(description ? { description } : {}),
});
export const listOf = (items: Schema, description?: string): SchemaObject => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});

/** Null as well as the schema's values (OpenAPI 3.0: `nullable`; a null in a vocabulary is one of its values). */
export function nullable(schema: Schema): SchemaObject {
  if ('$ref' in schema) return { allOf: [schema], nullable: true };
  return { ...schema, nullable: true, ...(schema.enum ? { enum: [...(schema.enum as unknown[]), null] } : {}) };
}

/** An object with these members, all present (a member that may be null says so with `nullable`). */
export function object(required: Record<string, Schema>, optional: Record<string, Schema> = {}): SchemaObject {
  return {
    type: 'object',
    required: Object.keys(required),
    properties: { ...required, ...optional },
  };
}

/** An object keyed by each of `keys`, every one with a value of `values`. */
export function keyedBy(keys: readonly string[], values: Schema): SchemaObject {
  return object(Object.fromEntries(keys.map((key) => [key, values])));
}

/** An object whose keys are not known in advance (an event's data, an entry as it was before a change). */
export function freeObject(description: string): SchemaObject {
  return { type: 'object', additionalProperties: true, description };
}

/**
 * The route's answer: its schema and an example of it (kept on the media type, beside a `$ref` that could not carry
 * it). The example is checked against the schema by test/e2e/openapi.e2e-spec.ts.
 */
export function Answers(status: number, schema: Schema, example?: unknown, description?: string) {
  return applyDecorators(
    ApiResponse({
      status,
      schema,
      ...(example !== undefined ? { example } : {}),
      ...(description ? { description } : {}),
    }),
  );
}
