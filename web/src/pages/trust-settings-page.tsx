import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { TrustProfile } from '../../../src/contracts/trust-profile.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { formatDateTime } from '../components/format.ts';
import { GuardedButton } from '../components/guarded-button.tsx';
import { PageHeader } from '../components/layout.tsx';
import { TextField } from '../components/text-field.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { roleReason, useMe } from '../session/session.tsx';

type Draft = { companyName: string; intro: string; contactEmail: string; brandColor: string };

const toDraft = (p: TrustProfile): Draft => ({
  companyName: p.draft.companyName,
  intro: p.draft.intro,
  contactEmail: p.draft.contactEmail,
  brandColor: p.draft.brandColor ?? '',
});

/** The trust center's profile (content managers edit, admins publish) and its custom domain (admins). */
export function TrustSettingsPage() {
  const profile = useQuery(queries.trustProfile);
  if (profile.error)
    return (
      <>
        <PageHeader title="Trust center profile" />
        <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
      </>
    );
  if (!profile.data)
    return (
      <>
        <PageHeader title="Trust center profile" />
        <Loading />
      </>
    );
  return <ProfileEditor profile={profile.data} />;
}

function ProfileEditor({ profile }: { profile: TrustProfile }) {
  const me = useMe();
  const [draft, setDraft] = useState<Draft>(() => toDraft(profile));
  const [domain, setDomain] = useState(profile.customDomain ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const introId = useId();
  const colorId = useId();
  const logoId = useId();
  const invalidates = { invalidates: [queryKeys.trustProfile] };
  const publishReason = roleReason(me.user.role, 'admin', 'publish the profile');
  const domainReason = roleReason(me.user.role, 'admin', 'change the custom domain');

  const save = useMutation({
    mutationFn: () =>
      endpoints.trustProfile.update({
        companyName: draft.companyName,
        intro: draft.intro,
        contactEmail: draft.contactEmail,
        brandColor: draft.brandColor || null,
      }),
    meta: invalidates,
    onSuccess: () => setNotice('Draft saved. An admin publishes it to the trust center.'),
  });
  const upload = useMutation({
    mutationFn: (file: File) => endpoints.trustProfile.uploadLogo(file),
    meta: invalidates,
    onSuccess: () => setNotice('Logo uploaded to the draft.'),
  });
  const removeLogo = useMutation({ mutationFn: endpoints.trustProfile.removeLogo, meta: invalidates });
  const publish = useMutation({
    mutationFn: endpoints.trustProfile.publish,
    meta: invalidates,
    onSuccess: () => setNotice('Published. Visitors see the new profile now.'),
  });
  const saveDomain = useMutation({
    mutationFn: () => endpoints.trustProfile.setDomain({ customDomain: domain.trim() || null }),
    meta: invalidates,
    onSuccess: (p) =>
      setNotice(p.customDomain ? `The trust center now also answers on ${p.customDomain}.` : 'Custom domain removed.'),
  });
  const error = save.error ?? upload.error ?? removeLogo.error ?? publish.error ?? saveDomain.error;
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <>
      <PageHeader
        title="Trust center profile"
        description="How your public trust center introduces your company. Content managers edit the draft; an admin publishes it."
      />
      {notice && <Notice kind="success">{notice}</Notice>}
      {error && <Notice kind="error">{error.message}</Notice>}
      <p>
        {profile.published
          ? `Published ${profile.publishedAt ? formatDateTime(profile.publishedAt) : ''}. `
          : 'Not published yet: visitors see your workspace name and the standard introduction. '}
        {profile.hasUnpublishedChanges && profile.published ? 'The draft has changes that are not published. ' : ''}
        <a href={profile.siteUrl} target="_blank" rel="noreferrer">
          Open your trust center
        </a>
      </p>
      <div className="two-col">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile (draft)</h2>
          <form className="form" onSubmit={onSave}>
            <TextField label="Company name" value={draft.companyName} onChange={set('companyName')} optional />
            <div className="field">
              <label htmlFor={introId}>
                Short introduction <span className="muted">(optional)</span>
              </label>
              <textarea
                id={introId}
                rows={4}
                maxLength={2000}
                value={draft.intro}
                onChange={(e) => set('intro')(e.target.value)}
              />
            </div>
            <TextField
              label="Security contact email"
              type="email"
              value={draft.contactEmail}
              onChange={set('contactEmail')}
              optional
            />
            <div className="field">
              <label htmlFor={colorId}>
                Brand colour <span className="muted">(buttons and links; must be dark enough for white text)</span>
              </label>
              <input
                id={colorId}
                type="text"
                placeholder="#1d4ed8"
                pattern="#[0-9a-fA-F]{6}"
                value={draft.brandColor}
                onChange={(e) => set('brandColor')(e.target.value)}
              />
            </div>
            <div className="actions">
              <button className="btn btn-primary" type="submit" disabled={save.isPending}>
                Save draft
              </button>
              <GuardedButton
                className="btn"
                reason={publishReason}
                disabled={publish.isPending || !profile.hasUnpublishedChanges}
                onClick={() => publish.mutate()}
              >
                Publish
              </GuardedButton>
            </div>
          </form>
        </section>
        <section className="card" aria-labelledby="logo-title">
          <h2 id="logo-title">Logo</h2>
          {profile.draft.logoUrl ? (
            <img className="logo-preview" src={profile.draft.logoUrl} alt="Current logo (draft)" />
          ) : (
            <p className="muted">No logo: the trust center shows the first letter of your company name.</p>
          )}
          <div className="field">
            <label htmlFor={logoId}>Upload a logo (PNG, JPEG, WebP or GIF, at most 512 KB)</label>
            <input
              id={logoId}
              type="file"
              accept="image/png,image/jpeg,image/webp,image/gif"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) upload.mutate(file);
                e.target.value = '';
              }}
            />
          </div>
          {profile.draft.logoUrl && (
            <div className="actions">
              <button className="btn" type="button" onClick={() => removeLogo.mutate()}>
                Remove logo
              </button>
            </div>
          )}
          <h2>Custom domain</h2>
          <p className="muted">
            Point a host name such as trust.example.com at this server through a proxy that handles HTTPS; the trust
            center then answers there. The current address keeps working.
          </p>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              saveDomain.mutate();
            }}
          >
            <TextField label="Host name" value={domain} onChange={setDomain} optional />
            <div className="actions">
              <GuardedButton className="btn" type="submit" reason={domainReason} disabled={saveDomain.isPending}>
                Save domain
              </GuardedButton>
            </div>
          </form>
        </section>
      </div>
    </>
  );
}
