/** Error bodies are RFC 9457 problem details, served with this media type. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem type names its code; docs/api.md lists the codes. Relative, resolved against the API's own address. */
export function problemTypeOf(code: string): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * The one error shape every route answers with (RFC 9457 problem details): `type`, `title`, `status`, `detail`,
 * `instance`, and the stable members clients read: `code`, `reason` (the same text as `detail`), the fields at fault
 * in `errors`, and `statusCode` (the same as `status`).
 */
export interface ErrorBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  statusCode: number;
  code: string;
  reason: string;
  errors?: Array<{ field: string; reason: string }>;
  [extra: string]: unknown;
}
