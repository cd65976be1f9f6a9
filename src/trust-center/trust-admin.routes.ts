import type { AppServices } from '../platform/app-services.ts';
import { UuidParam } from '../contracts/common.ts';
import {
  AccessRequestListQuery,
  AccessRequestListResponse,
  AccessRequestSchema,
  ApproveAccessRequestBody,
  ApproveAccessRequestResponse,
  NdaResponse,
  OutboxListQuery,
  OutboxListResponse,
  PutNdaBody,
} from '../contracts/trust-center.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { auditActor } from '../audit/audit-actor.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { clientIp } from '../platform/http/client-ip.ts';
import { approveAccessRequest, listAccessRequests, rejectAccessRequest } from './access-requests.ts';
import { listOutbox } from './mailer.ts';
import { describeNda, publishNda } from './nda.repo.ts';

/** Access requests, the click-through NDA and the outbox of the trust center. */
export function registerTrustAdminRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'get',
      path: '/api/access-requests',
      tag: 'access requests',
      summary: 'List access requests',
      access: 'content_manager',
      query: AccessRequestListQuery,
      response: AccessRequestListResponse,
    },
    async (c, { actor, query }) => {
      const page = await withTenant(s.db, actor.tenantId, (trx) => listAccessRequests(trx, query));
      return c.json({ ...page, limit: query.limit, offset: query.offset });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/access-requests/:id/approve',
      tag: 'access requests',
      summary: 'Approve: create the contact, grant the document, send the magic link',
      access: 'content_manager',
      params: UuidParam,
      body: ApproveAccessRequestBody,
      response: ApproveAccessRequestResponse,
    },
    async (c, { actor, params, body }) =>
      c.json(await approveAccessRequest(s, actor, params.id, body.expiresAt, clientIp(c))),
  );

  api.route(
    {
      method: 'post',
      path: '/api/access-requests/:id/reject',
      tag: 'access requests',
      summary: 'Reject an access request',
      access: 'content_manager',
      params: UuidParam,
      response: AccessRequestSchema,
    },
    async (c, { actor, params }) => c.json(await rejectAccessRequest(s, actor, params.id, clientIp(c))),
  );

  api.route(
    {
      method: 'get',
      path: '/api/nda',
      tag: 'nda',
      summary: 'The current NDA and its version history',
      access: 'content_manager',
      response: NdaResponse,
    },
    async (c, { actor }) => c.json(await withTenant(s.db, actor.tenantId, (trx) => describeNda(trx))),
  );

  api.route(
    {
      method: 'put',
      path: '/api/nda',
      tag: 'nda',
      summary: 'Publish a new NDA version (contacts must accept it again)',
      access: 'admin',
      body: PutNdaBody,
      response: NdaResponse,
    },
    async (c, { actor, body }) =>
      c.json(
        await withTenant(s.db, actor.tenantId, async (trx) => {
          const version = await publishNda(trx, actor.tenantId, body.body, actor.userId);
          await recordAudit(trx, {
            tenantId: actor.tenantId,
            actor: auditActor(actor),
            action: 'nda.published',
            targetType: 'nda',
            targetId: version.id,
            details: { version: version.version },
            ip: clientIp(c),
          });
          return describeNda(trx);
        }),
      ),
  );

  api.route(
    {
      method: 'get',
      path: '/api/outbox',
      tag: 'outbox',
      summary: 'Emails queued or sent (magic links to copy when no SMTP is configured)',
      access: 'admin',
      query: OutboxListQuery,
      response: OutboxListResponse,
    },
    async (c, { actor, query }) => c.json(await withTenant(s.db, actor.tenantId, (trx) => listOutbox(trx, query))),
  );
}
