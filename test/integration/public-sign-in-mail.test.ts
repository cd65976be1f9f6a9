import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantWithAdmin } from '../../src/accounts/tenant-setup.ts';
import type { OutboxList } from '../../src/contracts/trust-center.ts';
import { PASSWORD, Session, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Session;
let smtp: net.Server;
const smtpSockets = new Set<net.Socket>();

beforeAll(async () => {
  // An SMTP server that accepts connections and never greets: a send waits until the connection dies.
  smtp = net.createServer((socket) => {
    smtpSockets.add(socket);
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.address() as net.AddressInfo;
  t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  await createTenantWithAdmin(t.runtime.services.db, {
    slug: 'mail-co',
    name: 'Mail Co',
    adminEmail: 'admin@mail.test',
    adminPassword: PASSWORD,
  });
  admin = await Session.signIn(t.app, 'admin@mail.test');
});
afterAll(async () => {
  for (const socket of smtpSockets) socket.destroy();
  await new Promise((resolve) => smtp?.close(resolve));
  await t?.close();
});

const outboxFor = async (email: string) =>
  ((await (await admin.request('/api/outbox?limit=100')).json()) as OutboxList).items.filter(
    (m) => m.toEmail === email,
  );

describe('self-service sign-in link', () => {
  it('answers before the mail is sent, so a contact and a stranger look the same; the send finishes in the background', async () => {
    const doc = await admin.request('/api/documents', {
      method: 'POST',
      json: {
        title: 'Pen test',
        markdown: '# Pen test',
        accessLevel: 'contacts',
      },
    });
    const docId = ((await doc.json()) as { id: string }).id;
    const created = await admin.request('/api/contacts', {
      method: 'POST',
      json: { email: 'pat@prospect.test', name: 'Pat', company: 'Prospect' },
    });
    const contactId = ((await created.json()) as { id: string }).id;
    expect(
      (
        await admin.request(`/api/contacts/${contactId}/grants`, {
          method: 'POST',
          json: { documentIds: [docId] },
        })
      ).status,
    ).toBe(200);

    const res = await t.app.request('/t/mail-co/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'pat@prospect.test' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/t/mail-co?notice=link-sent');
    // The SMTP server never answers, so a response that waited for the send could not exist yet: the mail
    // is still unsent and without an error while the visitor already has the answer.
    const pending = await outboxFor('pat@prospect.test');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ error: null, sentAt: null });

    // The SMTP connection dies: the background send records the failure on the outbox row.
    await expect.poll(() => smtpSockets.size).toBeGreaterThan(0);
    for (const socket of smtpSockets) socket.destroy();
    await expect
      .poll(async () => (await outboxFor('pat@prospect.test'))[0]?.error ?? null, { timeout: 5000 })
      .not.toBeNull();
  });
});
