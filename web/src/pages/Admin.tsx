import { type FormEvent, useEffect, useState } from 'react';
import {
  type AdminOrderList,
  type AdminProduct,
  type AdminProductList,
  type AdminUser,
  type AdminUserList,
  ApiError,
  api,
  type Order,
  type OrderStatus,
  query,
  type RequestBody,
  type Role,
  type StockAdjustment,
} from '../api';
import { Async, ErrorMessage, Loading } from '../components';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { formatTaka } from '../money';
import { Link, navigate, useLocation } from '../router';
import { useShop } from '../state';
import { formatDate, STATUS_LABEL } from './Orders';

const toApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));

/** Staff and admin pages. The API refuses customers on every call; this page does not even ask it. */
export default function AdminPage({ section }: { section: string }) {
  const { user, ready } = useShop();
  const { href } = useLocation();
  useEffect(() => {
    if (ready && !user) navigate(`/login?next=${encodeURIComponent(href)}`, { replace: true });
  }, [ready, user, href]);
  if (!ready || !user) return <Loading />;
  if (user.role === 'customer') {
    return (
      <section>
        <h1>{t('admin.forbidden')}</h1>
        <p>{t('admin.forbiddenText')}</p>
        <Link to="/">{t('common.home')}</Link>
      </section>
    );
  }
  const tabs = [
    ['products', t('admin.products')],
    ['orders', t('admin.orders')],
    ...(user.role === 'admin' ? [['users', t('admin.users')]] : []),
  ] as [string, string][];
  return (
    <section className="admin">
      <nav aria-label="Staff" className="chips">
        {tabs.map(([slug, label]) => (
          <Link key={slug} to={`/admin/${slug}`} aria-current={section === slug ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {section === 'orders' ? <Orders /> : section === 'users' && user.role === 'admin' ? <Users /> : <Products />}
    </section>
  );
}

function Products() {
  const [q, setQ] = useState('');
  const list = useLoad((signal) => api<AdminProductList>(`/v1/admin/products${query({ q: q || undefined, limit: 50 })}`, { signal }), [q]);
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setQ(String(new FormData(event.currentTarget).get('q') ?? '').trim());
  };
  return (
    <>
      <h1>{t('admin.products')}</h1>
      <search>
        <form className="row" onSubmit={search}>
          <label>
            Find by name or SKU
            <input name="q" type="search" maxLength={100} />
          </label>
          <button type="submit">{t('search.submit')}</button>
        </form>
      </search>
      <Async value={list}>
        {(data) => (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Price</th>
                  <th scope="col">{t('admin.stock')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <ProductRow key={p.id} product={p} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
    </>
  );
}

function ProductRow({ product }: { product: AdminProduct }) {
  const [stock, setStock] = useState(product.stock);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setSaved(false);
    setError(null);
    try {
      const result = await api<StockAdjustment>(`/v1/admin/products/${product.id}/stock-adjustments`, {
        method: 'POST',
        body: {
          setTo: Number(form.get('stock')),
          reason: String(form.get('reason') || 'stock count'),
        } satisfies RequestBody<'/v1/admin/products/{id}/stock-adjustments', 'post'>,
      });
      setStock(result.resultingStock);
      setSaved(true);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const id = `p${product.id}`;
  return (
    <tr data-testid={`admin-product-${product.slug}`}>
      <td>
        {product.name}
        <br />
        <span className="muted">
          {product.sku}
          {product.active ? '' : ' · retired'}
        </span>
      </td>
      <td>{formatTaka(product.pricePoisha)}</td>
      <td>
        <form onSubmit={save} className="inline">
          <label htmlFor={`${id}-stock`}>
            {t('admin.setStock')} (now {stock})
          </label>
          <input id={`${id}-stock`} name="stock" type="number" min={0} max={1000000} required defaultValue={stock} />
          <label htmlFor={`${id}-reason`}>{t('admin.reason')}</label>
          <input id={`${id}-reason`} name="reason" minLength={3} maxLength={200} defaultValue="stock count" required />
          <button type="submit" disabled={busy}>
            {t('admin.save')}
          </button>
          {saved ? (
            <span role="status" className="ok">
              {t('admin.saved')}
            </span>
          ) : null}
        </form>
        {error ? <ErrorMessage error={error} /> : null}
      </td>
    </tr>
  );
}

const NEXT_STATUS: Partial<Record<OrderStatus, OrderStatus[]>> = {
  paid: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
};

function Orders() {
  const { search } = useLocation();
  const status = search.get('status') ?? undefined;
  const list = useLoad((signal) => api<AdminOrderList>(`/v1/admin/orders${query({ status, limit: 50 })}`, { signal }), [status]);
  return (
    <>
      <h1>{t('admin.orders')}</h1>
      <Async value={list}>
        {(data) => (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Total</th>
                  <th scope="col">{t('admin.status')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((o) => (
                  <OrderRow key={o.id} order={o} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
    </>
  );
}

function OrderRow({ order }: { order: Order }) {
  const [current, setCurrent] = useState(order);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const move = async (status: OrderStatus) => {
    setBusy(true);
    setError(null);
    try {
      setCurrent(
        await api<Order>(`/v1/admin/orders/${order.id}/status`, {
          method: 'PATCH',
          body: { status } satisfies RequestBody<'/v1/admin/orders/{id}/status', 'patch'>,
        }),
      );
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <td>
        #{current.number}
        <br />
        <span className="muted">{formatDate(current.createdAt)}</span>
      </td>
      <td>
        {current.shipping.name}
        <br />
        <span className="muted">{current.shipping.city}</span>
      </td>
      <td>{formatTaka(current.totalPoisha)}</td>
      <td>
        <span className={`status ${current.status}`}>{STATUS_LABEL[current.status]}</span>{' '}
        {(NEXT_STATUS[current.status] ?? []).map((s) => (
          <button key={s} type="button" disabled={busy} onClick={() => void move(s)}>
            Mark {STATUS_LABEL[s].toLowerCase()}
          </button>
        ))}
        {error ? <ErrorMessage error={error} /> : null}
      </td>
    </tr>
  );
}

function Users() {
  const list = useLoad((signal) => api<AdminUserList>('/v1/admin/users?limit=100', { signal }), []);
  return (
    <>
      <h1>{t('admin.users')}</h1>
      <Async value={list}>
        {(data) => (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">{t('admin.role')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((u) => (
                  <UserRow key={u.id} user={u} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
    </>
  );
}

function UserRow({ user }: { user: AdminUser }) {
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const change = async (next: Role) => {
    setBusy(true);
    setError(null);
    try {
      setRole(
        (
          await api<AdminUser>(`/v1/admin/users/${user.id}/role`, {
            method: 'PATCH',
            body: { role: next } satisfies RequestBody<'/v1/admin/users/{id}/role', 'patch'>,
          })
        ).role,
      );
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <td>
        {user.name}
        <br />
        <span className="muted">{user.email}</span>
      </td>
      <td>
        <label>
          <span className="visually-hidden">Role of {user.email}</span>
          <select value={role} disabled={busy} onChange={(e) => void change(e.target.value as Role)}>
            <option value="customer">Customer</option>
            <option value="staff">Staff</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        {error ? <ErrorMessage error={error} /> : null}
      </td>
    </tr>
  );
}
