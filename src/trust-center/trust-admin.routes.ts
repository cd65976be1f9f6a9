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
import type { ApiRouter } from '../platform/http/api-router.ts';
import { clientIp } from '../platform/http/client-ip.ts';
import { approveAccessRequest, listWorkspaceAccessRequests, rejectAccessRequest } from './access-requests.ts';
import { readOutbox } from './mailer.ts';
import { publishNewNda, readNda } from './nda.service.ts';

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
    async (c, { ctx, query }) => c.json(await listWorkspaceAccessRequests(ctx, query)),
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
    async (c, { ctx }) => c.json(await readNda(ctx)),
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
    async (c, { ctx, body }) => c.json(await publishNewNda(ctx, body)),
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
    async (c, { ctx, query }) => c.json(await readOutbox(ctx, query)),
  );
}
