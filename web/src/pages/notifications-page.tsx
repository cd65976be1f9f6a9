import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { NotificationSettings } from '../../../src/contracts/notifications.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { PageHeader } from '../components/layout.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';

type Choice = NotificationSettings['accessRequests'];

const CHOICES: { value: Choice; label: string; hint: string }[] = [
  { value: 'off', label: 'Do not email me', hint: 'New requests still show as a count next to “Access requests”.' },
  {
    value: 'instant',
    label: 'Email me when someone requests access',
    hint: 'One mail per request, within a minute or so.',
  },
  {
    value: 'daily',
    label: 'Send me a daily digest instead',
    hint: 'One mail each morning (07:00 UTC) listing the requests still waiting; none when nothing waits.',
  },
];

/** The signed-in user's own notification choices. */
export function NotificationsPage() {
  const settings = useQuery(queries.notificationSettings);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const save = useMutation({
    mutationFn: (accessRequests: Choice) => endpoints.notificationSettings.update({ accessRequests }),
    meta: { invalidates: [queryKeys.notificationSettings] },
    onMutate: () => setMessage(null),
    onSuccess: () => setMessage({ kind: 'success', text: 'Saved.' }),
    onError: (err) => setMessage({ kind: 'error', text: errorMessage(err) }),
  });
  const header = (
    <PageHeader
      title="My notifications"
      description="How you hear about new access requests. This setting is yours only; each teammate chooses their own."
    />
  );
  if (settings.error)
    return (
      <>
        {header}
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      </>
    );
  if (!settings.data)
    return (
      <>
        {header}
        <Loading />
      </>
    );
  const current = save.isPending && save.variables ? save.variables : settings.data.accessRequests;
  return (
    <>
      {header}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <section className="card" aria-labelledby="requests-title">
        <h2 id="requests-title">Access requests</h2>
        <p className="hint">Mails go to {settings.data.email}.</p>
        <fieldset className="choice-list" disabled={save.isPending}>
          <legend className="visually-hidden">Email me about access requests</legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className="checkbox-row">
              <input
                type="radio"
                name="access-requests"
                value={choice.value}
                checked={current === choice.value}
                onChange={() => save.mutate(choice.value)}
              />
              <span>
                {choice.label}
                <span className="hint choice-hint">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </section>
    </>
  );
}
