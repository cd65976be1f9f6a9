import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Role } from '../db/schema.ts';
import type { AppServices } from '../app-services.ts';
import { requireRole, type Actor, type ActorContext, type PublicContext } from './request-context.ts';
import { AppError } from '../errors.ts';
import type { AppEnv } from './app-env.ts';
import { parseInput, readJsonBody } from './validation.ts';
import { applyBodyLimit, BODY_LIMITS, isMultipart, MULTIPART_OVERHEAD, noUploadHere } from './body-limits.ts';
import { assertNoControlChars } from './input-hygiene.ts';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * One declaration per endpoint: the same object drives routing, validation, the role check and the
 * OpenAPI document, so an endpoint cannot exist without a declared role or show a stale schema.
 */
export interface RouteSpec<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** Minimum role; 'public' routes need no sign-in, 'signed_in' any role. */
  access: Role | 'signed_in' | 'public';
  body?: B;
  /**
   * A body the handler reads itself: `upload` streams one multipart file (the only kind of endpoint that
   * accepts multipart/form-data; capped at the configured upload size), otherwise the handler reads at most
   * `maxBodyBytes` with readBoundedText.
   */
  rawBody?: { contentType: string; description: string; upload?: boolean };
  /** Cap for a JSON or raw body when the class default (BODY_LIMITS.json) is too small, e.g. documents. */
  maxBodyBytes?: number;
  /** Cap for an uploaded file when it must be smaller than the configured upload size, e.g. a logo. */
  maxUploadBytes?: number;
  query?: Q;
  params?: P;
  response?: z.ZodType;
  status?: number;
  responseContentType?: string;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;
export interface RouteInput<B, Q, P, A, C> {
  actor: A;
  /** Passed on to the one domain function the route calls. */
  ctx: C;
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
}

export type ActorFor<Access> = Access extends 'public' ? Actor | undefined : Actor;
export type ContextFor<Access> = Access extends 'public' ? PublicContext : ActorContext;

export class ApiRouter {
  readonly specs: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>[] = [];
  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly services: AppServices,
  ) {}

  /** Register an endpoint with validation and the role check done before the handler runs. */
  route<
    B extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
    A extends RouteSpec<B, Q, P>['access'] = RouteSpec<B, Q, P>['access'],
  >(
    spec: RouteSpec<B, Q, P> & { access: A },
    handler: (
      c: Context<AppEnv>,
      input: RouteInput<B, Q, P, ActorFor<A>, ContextFor<A>>,
    ) => Promise<Response> | Response,
  ): void {
    this.specs.push(spec as never);
    this.app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const actor = c.get('actor');
      if (spec.access !== 'public') {
        if (!actor)
          throw new AppError({
            code: 'unauthenticated',
            message: 'Sign in to continue.',
          });
        if (spec.access !== 'signed_in') requireRole(actor, spec.access);
      }
      this.limitBody(c, spec);
      const rawParams = c.req.param();
      const rawQuery = c.req.query();
      assertNoControlChars(rawParams, 'invalid_path');
      assertNoControlChars(rawQuery, 'invalid_query');
      const params = spec.params ? parseInput(spec.params, rawParams, 'invalid_path') : undefined;
      const query = spec.query ? parseInput(spec.query, rawQuery, 'invalid_query') : undefined;
      const body = spec.body ? await readJsonBody(c, spec.body) : undefined;
      const base: PublicContext = { s: this.services, requestId: c.get('requestId'), clientIp: c.get('clientIp') };
      const ctx = spec.access === 'public' ? base : { ...base, actor: actor!, tenantId: actor!.tenantId };
      return handler(c, {
        actor: actor as ActorFor<A>,
        ctx: ctx as ContextFor<A>,
        body: body as Parsed<B>,
        query: query as Parsed<Q>,
        params: params as Parsed<P>,
      });
    });
  }

  /**
   * The request-size policy for this endpoint's class, applied before any of its input is read: the cap
   * first (so an oversize body is a 413 whatever it claims to be), then multipart only where an upload is
   * declared.
   */
  private limitBody(
    c: Context<AppEnv>,
    spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>,
  ): void {
    const multipart = isMultipart(c);
    const upload = multipart && spec.rawBody?.upload === true;
    const cap = upload
      ? Math.min(spec.maxUploadBytes ?? Infinity, this.services.config.UPLOAD_MAX_BYTES) + MULTIPART_OVERHEAD
      : spec.body || spec.rawBody
        ? (spec.maxBodyBytes ?? BODY_LIMITS.json)
        : BODY_LIMITS.none;
    applyBodyLimit(c, cap);
    if (multipart && !upload) throw noUploadHere();
  }
}
