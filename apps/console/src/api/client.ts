import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed client of the API, generated from its own OpenAPI document (schema.d.ts, `npm run openapi`): a route
 * whose path, parameters or body change breaks this app's type check. The console is served by the API, so the
 * API is this page's origin.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

let bearer: string | undefined;
let onUnauthorized: () => void = () => undefined;

/** The session's token, kept in memory for every request (the session decides where else, if anywhere). */
export function setBearer(token: string | undefined, whenRefused: () => void): void {
  bearer = token;
  onUnauthorized = whenRefused;
}

api.use({
  onRequest({ request }) {
    if (bearer) request.headers.set('Authorization', `Bearer ${bearer}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && bearer) onUnauthorized();
    return response;
  },
});

/** Fetches what a route answers that is not JSON (the report as HTML or CSV, an export) with the session's token. */
export async function fetchText(path: string): Promise<{ text: string; type: string }> {
  const response = await fetch(path, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  if (!response.ok) throw await ApiProblem.from(response);
  return { text: await response.text(), type: response.headers.get('Content-Type') ?? 'text/plain' };
}

/** An RFC 9457 problem the API answered (docs/api.md): its stable code, its words and the fields at fault. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: ReadonlyArray<{ field: string; reason: string }> = [],
  ) {
    super(detail);
  }

  /** Someone else wrote first: a stale If-Match (412) or a stale version in a body (409 STALE_VERSION). */
  get isStale(): boolean {
    return this.status === 412 || this.code === 'STALE_VERSION' || this.code === 'DIRECTORY_VERSION_CONFLICT';
  }

  static fromBody(status: number, body: unknown): ApiProblem {
    const problem = (typeof body === 'object' && body !== null ? body : {}) as {
      code?: string;
      detail?: string;
      reason?: string;
      errors?: Array<{ field: string; reason: string }>;
    };
    return new ApiProblem(
      status,
      problem.code ?? 'HTTP_' + status,
      problem.detail ?? problem.reason ?? '',
      problem.errors,
    );
  }

  static async from(response: Response): Promise<ApiProblem> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    return ApiProblem.fromBody(response.status, body);
  }
}

/** The answer's data, or its problem thrown, so that TanStack Query sees a failure as one. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw ApiProblem.fromBody(response.status, error);
  return data as T;
}
