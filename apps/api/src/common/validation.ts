import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Flattens class-validator's tree into one entry per field path, naming the reason but never the value sent. */
export function flattenValidationErrors(
  errors: ValidationError[],
  parent = '',
): Array<{ field: string; reason: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** A NUL character, or half of a surrogate pair without its other half: text no database column can hold. */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what this refuses
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (a value or a key) at any depth that holds unstorable text, if there is one. */
export function findUnstorableText(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE_TEXT.test(value) ? path || 'value' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (UNSTORABLE_TEXT.test(key)) return path || 'body';
    const found = findUnstorableText(item, field);
    if (found) return found;
  }
  return undefined;
}

/** Where @nestjs/swagger keeps each property's ApiProperty options (its API_MODEL_PROPERTIES). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

type ModelProperty = { nullable?: boolean; type?: unknown };

function documentedProperty(dto: object, key: string): ModelProperty | undefined {
  return Reflect.getMetadata(API_MODEL_PROPERTIES, dto, key) as ModelProperty | undefined;
}

function isDtoClass(type: unknown): type is new () => object {
  return (
    typeof type === 'function' &&
    typeof type.prototype === 'object' &&
    ![String, Number, Boolean, Object, Array, Date].includes(type as never)
  );
}

/**
 * Front ends send `null` for a field left empty. Where the API documents a field as nullable (a directory edit,
 * where null clears a value), null keeps its meaning; everywhere else it is read as "not given", so an optional
 * field with null is simply absent, and a required one is reported missing, by name.
 */
export function withoutUndocumentedNulls(body: unknown, dto: unknown): unknown {
  if (!isDtoClass(dto) || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const property = documentedProperty(dto.prototype as object, key);
    if (value === null && !property?.nullable) continue;
    const nested: unknown = Array.isArray(property?.type) ? (property.type as unknown[])[0] : property?.type;
    copy[key] =
      Array.isArray(value) && isDtoClass(nested)
        ? value.map((item) => withoutUndocumentedNulls(item, nested))
        : withoutUndocumentedNulls(value, nested);
  }
  return copy;
}

function invalid(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    reason: 'the request is not valid',
    errors: [{ field, reason }],
  });
}

/**
 * The API's one validation pipe: every body, query and path parameter is refused when a string in it holds a NUL
 * character or an unpaired surrogate (PostgreSQL cannot store either), nulls are read as documented above, then
 * class-validator checks the DTO, naming each field at fault and never the value sent.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) =>
        new BadRequestException({
          code: 'VALIDATION_FAILED',
          reason: 'the request is not valid',
          errors: flattenValidationErrors(errors),
        }),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const unstorable = findUnstorableText(value, metadata.data ?? '');
    if (unstorable)
      throw invalid(unstorable, `${unstorable} must not contain a NUL character or an unpaired surrogate`);
    const given = metadata.type === 'body' ? withoutUndocumentedNulls(value, metadata.metatype) : value;
    return super.transform(given, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe();
}
