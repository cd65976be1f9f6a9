import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { notionIntegration, queries } from '../api/queries.ts';

interface Step {
  title: string;
  hint: string;
  to: string;
  action: string;
  done: boolean;
}

const dismissKey = (tenantId: string) => `trust-center.first-run-dismissed.${tenantId}`;

/** One-document probes: is there any document of this kind at all? */
function useAnyDocument(filter: Parameters<typeof queries.documents.list>[0], enabled: boolean): boolean | undefined {
  const list = useInfiniteQuery({ ...queries.documents.list(filter, 1), enabled });
  return list.data ? list.data.length > 0 : undefined;
}

/**
 * The first steps of a new workspace, each ticked from what is really there (not from clicks on this list):
 * profile published → Notion connected → pages imported → a document shared beyond the team → a contact
 * added. Shown until every step is done or someone dismisses it for this workspace on this browser.
 */
export function FirstRunChecklist({ tenantId }: { tenantId: string }) {
  const [dismissed, setDismissed] = useState(() => window.localStorage.getItem(dismissKey(tenantId)) === '1');
  const profile = useQuery({ ...queries.trustProfile, enabled: !dismissed });
  const integrations = useQuery({ ...queries.integrations.list(), enabled: !dismissed });
  const contacts = useInfiniteQuery({ ...queries.contacts.list({}, 1), enabled: !dismissed });
  const imported = useAnyDocument({ source: 'notion' }, !dismissed);
  const shared = [
    useAnyDocument({ accessLevel: 'public' }, !dismissed),
    useAnyDocument({ accessLevel: 'contacts' }, !dismissed),
    useAnyDocument({ accessLevel: 'contacts_nda' }, !dismissed),
  ];
  if (dismissed) return null;
  const states = [profile.data, integrations.data, contacts.data, imported, ...shared];
  if (states.some((s) => s === undefined)) return null;

  const steps: Step[] = [
    {
      title: 'Set up your trust center profile',
      hint: 'Company name, logo, colour and a short introduction, then publish it.',
      to: '/settings',
      action: 'Open the profile',
      done: Boolean(profile.data?.publishedAt),
    },
    {
      title: 'Connect Notion',
      hint: 'Read-only: we only see the pages you choose to share with the integration.',
      to: '/integrations',
      action: 'Connect',
      done: notionIntegration(integrations.data)?.status === 'connected' || imported === true,
    },
    {
      title: 'Import your security pages',
      hint: 'Pick the Notion pages to bring in; they stay internal until you share them.',
      to: '/import',
      action: 'Choose pages',
      done: imported === true,
    },
    {
      title: 'Publish a document',
      hint: 'Open a document and set who may read it: Public, or approved contacts (with or without NDA).',
      to: '/documents',
      action: 'See documents',
      done: shared.some(Boolean),
    },
    {
      title: 'Share your trust center',
      hint: profile.data
        ? `Send ${profile.data.siteUrl} to customers, or add a contact and email them a sign-in link.`
        : 'Add a contact and email them a sign-in link.',
      to: '/contacts',
      action: 'Add a contact',
      done: (contacts.data?.length ?? 0) > 0,
    },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  if (doneCount === steps.length) return null;
  const dismiss = () => {
    window.localStorage.setItem(dismissKey(tenantId), '1');
    setDismissed(true);
  };

  return (
    <section className="card checklist" aria-labelledby="checklist-title">
      <div className="checklist-head">
        <div>
          <h2 id="checklist-title">Get your trust center ready</h2>
          <p className="muted small">
            {doneCount} of {steps.length} done
          </p>
        </div>
        <button type="button" className="btn btn-ghost" onClick={dismiss}>
          Hide this list
        </button>
      </div>
      <ol className="checklist-steps">
        {steps.map((step) => (
          <li key={step.title} className={step.done ? 'done' : undefined}>
            <span className="checklist-mark" aria-hidden="true">
              {step.done ? '✓' : ''}
            </span>
            <div className="checklist-text">
              <strong>{step.title}</strong>
              <span className="visually-hidden">{step.done ? ' (done)' : ' (to do)'}</span>
              <p className="muted small">{step.hint}</p>
            </div>
            {!step.done && (
              <Link className="btn" to={step.to}>
                {step.action}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
