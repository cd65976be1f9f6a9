import { UuidParam } from '../contracts/common.ts';
import {
  ContactDetailSchema,
  ContactListQuery,
  ContactListResponse,
  CreateContactBody,
  GrantDocumentsBody,
  GrantParams,
  MagicLinkResponse,
  UpdateContactBody,
} from '../contracts/trust-center.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import {
  createContact,
  editContact,
  getContact,
  listWorkspaceContacts,
  grantToContact,
  removeContact,
  revokeFromContact,
  sendMagicLink,
} from './contacts.service.ts';

/** Contacts of the trust center: who may see which contact-only documents (content managers and admins). */
export function registerContactRoutes(api: ApiRouter): void {
  const tag = 'contacts';
  api.route(
    {
      method: 'get',
      path: '/api/contacts',
      tag,
      summary: 'List contacts',
      access: 'content_manager',
      query: ContactListQuery,
      response: ContactListResponse,
    },
    async (c, { ctx, query }) => c.json(await listWorkspaceContacts(ctx, query)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/contacts',
      tag,
      summary: 'Add a contact',
      access: 'content_manager',
      body: CreateContactBody,
      response: ContactDetailSchema,
      status: 201,
    },
    async (c, { ctx, body }) => c.json(await createContact(ctx, body), 201),
  );

  api.route(
    {
      method: 'get',
      path: '/api/contacts/:id',
      tag,
      summary: 'Get a contact with grants and NDA acceptances',
      access: 'content_manager',
      params: UuidParam,
      response: ContactDetailSchema,
    },
    async (c, { ctx, params }) => c.json(await getContact(ctx, params)),
  );

  api.route(
    {
      method: 'patch',
      path: '/api/contacts/:id',
      tag,
      summary: "Edit a contact's name or company",
      access: 'content_manager',
      params: UuidParam,
      body: UpdateContactBody,
      response: ContactDetailSchema,
    },
    async (c, { ctx, params, body }) => c.json(await editContact(ctx, { ...body, id: params.id })),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/contacts/:id',
      tag,
      summary: 'Delete a contact (ends their access)',
      access: 'content_manager',
      params: UuidParam,
    },
    async (c, { ctx, params }) => {
      await removeContact(ctx, params);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/contacts/:id/grants',
      tag,
      summary: 'Grant documents (by id, or all of a level), optionally until a date',
      access: 'content_manager',
      params: UuidParam,
      body: GrantDocumentsBody,
      response: ContactDetailSchema,
    },
    async (c, { ctx, params, body }) => c.json(await grantToContact(ctx, { ...body, contactId: params.id })),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/contacts/:id/grants/:grantId',
      tag,
      summary: 'Revoke a grant',
      access: 'content_manager',
      params: GrantParams,
      response: ContactDetailSchema,
    },
    async (c, { ctx, params }) =>
      c.json(await revokeFromContact(ctx, { contactId: params.id, grantId: params.grantId })),
  );

  api.route(
    {
      method: 'post',
      path: '/api/contacts/:id/magic-link',
      tag,
      summary: 'Email the contact a single-use sign-in link (kept in the outbox without SMTP)',
      access: 'content_manager',
      params: UuidParam,
      response: MagicLinkResponse,
    },
    async (c, { ctx, params }) => c.json(await sendMagicLink(ctx, { contactId: params.id })),
  );
}
