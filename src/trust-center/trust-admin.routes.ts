import { stream } from 'hono/streaming';
import { UuidParam } from '../contracts/common.ts';
import {
  AccessRequestListQuery,
  AddAutoApproveRuleBody,
  AutoApproveRuleParams,
  AutoApproveRuleSchema,
  AutoApproveRulesResponse,
  AccessRequestListResponse,
  AccessRequestSchema,
  ApproveAccessRequestBody,
  ApproveAccessRequestResponse,
  NdaCertificateParams,
  NdaResponse,
  OutboxListQuery,
  OutboxListResponse,
  PutNdaBody,
} from '../contracts/trust-center.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { streamFile } from '../platform/http/send-file.ts';
import { approveAccessRequest, readAccessRequests, rejectAccessRequest } from './access-requests.ts';
import { addAutoApproveRule, readAutoApproveRules, removeAutoApproveRule } from './auto-approve.service.ts';
import { readOutbox } from './mailer.ts';
import { openNdaCertificate, publishNewNda, readNda } from './nda.service.ts';

/** Access requests and their auto-approve rules, the NDA and its certificates, and the outbox. */
export function registerTrustAdminRoutes(api: ApiRouter): void {
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
    async (c, { ctx, query }) => c.json(await readAccessRequests(ctx, query)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/access-requests/:id/approve',
      tag: 'access requests',
      summary:
        'Approve once: create the contact, grant the requested documents (or the chosen ones), send one magic link',
      access: 'content_manager',
      params: UuidParam,
      body: ApproveAccessRequestBody,
      response: ApproveAccessRequestResponse,
    },
    async (c, { ctx, params, body }) => c.json(await approveAccessRequest(ctx, { id: params.id, ...body })),
  );

  api.route(
    {
      method: 'post',
      path: '/api/access-requests/:id/reject',
      tag: 'access requests',
      summary: 'Reject an access request (every document it still waits for)',
      access: 'content_manager',
      params: UuidParam,
      response: AccessRequestSchema,
    },
    async (c, { ctx, params }) => c.json(await rejectAccessRequest(ctx, params)),
  );

  api.route(
    {
      method: 'get',
      path: '/api/auto-approve-rules',
      tag: 'access requests',
      summary: 'Email domains whose access requests are approved at once',
      access: 'admin',
      response: AutoApproveRulesResponse,
    },
    async (c, { ctx }) => c.json(await readAutoApproveRules(ctx)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/auto-approve-rules',
      tag: 'access requests',
      summary: 'Approve requests from an email domain at once (all documents, or only those without NDA)',
      access: 'admin',
      body: AddAutoApproveRuleBody,
      response: AutoApproveRuleSchema,
      status: 201,
    },
    async (c, { ctx, body }) => c.json(await addAutoApproveRule(ctx, body), 201),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/auto-approve-rules/:ruleId',
      tag: 'access requests',
      summary: 'Stop approving a domain automatically',
      access: 'admin',
      params: AutoApproveRuleParams,
    },
    async (c, { ctx, params }) => {
      await removeAutoApproveRule(ctx, params);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/contacts/:id/nda-acceptances/:acceptanceId/certificate',
      tag: 'nda',
      summary: 'The PDF certificate of an NDA signed with an access request (each download is audited)',
      access: 'admin',
      params: NdaCertificateParams,
      responseContentType: 'application/pdf',
    },
    async (c, { ctx, params }) => {
      const certificate = await openNdaCertificate(ctx, params);
      c.header('Cache-Control', 'private, no-store');
      return streamFile(c, certificate.body, stream, { type: 'application/pdf', name: certificate.name, size: null });
    },
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
