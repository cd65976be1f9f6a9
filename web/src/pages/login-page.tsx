import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { errorMessage } from '../api/client.ts';
import { Loading } from '../components/states.tsx';
import { useSession } from '../session/session.tsx';

/** Email + password sign-in; returns to the page that asked for it. */
export function LoginPage() {
  const { me, login } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({ mutationFn: () => login(email.trim(), password) });
  useEffect(() => {
    document.title = 'Sign in · Trust Center admin';
  }, []);

  if (me === undefined)
    return (
      <div className="center-page">
        <Loading />
      </div>
    );
  if (me) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/documents'} replace />;
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };

  return (
    <div className="center-page login-page">
      <main className="login-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Trust Center
        </div>
        <h1>Sign in to the admin panel</h1>
        <form onSubmit={submit} className="form">
          <div className="field">
            <label htmlFor="login-email">Email</label>
            <input
              id="login-email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {signIn.error && (
            <p className="form-error" role="alert">
              {errorMessage(signIn.error)}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
