import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Order, type RequestBody, type Shipping } from '../api';
import { ErrorMessage, Loading } from '../components';
import { t } from '../i18n';
import { formatTaka } from '../money';
import { Link, navigate } from '../router';
import { useShop } from '../state';

type Outcome = 'success' | 'decline' | 'timeout';
type Failure =
  | { kind: 'declined' | 'timeout'; message: string }
  | { kind: 'soldOut'; lines: { name: string; available: number; requested: number }[] }
  | { kind: 'unknown'; message: string }
  | { kind: 'other'; error: ApiError };

const SHIPPING_KEY = 'dc.shipping';
/** The API's payment providers are sandboxes; a build for real payments sets VITE_PAYMENT_SANDBOX=off. */
const SANDBOX = import.meta.env.VITE_PAYMENT_SANDBOX !== 'off';

function newKey() {
  return `web-${crypto.randomUUID()}`;
}

/**
 * One Idempotency-Key per checkout attempt. It is kept when the outcome is unknown (no answer, 5xx,
 * still in progress), so pressing "Try again" can never create a second order; it is replaced only
 * after a definite answer (declined, sold out, invalid), when a new attempt is a new checkout.
 */
export function CheckoutPage() {
  const { user, ready, cart, reloadCart } = useShop();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const key = useRef(newKey());
  const inFlight = useRef(false);
  const alertBox = useRef<HTMLDivElement>(null);
  const saved = (() => {
    try {
      return JSON.parse(localStorage.getItem(SHIPPING_KEY) ?? '{}') as Partial<Shipping>;
    } catch {
      return {};
    }
  })();

  useEffect(() => {
    if (ready && !user) navigate('/login?next=%2Fcheckout', { replace: true });
  }, [ready, user]);
  // The outcome is announced and focused: on a phone the message would otherwise be off screen above the button.
  useEffect(() => {
    if (failure && alertBox.current) {
      alertBox.current.focus();
      alertBox.current.scrollIntoView({ block: 'center' });
    }
  }, [failure]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once the session is known
  useEffect(() => {
    if (ready && user) void reloadCart();
  }, [ready, user?.id]);

  if (!ready || !user || !cart) return <Loading />;
  if (cart.items.length === 0 && !submitting) {
    return (
      <section>
        <h1>{t('checkout.title')}</h1>
        <p className="empty">
          {t('cart.empty')} <Link to="/">{t('common.home')}</Link>
        </p>
      </section>
    );
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A ref, not state: two clicks in the same frame both see the state from before the first one.
    if (inFlight.current) return;
    inFlight.current = true;
    setSubmitting(true);
    setFailure(null);
    const form = new FormData(event.currentTarget);
    const shipping: Shipping = {
      name: String(form.get('name') ?? '').trim(),
      phone: String(form.get('phone') ?? '').replace(/[\s-]/g, ''),
      address: String(form.get('address') ?? '').trim(),
      city: String(form.get('city') ?? '').trim(),
    };
    localStorage.setItem(SHIPPING_KEY, JSON.stringify(shipping));
    const provider = String(form.get('provider')) as 'bkash' | 'sslcommerz';
    const outcome = form.get('outcome');
    const payment = { provider, ...(SANDBOX && outcome ? { sandboxOutcome: String(outcome) as Outcome } : {}) };
    try {
      const order = await api<Order>('/v1/checkout', {
        method: 'POST',
        headers: { 'idempotency-key': key.current },
        body: { shipping, payment } satisfies RequestBody<'/v1/checkout', 'post'>,
      });
      key.current = newKey();
      await reloadCart();
      navigate(`/orders/${order.id}?placed=1`);
      return;
    } catch (e) {
      const error = ApiError.from(e);
      if (error.outcomeUnknown) setFailure({ kind: 'unknown', message: t('checkout.network') });
      else if (error.code === 'CHECKOUT_IN_PROGRESS') setFailure({ kind: 'unknown', message: t('checkout.inProgress') });
      else {
        key.current = newKey();
        if (error.code === 'PAYMENT_DECLINED') setFailure({ kind: 'declined', message: error.message });
        else if (error.code === 'PAYMENT_TIMEOUT' || error.code === 'PAYMENT_EXPIRED')
          setFailure({ kind: 'timeout', message: error.message });
        else if (error.code === 'OUT_OF_STOCK') {
          const details = Array.isArray(error.details)
            ? (error.details as { productId: number; available: number; requested: number }[])
            : [];
          setFailure({
            kind: 'soldOut',
            lines: details.map((d) => ({ ...d, name: cart.items.find((i) => i.productId === d.productId)?.name ?? `#${d.productId}` })),
          });
          void reloadCart();
        } else setFailure({ kind: 'other', error });
      }
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  return (
    <section className="checkout">
      <h1>{t('checkout.title')}</h1>
      <ul className="summary">
        {cart.items.map((i) => (
          <li key={i.productId}>
            {i.quantity} × {i.name} <strong>{formatTaka(i.lineTotalPoisha)}</strong>
          </li>
        ))}
      </ul>
      <div aria-live="assertive" ref={alertBox} tabIndex={-1}>
        {failure ? <FailureMessage failure={failure} /> : null}
      </div>
      <form onSubmit={submit} aria-busy={submitting}>
        <fieldset disabled={submitting}>
          <legend>{t('checkout.shipping')}</legend>
          <label>
            {t('checkout.name')}
            <input name="name" required minLength={2} maxLength={100} autoComplete="name" defaultValue={saved.name ?? user.name} />
          </label>
          <label>
            {t('checkout.phone')}
            <input
              name="phone"
              type="tel"
              required
              inputMode="tel"
              autoComplete="tel"
              pattern="^(\+?880)?01[3-9][0-9]{8}$"
              title={t('checkout.phoneHint')}
              aria-describedby="phone-hint"
              defaultValue={saved.phone ?? ''}
            />
            <span id="phone-hint" className="muted">
              {t('checkout.phoneHint')}
            </span>
          </label>
          <label>
            {t('checkout.address')}
            <textarea
              name="address"
              required
              minLength={5}
              maxLength={300}
              autoComplete="street-address"
              defaultValue={saved.address ?? ''}
            />
          </label>
          <label>
            {t('checkout.city')}
            <input name="city" required minLength={2} maxLength={60} autoComplete="address-level2" defaultValue={saved.city ?? 'Dhaka'} />
          </label>
        </fieldset>
        <fieldset disabled={submitting}>
          <legend>{t('checkout.payment')}</legend>
          <label className="check">
            <input type="radio" name="provider" value="bkash" defaultChecked /> bKash
          </label>
          <label className="check">
            <input type="radio" name="provider" value="sslcommerz" /> Card / SSLCommerz
          </label>
          {SANDBOX ? (
            <label>
              {t('checkout.outcome')}
              <select name="outcome" defaultValue="success">
                <option value="success">Approve</option>
                <option value="decline">Decline</option>
                <option value="timeout">Time out</option>
              </select>
            </label>
          ) : null}
        </fieldset>
        <button type="submit" className="primary big" disabled={submitting}>
          {submitting
            ? t('checkout.placing')
            : failure?.kind === 'unknown'
              ? t('checkout.retry')
              : t('checkout.place', { total: formatTaka(cart.totalPoisha) })}
        </button>
      </form>
    </section>
  );
}

function FailureMessage({ failure }: { failure: Failure }) {
  if (failure.kind === 'other') return <ErrorMessage error={failure.error} />;
  if (failure.kind === 'soldOut') {
    return (
      <div className="alert error" role="alert" data-testid="checkout-failure">
        <strong>{t('checkout.soldOut')}</strong>
        <ul>
          {failure.lines.map((l) => (
            <li key={l.name}>{t('checkout.soldOutItem', l)}</li>
          ))}
        </ul>
        <Link to="/cart">{t('checkout.backToCart')}</Link>
      </div>
    );
  }
  const title =
    failure.kind === 'declined' ? t('checkout.declined') : failure.kind === 'timeout' ? t('checkout.timeout') : t('common.error');
  return (
    <div className="alert error" role="alert" data-testid="checkout-failure">
      <strong>{title}</strong>
      <p>{failure.message}</p>
    </div>
  );
}
