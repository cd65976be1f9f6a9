/**
 * Every error code the API can answer with, and its HTTP status. The list is closed on purpose: clients
 * (the admin app, API users) branch on `code`, so a new code is a contract change that belongs here, next to
 * its status, not a free string invented at a throw site.
 */
const ERROR_STATUS = {
  // Malformed or invalid input
  invalid_body: 400,
  invalid_query: 400,
  invalid_params: 400,
  invalid_path: 400,
  invalid_input: 400,
  malformed_json: 400,
  json_too_complex: 400,
  request_aborted: 400,
  invalid_multipart: 400,
  missing_file: 400,
  invalid_page_id: 400,
  invalid_storage_key: 400,
  invalid_arguments: 400,
  invalid_job_payload: 400,
  invalid_nango_webhook: 400,
  not_markdown: 400,
  not_pdf: 400,
  not_from_notion: 400,
  not_grantable: 400,
  cannot_remove_self: 400,
  notion_token_missing: 400,
  http_error: 400,
  low_contrast: 400,
  domain_not_allowed: 400,
  too_many_documents: 400,
  not_requestable: 400,
  signature_required: 400,
  // Who is asking
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  invalid_signature: 401,
  forbidden: 403,
  csrf_failed: 403,
  bad_origin: 403,
  view_only: 403,
  // What is asked for
  not_found: 404,
  route_not_found: 404,
  file_missing: 404,
  tenant_not_found: 404,
  unknown_tenant: 404,
  unknown_connection: 404,
  // Conflicts with the current state
  already_decided: 409,
  contact_exists: 409,
  email_taken: 409,
  last_admin: 409,
  tenant_exists: 409,
  connection_not_found: 409,
  notion_connection_failed: 409,
  notion_needs_reauth: 409,
  notion_not_connected: 409,
  notion_page_trashed: 409,
  sync_run_stopped: 409,
  domain_taken: 409,
  nda_changed: 409,
  rule_exists: 409,
  // Size and rate
  payload_too_large: 413,
  file_too_large: 413,
  unsupported_media_type: 415,
  cannot_watermark: 422,
  too_many_attempts: 429,
  too_many_requests: 429,
  // Notion, as the connector's gateway classifies its failures (src/connectors/notion/errors.ts). An upstream
  // credential problem is a appError with the connection's state, not the signed-in user's authentication.
  notion_not_found: 404,
  notion_forbidden: 403,
  notion_unauthorized: 409,
  notion_rate_limited: 429,
  notion_transient: 502,
  notion_invalid_request: 502,
  // Downloads of files a document references (src/platform/storage/safe-download.ts)
  download_invalid_url: 400,
  download_scheme_not_allowed: 400,
  download_forbidden_address: 400,
  download_expired_url: 410,
  download_type_mismatch: 415,
  download_too_large: 413,
  download_too_many_redirects: 502,
  download_failed: 502,
  download_aborted: 503,
  download_timeout: 504,
  // Our side or Nango's
  internal_error: 500,
  // The database connection was lost or could not be opened; the same request succeeds when tried again.
  database_unavailable: 503,
  nango_rejected: 502,
  nango_unavailable: 503,
  nango_not_configured: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one application error type. `code` is a stable snake_case identifier clients can branch on (its HTTP
 * status comes from the map above), `message` is safe to show to users, `internal` is for logs only.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly internal: string | undefined;
  readonly details: unknown;

  constructor(opts: { code: ErrorCode; message: string; internal?: string; details?: unknown; cause?: unknown }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code;
    this.status = ERROR_STATUS[opts.code];
    this.internal = opts.internal;
    this.details = opts.details;
  }
}

/** Shorthand for the common `new AppError({ code, message, details })`. */
export const appError = (code: ErrorCode, message: string, details?: unknown) =>
  new AppError({ code, message, details });

export const notFound = (what: string) => new AppError({ code: 'not_found', message: `${what} was not found.` });

export const forbidden = (message = 'Your role does not allow this action.') =>
  new AppError({ code: 'forbidden', message });

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
