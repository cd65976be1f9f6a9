import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { User } from '../../../src/contracts/accounts.ts';
import type { Role } from '../../../src/contracts/common.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { ROLE_LABELS, ROLE_OPTIONS, useMe } from '../session/session.tsx';

/** Admins add people, change their roles and remove them. */
export function UsersPage() {
  const me = useMe();
  const users = useQuery(queries.users);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);

  const changeRole = useMutation({
    mutationFn: ({ user, role }: { user: User; role: Role }) => endpoints.users.changeRole(user.id, { role }),
    meta: { invalidates: [queryKeys.users] },
    onMutate: () => setMessage(null),
    onSuccess: (user) =>
      setMessage({ kind: 'success', text: `${user.email} is now ${ROLE_LABELS[user.role].toLowerCase()}.` }),
    // The select already shows the new role: refetch so it falls back to the one the server kept.
    onError: (err) => {
      setMessage({ kind: 'error', text: errorMessage(err) });
      void users.refetch();
    },
  });

  const remove = useMutation({
    mutationFn: (user: User) => endpoints.users.remove(user.id),
    meta: { invalidates: [queryKeys.users] },
    onSuccess: (_none, user) => setMessage({ kind: 'success', text: `${user.email} was removed.` }),
  });

  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to this admin panel. Admins manage everything; content managers import and edit documents; viewers read."
      />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="two-col">
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title">Team</h2>
          {users.error ? (
            <ErrorState error={users.error} onRetry={() => void users.refetch()} />
          ) : !users.data ? (
            <Loading />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Role</th>
                    <th scope="col">Added</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.items.map((u) => {
                    const self = u.id === me.user.id;
                    return (
                      <tr key={u.id}>
                        <td>
                          <div className="strong">
                            {u.name || u.email}
                            {self && <span className="muted"> (you)</span>}
                          </div>
                          <div className="muted small">{u.email}</div>
                        </td>
                        <td>
                          <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                            Role of {u.email}
                          </label>
                          <select
                            id={`role-${u.id}`}
                            value={u.role}
                            disabled={self}
                            title={self ? 'You cannot change your own role.' : undefined}
                            onChange={(e) => changeRole.mutate({ user: u, role: e.target.value as Role })}
                          >
                            {ROLE_OPTIONS.map((r) => (
                              <option key={r} value={r}>
                                {ROLE_LABELS[r]}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>{formatDateTime(u.createdAt)}</td>
                        <td className="row-actions">
                          {!self && (
                            <button
                              type="button"
                              className="btn btn-small btn-danger-outline"
                              onClick={() => setRemoving(u)}
                              aria-label={`Remove ${u.email}`}
                            >
                              Remove
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <AddUserForm
          onAdded={(u) =>
            setMessage({ kind: 'success', text: `${u.email} was added as ${ROLE_LABELS[u.role].toLowerCase()}.` })
          }
        />
      </div>
      <ConfirmDialog
        open={removing !== null}
        title="Remove this user?"
        confirmLabel="Remove user"
        danger
        onConfirm={() => (removing ? remove.mutateAsync(removing) : Promise.resolve())}
        onClose={() => setRemoving(null)}
      >
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
  const ids = { role: useId(), password: useId(), hint: useId() };
  const add = useMutation({
    mutationFn: () => endpoints.users.add({ email: email.trim(), name: name.trim() || undefined, role, password }),
    meta: { invalidates: [queryKeys.users] },
    onSuccess: (user) => {
      setEmail('');
      setName('');
      setPassword('');
      setRole('viewer');
      onAdded(user);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };

  return (
    <section className="card" aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      <form className="form" onSubmit={submit}>
        <TextField label="Email" type="email" required value={email} onChange={setEmail} />
        <TextField label="Name" optional value={name} onChange={setName} />
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLE_OPTIONS.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Initial password</label>
          <input
            id={ids.password}
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={ids.hint}
          />
          <span className="hint" id={ids.hint}>
            At least 10 characters. Share it with them securely.
          </span>
        </div>
        {add.error && (
          <p className="form-error" role="alert">
            {errorMessage(add.error)}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add user'}
        </button>
      </form>
    </section>
  );
}
