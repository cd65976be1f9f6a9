import { b, fakeId, prop, rich, schemaProp, text } from '../fake-notion/builders.ts';
import type { PageSpec, WorkspaceSpec } from '../fake-notion/workspace-spec.ts';
import { buildPdf } from './pdf.ts';

const id = (name: string) => fakeId(`demo:${name}`);

/** Stable ids of the demo objects, for tests and seeding. */
export const DEMO_IDS = {
  workspace: id('workspace'),
  bot: id('bot'),
  securityOverview: id('security-overview'),
  encryptionStandards: id('encryption-standards'),
  incidentResponse: id('incident-response'),
  dataProcessingAddendum: id('dpa'),
  businessContinuity: id('business-continuity'),
  vulnerabilityDisclosure: id('vulnerability-disclosure'),
  securityPoliciesDatabase: id('security-policies-db'),
  securityPoliciesDataSource: id('security-policies-ds'),
  securityContactSynced: id('security-contact-synced'),
  policies: {
    accessControl: id('policy-access-control'),
    acceptableUse: id('policy-acceptable-use'),
    dataRetention: id('policy-data-retention'),
    encryption: id('policy-encryption'),
  },
} as const;

export const DEMO_PDF_KEY = 'acme-data-processing-addendum.pdf';

const people = {
  dana: { id: id('user-dana'), name: 'Dana Whitfield' },
  marcus: { id: id('user-marcus'), name: 'Marcus Obi' },
  priya: { id: id('user-priya'), name: 'Priya Raman' },
};

const encryptionStandards: PageSpec = {
  id: DEMO_IDS.encryptionStandards,
  title: 'Encryption Standards',
  icon: '🔐',
  createdTime: '2026-03-02T09:14:00.000Z',
  lastEditedTime: '2026-04-18T16:02:00.000Z',
  children: [
    b.paragraph('All customer data is encrypted in transit and at rest. Keys are rotated automatically.'),
    b.table(
      [
        ['Data state', 'Algorithm', 'Key management'],
        ['In transit', 'TLS 1.2+ (ECDHE)', 'Managed certificates, 90-day rotation'],
        ['At rest', 'AES-256-GCM', 'Cloud KMS, per-tenant data keys'],
        ['Backups', 'AES-256', ''],
      ],
      { columnHeader: true, rowHeader: true },
    ),
  ],
};

const securityOverview: PageSpec = {
  id: DEMO_IDS.securityOverview,
  title: 'Acme Security Overview',
  icon: '🛡️',
  createdTime: '2026-03-01T08:30:00.000Z',
  lastEditedTime: '2026-04-22T11:47:00.000Z',
  children: [
    b.heading1('Security at Acme'),
    b.paragraph(
      rich(
        'Acme protects customer data with a ',
        text('defence-in-depth', { bold: true }),
        ' programme that is audited every year. Questions? Visit our ',
        text('trust portal', { link: 'https://trust.acme.example' }),
        '.',
      ),
    ),
    b.callout(rich('Our latest ', text('SOC 2 Type II', { bold: true }), ' report is available under NDA.'), '📄'),
    b.heading2('Certifications'),
    b.bullet('SOC 2 Type II (Security, Availability, Confidentiality)', [
      b.bullet('Audit period: January 1 – December 31, 2025'),
      b.bullet('Auditor: an independent CPA firm'),
    ]),
    b.bullet('ISO/IEC 27001:2022'),
    b.bullet(
      rich('GDPR and UK GDPR compliant processing — see the ', text('Data Processing Addendum', { italic: true })),
    ),
    b.heading2('Infrastructure'),
    b.table([
      ['Control', 'Implementation', 'Owner'],
      ['Network isolation', 'Private VPCs, no public database endpoints', 'Platform'],
      ['Access', 'SSO with hardware keys, least privilege', 'IT'],
      ['Monitoring', '24/7 alerting with on-call rotation', 'Security'],
    ]),
    b.toggle('How we encrypt data', [
      b.paragraph('We use industry-standard algorithms and never roll our own cryptography.'),
      b.bullet('TLS 1.2 or newer for every connection', [b.bullet('HSTS with a one-year max-age')]),
      b.bullet('AES-256 for data at rest'),
    ]),
    b.heading3('Example TLS configuration'),
    b.code(
      'ssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers on;\nadd_header Strict-Transport-Security "max-age=31536000" always;',
      'nginx',
    ),
    b.numbered('Report a concern to security@acme.example', [b.numbered('Include steps to reproduce')]),
    b.numbered('We acknowledge within one business day'),
    b.quote('Security is everyone’s job at Acme.'),
    b.divider(),
    b.childPage(encryptionStandards),
  ],
};

const incidentResponse: PageSpec = {
  id: DEMO_IDS.incidentResponse,
  title: 'Incident Response Plan',
  icon: '🚨',
  createdTime: '2026-02-10T13:00:00.000Z',
  lastEditedTime: '2026-04-09T08:21:00.000Z',
  children: [
    b.paragraph('This plan describes how Acme detects, contains and communicates security incidents.'),
    b.syncedOriginal(DEMO_IDS.securityContactSynced, [
      b.paragraph(rich('Security contact: ', text('security@acme.example', { code: true }), ' (24/7)')),
    ]),
    b.heading2('Severity levels'),
    b.table([
      ['Severity', 'Example', 'Customer notice'],
      ['SEV-1', 'Confirmed data exposure', 'Within 72 hours'],
      ['SEV-2', 'Service degradation with security impact', 'Status page'],
      ['SEV-3', 'Contained event, no customer impact', 'None'],
    ]),
    b.toggleHeading2('Response phases', [
      b.numbered('Detect and triage'),
      b.numbered('Contain', [b.bullet('Revoke affected credentials'), b.bullet('Isolate affected hosts')]),
      b.numbered('Eradicate and recover'),
      b.numbered('Post-incident review within 5 business days'),
    ]),
    b.heading2('Checklist'),
    b.todo('Incident commander assigned', true),
    b.todo('Legal and privacy informed', true),
    b.todo('Customer communication drafted', false),
  ],
};

const dataProcessingAddendum: PageSpec = {
  id: DEMO_IDS.dataProcessingAddendum,
  title: 'Data Processing Addendum',
  icon: '📑',
  createdTime: '2026-01-20T10:05:00.000Z',
  lastEditedTime: '2026-03-30T15:40:00.000Z',
  children: [
    b.hosted('pdf', {
      key: DEMO_PDF_KEY,
      caption: rich('Acme DPA, version 2026.1'),
    }),
  ],
};

const businessContinuity: PageSpec = {
  id: DEMO_IDS.businessContinuity,
  title: 'Business Continuity Plan',
  icon: '🏗️',
  createdTime: '2026-02-01T09:00:00.000Z',
  lastEditedTime: '2026-04-02T17:10:00.000Z',
  children: [
    b.paragraph('Acme runs in two regions and can fail over without data loss beyond the targets below.'),
    b.columns(
      [b.heading3('Recovery time objective'), b.paragraph('4 hours for core services')],
      [b.heading3('Recovery point objective'), b.paragraph('15 minutes')],
    ),
    b.heading2('Testing'),
    b.bullet('Failover exercises every quarter'),
    b.bullet('Backup restore tests every month'),
    b.equation('\\text{Availability} = \\frac{\\text{uptime}}{\\text{uptime} + \\text{downtime}}'),
    b.syncedDuplicate(DEMO_IDS.securityContactSynced),
  ],
};

const vulnerabilityDisclosure: PageSpec = {
  id: DEMO_IDS.vulnerabilityDisclosure,
  title: 'Vulnerability Disclosure Policy',
  icon: '🐞',
  createdTime: '2026-02-15T12:00:00.000Z',
  lastEditedTime: '2026-04-12T10:33:00.000Z',
  children: [
    b.paragraph('We welcome reports from researchers. Please read the rules below *before* you start testing.'),
    b.heading2('# In scope'),
    b.bullet(rich('*.acme.example and the ', text('app_v2', { code: true }), ' API (incl. [beta] endpoints)')),
    b.bullet('Mobile apps <iOS & Android> published by Acme, Inc.'),
    b.heading2('Out of scope'),
    b.bullet('Reports from automated scanners with no proof | no impact'),
    b.bullet('1. Social engineering of staff — not a list item, just text'),
    b.paragraph('> Never access data that is not yours; use test accounts with a name like `researcher_<handle>`.'),
    b.paragraph(
      rich('Path examples: C:\\temp\\poc and ', text('~~strike~~', { strikethrough: true }), ' are literal.'),
    ),
    b.paragraph(
      rich(
        'Safe harbour: we will not pursue legal action for ',
        text('good-faith', { underline: true }),
        ' research (100% commitment).',
      ),
    ),
  ],
};

/** Who may read a policy on the trust center, as the security team tracks it in Notion. */
const TRUST_ACCESS_COLORS: Record<string, 'green' | 'orange' | 'blue' | 'gray'> = {
  Public: 'green',
  NDA: 'orange',
  Customers: 'blue',
  Internal: 'gray',
};

const policyRow = (
  key: keyof typeof DEMO_IDS.policies,
  title: string,
  status: string,
  trustAccess: string | null,
  owner: { id: string; name: string },
  reviewDate: string,
  body: string,
  lastEditedTime: string,
): PageSpec => ({
  id: DEMO_IDS.policies[key],
  title,
  createdTime: '2026-01-05T09:00:00.000Z',
  lastEditedTime,
  properties: {
    Status: prop.status(status, status === 'Approved' ? 'green' : 'yellow'),
    'Trust access': prop.select(trustAccess, TRUST_ACCESS_COLORS[trustAccess ?? ''] ?? 'default'),
    Owner: prop.people(owner),
    'Review date': prop.date(reviewDate),
  },
  children: [
    b.heading2('Purpose'),
    b.paragraph(body),
    b.heading2('Scope'),
    b.paragraph('All Acme employees, contractors and systems.'),
  ],
});

/** The demo workspace: realistic trust-center content for sandbox mode and tests. */
export function demoWorkspace(): WorkspaceSpec {
  const pdf = buildPdf('Acme Data Processing Addendum', [
    'Version 2026.1',
    '1. Acme processes personal data only on documented instructions of the customer.',
    '2. Sub-processors are listed at trust.acme.example/subprocessors.',
    '3. Personal data breaches are notified without undue delay.',
  ]);
  return {
    workspaceName: 'Acme Inc.',
    workspaceId: DEMO_IDS.workspace,
    botId: DEMO_IDS.bot,
    botName: 'Acme Trust Center',
    ownerUserId: people.dana.id,
    ownerName: people.dana.name,
    pages: [securityOverview, incidentResponse, dataProcessingAddendum, businessContinuity, vulnerabilityDisclosure],
    databases: [
      {
        id: DEMO_IDS.securityPoliciesDatabase,
        dataSourceId: DEMO_IDS.securityPoliciesDataSource,
        title: 'Security Policies',
        icon: '📚',
        createdTime: '2026-01-05T08:55:00.000Z',
        lastEditedTime: '2026-04-20T14:00:00.000Z',
        schema: {
          Name: { type: 'title', title: {} },
          Status: {
            type: 'status',
            status: {
              options: [
                {
                  id: 'dr4f',
                  name: 'Draft',
                  color: 'yellow',
                  description: null,
                },
                {
                  id: 'ap9r',
                  name: 'Approved',
                  color: 'green',
                  description: null,
                },
              ],
              groups: [],
            },
          },
          'Trust access': schemaProp.select(
            Object.entries(TRUST_ACCESS_COLORS).map(([name, color]) => ({ name, color })),
          ),
          Owner: { type: 'people', people: {} },
          'Review date': { type: 'date', date: {} },
        },
        rows: [
          policyRow(
            'accessControl',
            'Access Control Policy',
            'Approved',
            'Public',
            people.marcus,
            '2026-09-01',
            'Access to systems is granted on a least-privilege basis and reviewed quarterly.',
            '2026-04-20T14:00:00.000Z',
          ),
          policyRow(
            'acceptableUse',
            'Acceptable Use Policy',
            'Approved',
            'Customers',
            people.priya,
            '2026-07-15',
            'Company equipment and accounts are for business use and must be protected.',
            '2026-03-11T09:30:00.000Z',
          ),
          policyRow(
            'dataRetention',
            'Data Retention Policy',
            'Draft',
            null,
            people.dana,
            '2026-06-30',
            'Customer data is kept only as long as needed to provide the service, then deleted.',
            '2026-04-01T12:12:00.000Z',
          ),
          policyRow(
            'encryption',
            'Encryption Policy',
            'Approved',
            'NDA',
            people.marcus,
            '2026-10-01',
            'Data is encrypted in transit and at rest using the standards in Encryption Standards.',
            '2026-02-27T16:45:00.000Z',
          ),
        ],
      },
    ],
    files: [
      {
        key: DEMO_PDF_KEY,
        contentType: 'application/pdf',
        bytesBase64: pdf.toString('base64'),
      },
    ],
  };
}
