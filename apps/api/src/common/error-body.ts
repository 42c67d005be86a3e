/** The one error shape every route answers with: a stable code, a reason, and the fields at fault. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  reason: string;
  errors?: Array<{ field: string; reason: string }>;
  [extra: string]: unknown;
}
