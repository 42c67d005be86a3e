import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

/**
 * The API's OpenAPI document as a contract a response can be checked against (Ajv with ajv-formats). The document's
 * OpenAPI 3.0 schemas are turned into JSON Schema on the way: `nullable: true` becomes "or null", and an object that
 * lists its properties is closed (no other member), so an answer that drifts from its documentation either way, a
 * member missing or one more, is refused.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp; parameters: number }>;

  constructor(readonly document: Json) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    for (const [name, schema] of Object.entries((document.components?.schemas ?? {}) as Json))
      this.ajv.addSchema(asJsonSchema(schema), name);
    this.templates = Object.keys(document.paths as Json)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        parameters: (template.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter: /safety/register.csv before /safety/{anything}.
      .sort((left, right) => left.parameters - right.parameters);
  }

  operations(): Array<{ method: string; path: string; operation: Json }> {
    return Object.entries(this.document.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((method) => (item as Json)[method]).map((method) => ({
        method,
        path,
        operation: (item as Json)[method] as Json,
      })),
    );
  }

  /** The documented route a request reaches: `GET /cases/3f1c…/history` → `/cases/{caseId}/history`. */
  templateOf(url: string): string | undefined {
    const path = url.split('?')[0]!;
    return this.templates.find(({ pattern }) => pattern.test(path))?.template;
  }

  /** The JSON answer documented for this route and status, as a validator; undefined when none is documented. */
  validatorFor(method: string, template: string, status: number): ValidateFunction | undefined {
    const key = `${method} ${template} ${status}`;
    if (!this.validators.has(key)) {
      const schema = (this.document.paths as Json)[template]?.[method]?.responses?.[String(status)]?.content?.[
        'application/json'
      ]?.schema as Json | undefined;
      if (!schema) return undefined;
      this.validators.set(key, this.ajv.compile(asJsonSchema(schema)));
    }
    return this.validators.get(key);
  }

  validateSchema(schema: Json): ValidateFunction {
    return this.ajv.compile(asJsonSchema(schema));
  }

  /**
   * What is wrong with an answer, in words a failing test can show: undefined when it is what the document says.
   * Only JSON answers are checked (a CSV or HTML answer is documented as text).
   */
  problemsWith(method: string, url: string, status: number, body: unknown): string | undefined {
    const template = this.templateOf(url);
    if (!template) return `${method.toUpperCase()} ${url}: no documented route`;
    const validate = this.validatorFor(method, template, status);
    if (!validate) return `${method.toUpperCase()} ${template}: no JSON answer documented for ${status}`;
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? [])
      .map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
      .join('; ');
    return `${method.toUpperCase()} ${template} ${status}: ${errors}`;
  }
}

/** OpenAPI 3.0 schema → JSON Schema as Ajv reads it (see OpenApiContract). */
export function asJsonSchema(schema: unknown): Json {
  if (Array.isArray(schema)) return schema.map((item) => asJsonSchema(item));
  if (schema === null || typeof schema !== 'object') return schema as Json;
  const converted: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === 'example' || key === 'examples') converted[key] = value;
    else if (key === '$ref' && typeof value === 'string') converted[key] = value.replace(COMPONENT_REF, '$1');
    else converted[key] = asJsonSchema(value);
  }
  if (converted.type === 'object' && converted.properties && converted.additionalProperties === undefined)
    converted.additionalProperties = false;
  if (converted.nullable === true) {
    delete converted.nullable;
    return { anyOf: [converted, { type: 'null' }] };
  }
  return converted;
}
