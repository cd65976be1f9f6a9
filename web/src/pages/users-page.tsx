import { useId, useState, type FormEvent } from 'react';
import type { User } from '../../../src/contracts/accounts.ts';
import type { Role } from '../../../src/contracts/common.ts';
import { api, errorMessage } from '../api/client.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { useApi } from '../hooks/use-api.ts';
import { ROLE_LABELS, ROLE_OPTIONS, useMe } from '../session/session.tsx';
import { useAction } from '../hooks/use-action.ts';

/** Admins add people, change their roles and remove them. */
export function UsersPage() {
  const me = useMe();
  const users = useApi<{ items: User[] }>('/api/users');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);

  const changeRole = async (user: User, role: Role) => {
    setMessage(null);
    try {
      await api(`/api/users/${user.id}`, { method: 'PATCH', json: { role } });
      setMessage({ kind: 'success', text: `${user.email} is now ${ROLE_LABELS[role].toLowerCase()}.` });
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
    users.reload();
  };

  const remove = async () => {
    if (!removing) return;
    await api(`/api/users/${removing.id}`, { method: 'DELETE' });
    setMessage({ kind: 'success', text: `${removing.email} was removed.` });
    users.reload();
  };

  return (
    <>
      <PageHeader title="Users" description="People who can sign in to this admin panel. Admins manage everything; content managers import and edit documents; viewers read." />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="two-col">
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title">Team</h2>
          {users.error ? <ErrorState error={users.error} onRetry={users.reload} />
            : !users.data ? <Loading />
            : (
              <div className="table-wrap">
                <table className="table">
                  <thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Added</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {users.data.items.map((u) => {
                      const self = u.id === me.user.id;
                      return (
                        <tr key={u.id}>
                          <td><div className="strong">{u.name || u.email}{self && <span className="muted"> (you)</span>}</div><div className="muted small">{u.email}</div></td>
                          <td>
                            <label className="visually-hidden" htmlFor={`role-${u.id}`}>Role of {u.email}</label>
                            <select id={`role-${u.id}`} value={u.role} disabled={self} title={self ? 'You cannot change your own role.' : undefined} onChange={(e) => void changeRole(u, e.target.value as Role)}>
                              {ROLE_OPTIONS.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                            </select>
                          </td>
                          <td>{formatDateTime(u.createdAt)}</td>
                          <td className="row-actions">
                            {!self && <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setRemoving(u)} aria-label={`Remove ${u.email}`}>Remove</button>}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
        </section>
        <AddUserForm onAdded={(u) => { setMessage({ kind: 'success', text: `${u.email} was added as ${ROLE_LABELS[u.role].toLowerCase()}.` }); users.reload(); }} />
      </div>
      <ConfirmDialog open={removing !== null} title="Remove this user?" confirmLabel="Remove user" danger onConfirm={remove} onClose={() => setRemoving(null)}>
        <p>{removing?.email} will be signed out and can no longer sign in. Documents they created stay.</p>
      </ConfirmDialog>
    </>
  );
}

function AddUserForm({ onAdded }: { onAdded(user: User): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const ids = { role: useId(), password: useId(), hint: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const user = await api<User>('/api/users', { method: 'POST', json: { email: email.trim(), name: name.trim() || undefined, role, password } });
      setEmail(''); setName(''); setPassword(''); setRole('viewer');
      onAdded(user);
    });
  };

  return (
    <section className="card" aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField label="Email" type="email" required value={email} onChange={setEmail} />
        <TextField label="Name" optional value={name} onChange={setName} />
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLE_OPTIONS.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Initial password</label>
          <input id={ids.password} type="password" autoComplete="new-password" required minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={ids.hint} />
          <span className="hint" id={ids.hint}>At least 10 characters. Share it with them securely.</span>
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Adding…' : 'Add user'}</button>
      </form>
    </section>
  );
}
