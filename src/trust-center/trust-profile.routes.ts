import { stream } from 'hono/streaming';
import { PutCustomDomainBody, TrustProfileSchema, UpdateTrustProfileBody } from '../contracts/trust-profile.ts';
import type { AppServices } from '../platform/app-services.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { clientIp } from '../platform/http/client-ip.ts';
import { readFileUpload } from '../platform/http/multipart.ts';
import { streamBody } from '../platform/http/send-file.ts';
import {
  getTrustProfile,
  openDraftLogo,
  publishTrustProfile,
  removeLogo,
  setCustomDomain,
  updateTrustProfile,
  uploadLogo,
} from './trust-profile.service.ts';

/** The trust center profile: content managers edit the draft, admins publish it and set the domain. */
export function registerTrustProfileRoutes(api: ApiRouter, s: AppServices): void {
  const tag = 'trust center profile';
  api.route(
    {
      method: 'get',
      path: '/api/trust-profile',
      tag,
      summary: 'The trust center profile: draft, published copy, custom domain and site address',
      access: 'viewer',
      response: TrustProfileSchema,
    },
    async (c, { actor }) => c.json(await getTrustProfile(s, actor)),
  );

  api.route(
    {
      method: 'patch',
      path: '/api/trust-profile',
      tag,
      summary: 'Edit the draft profile (company name, intro, contact email, brand colour)',
      access: 'content_manager',
      body: UpdateTrustProfileBody,
      response: TrustProfileSchema,
    },
    async (c, { actor, body }) => c.json(await updateTrustProfile(s, actor, body, clientIp(c))),
  );

  api.route(
    {
      method: 'put',
      path: '/api/trust-profile/logo',
      tag,
      summary: 'Upload the draft logo (PNG, JPEG, WebP or GIF, at most 512 KB; the type is read from the bytes)',
      access: 'content_manager',
      rawBody: { contentType: 'multipart/form-data', description: 'one image in the "file" field' },
      response: TrustProfileSchema,
    },
    async (c, { actor }) => {
      const upload = await readFileUpload(c);
      return c.json(await uploadLogo(s, actor, upload.stream, clientIp(c)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/trust-profile/logo',
      tag,
      summary: 'The draft logo image',
      access: 'viewer',
      responseContentType: 'image/*',
    },
    async (c, { actor }) => {
      const logo = await openDraftLogo(s, actor);
      c.header('Cache-Control', 'private, no-cache');
      return streamBody(c, logo.body, stream, { type: logo.contentType, name: logo.name, size: null });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/trust-profile/logo',
      tag,
      summary: 'Remove the draft logo (the site shows the company initial)',
      access: 'content_manager',
      response: TrustProfileSchema,
    },
    async (c, { actor }) => c.json(await removeLogo(s, actor, clientIp(c))),
  );

  api.route(
    {
      method: 'post',
      path: '/api/trust-profile/publish',
      tag,
      summary: 'Publish the draft profile to the public site',
      access: 'admin',
      response: TrustProfileSchema,
    },
    async (c, { actor }) => c.json(await publishTrustProfile(s, actor, clientIp(c))),
  );

  api.route(
    {
      method: 'put',
      path: '/api/trust-profile/domain',
      tag,
      summary: 'Set or clear the custom domain the public site answers on (point it at this server via a TLS proxy)',
      access: 'admin',
      body: PutCustomDomainBody,
      response: TrustProfileSchema,
    },
    async (c, { actor, body }) => c.json(await setCustomDomain(s, actor, body.customDomain, clientIp(c))),
  );
}
