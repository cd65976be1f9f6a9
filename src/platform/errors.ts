/**
 * The one application error type. `code` is a stable snake_case identifier clients can branch on,
 * `message` is safe to show to users, `internal` is for logs only. HTTP mapping happens at the edge
 * (src/http/error-handler.ts), so domain code never thinks in status codes beyond choosing `status`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly internal: string | undefined;
  readonly details: unknown;

  constructor(opts: {
    code: string;
    message: string;
    status?: number;
    internal?: string;
    details?: unknown;
    cause?: unknown;
  }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code;
    this.status = opts.status ?? 400;
    this.internal = opts.internal;
    this.details = opts.details;
  }
}

export const notFound = (what: string) =>
  new AppError({
    code: 'not_found',
    status: 404,
    message: `${what} was not found.`,
  });

export const forbidden = (message = 'Your role does not allow this action.') =>
  new AppError({ code: 'forbidden', status: 403, message });

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError({ code, status: 400, message, details });

export const conflict = (code: string, message: string) => new AppError({ code, status: 409, message });

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
