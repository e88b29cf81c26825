import { useEffect, useState } from 'react';
import { ApiError, api, type Order, type OrderList, type OrderStatus } from '../api';
import { Async, ErrorMessage, Loading } from '../components';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { formatTaka } from '../money';
import { Link, navigate, useLocation } from '../router';
import { useShop } from '../state';

export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  processing: 'Processing',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  payment_failed: 'Payment failed',
};

export const formatDate = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Dhaka' });

function useSignedIn() {
  const { user, ready } = useShop();
  const { href } = useLocation();
  useEffect(() => {
    if (ready && !user) navigate(`/login?next=${encodeURIComponent(href)}`, { replace: true });
  }, [ready, user, href]);
  return ready && user ? user : null;
}

export function OrdersPage() {
  const user = useSignedIn();
  const orders = useLoad((signal) => (user ? api<OrderList>('/v1/orders?limit=50', { signal }) : new Promise<never>(() => {})), [user?.id]);
  if (!user) return <Loading />;
  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <Async value={orders}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="empty">{t('orders.empty')}</p>
          ) : (
            <ul className="lines">
              {data.items.map((o) => (
                <li key={o.id} className="order-row">
                  <Link to={`/orders/${o.id}`}>{t('orders.number', { n: o.number })}</Link>
                  <span>{formatDate(o.createdAt)}</span>
                  <span className={`status ${o.status}`}>{STATUS_LABEL[o.status]}</span>
                  <strong>{formatTaka(o.totalPoisha)}</strong>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

export function OrderPage({ id }: { id: string }) {
  const user = useSignedIn();
  const { search } = useLocation();
  const loaded = useLoad(
    (signal) => (user ? api<Order>(`/v1/orders/${encodeURIComponent(id)}`, { signal }) : new Promise<never>(() => {})),
    [id, user?.id],
  );
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (!user) return <Loading />;

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      setOrder(await api<Order>(`/v1/orders/${id}/cancel`, { method: 'POST' }));
    } catch (e) {
      setError(ApiError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Async value={loaded}>
      {(initial) => {
        const o = order ?? initial;
        return (
          <section>
            {search.get('placed') && o.status === 'paid' ? (
              <p className="alert ok" role="status">
                {t('orders.placed')}
              </p>
            ) : null}
            <h1>{t('orders.number', { n: o.number })}</h1>
            <p>
              <span className={`status ${o.status}`} data-testid="order-status">
                {STATUS_LABEL[o.status]}
              </span>{' '}
              · {formatDate(o.createdAt)} · {o.paymentProvider}
            </p>
            <table className="specs">
              <tbody>
                {o.items.map((i) => (
                  <tr key={i.productId}>
                    <th scope="row">
                      {i.quantity} × {i.name}
                    </th>
                    <td>{formatTaka(i.lineTotalPoisha)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('cart.total')}</th>
                  <td>
                    <strong data-testid="order-total">{formatTaka(o.totalPoisha)}</strong>
                  </td>
                </tr>
              </tbody>
            </table>
            <h2>{t('checkout.shipping')}</h2>
            <address>
              {o.shipping.name}
              <br />
              {o.shipping.phone}
              <br />
              {o.shipping.address}, {o.shipping.city}
            </address>
            {error ? <ErrorMessage error={error} /> : null}
            {o.status === 'paid' || o.status === 'processing' ? (
              <button type="button" onClick={cancel} disabled={busy}>
                {t('orders.cancel')}
              </button>
            ) : null}
            <p>
              <Link to="/orders">{t('orders.title')}</Link>
            </p>
          </section>
        );
      }}
    </Async>
  );
}
