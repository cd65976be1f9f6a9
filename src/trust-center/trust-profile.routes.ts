import { stream } from 'hono/streaming';
import {
  LOGO_MAX_BYTES,
  PutCustomDomainBody,
  TrustProfileSchema,
  UpdateTrustProfileBody,
} from '../contracts/trust-profile.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { readFileUpload } from '../platform/http/multipart.ts';
import { streamFile } from '../platform/http/send-file.ts';
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
export function registerTrustProfileRoutes(api: ApiRouter): void {
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
    async (c, { ctx }) => c.json(await getTrustProfile(ctx)),
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
    async (c, { ctx, body }) => c.json(await updateTrustProfile(ctx, body)),
  );

  api.route(
    {
      method: 'put',
      path: '/api/trust-profile/logo',
      tag,
      summary: 'Upload the draft logo (PNG, JPEG, WebP or GIF, at most 512 KB; the type is read from the bytes)',
      access: 'content_manager',
      rawBody: { contentType: 'multipart/form-data', description: 'one image in the "file" field', upload: true },
      maxUploadBytes: LOGO_MAX_BYTES,
      response: TrustProfileSchema,
    },
    async (c, { ctx }) => {
      const upload = await readFileUpload(c);
      return c.json(await uploadLogo(ctx, upload.stream));
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
    async (c, { ctx }) => {
      const logo = await openDraftLogo(ctx);
      c.header('Cache-Control', 'private, no-cache');
      return streamFile(c, logo.body, stream, { type: logo.contentType, name: logo.name, size: null });
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
    async (c, { ctx }) => c.json(await removeLogo(ctx)),
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
    async (c, { ctx }) => c.json(await publishTrustProfile(ctx)),
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
    async (c, { ctx, body }) => c.json(await setCustomDomain(ctx, body.customDomain)),
  );
}
