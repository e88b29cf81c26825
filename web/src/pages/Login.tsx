import { type FormEvent, useState } from 'react';
import { ApiError } from '../api';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useShop } from '../state';

/** Only same-site paths: `?next=https://evil.example` must not redirect off the shop. */
function safeNext(next: string | null) {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function AuthForm({ mode }: { mode: 'login' | 'register' }) {
  const { login, register } = useShop();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const email = String(form.get('email'));
      const password = String(form.get('password'));
      if (mode === 'login') await login(email, password);
      else await register(String(form.get('name')), email, password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>{mode === 'login' ? t('auth.login') : t('auth.register')}</h1>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <fieldset disabled={busy}>
          {mode === 'register' ? (
            <label>
              {t('auth.name')}
              <input name="name" required maxLength={100} autoComplete="name" />
            </label>
          ) : null}
          <label>
            {t('auth.email')}
            <input name="email" type="email" required autoComplete="email" />
          </label>
          <label>
            {t('auth.password')}
            <input
              name="password"
              type="password"
              required
              minLength={mode === 'register' ? 12 : 1}
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            />
          </label>
          <button type="submit" className="primary">
            {mode === 'login' ? t('auth.login') : t('auth.register')}
          </button>
        </fieldset>
      </form>
      <p>
        {mode === 'login' ? t('auth.noAccount') : t('auth.haveAccount')}{' '}
        <Link to={`/${mode === 'login' ? 'register' : 'login'}?next=${encodeURIComponent(next)}`}>
          {mode === 'login' ? t('auth.register') : t('auth.login')}
        </Link>
      </p>
    </section>
  );
}

export const LoginPage = () => <AuthForm mode="login" />;
export const RegisterPage = () => <AuthForm mode="register" />;
