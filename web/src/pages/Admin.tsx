import { type FormEvent, useEffect, useState } from 'react';
import {
  type AdminOrderList,
  type AdminProduct,
  type AdminProductList,
  type AdminUser,
  type AdminUserList,
  api,
  type Order,
  type OrderStatus,
  query,
  type RequestBody,
  type Role,
  type StockAdjustment,
} from '../api';
import { Loading } from '../components';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { formatTaka } from '../money';
import { Link, navigate, useLocation } from '../router';
import { useShop } from '../state';
import { AdminTable, RowError, useRowAction } from './admin-kit';
import { formatDate, STATUS_LABEL } from './Orders';

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
      <AdminTable list={list} columns={['Product', 'Price', t('admin.stock')]} row={(p) => <ProductRow key={p.id} product={p} />} />
    </>
  );
}

function ProductRow({ product }: { product: AdminProduct }) {
  const [stock, setStock] = useState(product.stock);
  const [saved, setSaved] = useState(false);
  const action = useRowAction();
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSaved(false);
    return action.run(async () => {
      const result = await api<StockAdjustment>(`/v1/admin/products/${product.id}/stock-adjustments`, {
        method: 'POST',
        body: {
          setTo: Number(form.get('stock')),
          reason: String(form.get('reason') || 'stock count'),
        } satisfies RequestBody<'/v1/admin/products/{id}/stock-adjustments', 'post'>,
      });
      setStock(result.resultingStock);
      setSaved(true);
    });
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
          <button type="submit" disabled={action.busy}>
            {t('admin.save')}
          </button>
          {saved ? (
            <span role="status" className="ok">
              {t('admin.saved')}
            </span>
          ) : null}
        </form>
        <RowError action={action} />
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
      <AdminTable list={list} columns={['Order', 'Customer', 'Total', t('admin.status')]} row={(o) => <OrderRow key={o.id} order={o} />} />
    </>
  );
}

function OrderRow({ order }: { order: Order }) {
  const [current, setCurrent] = useState(order);
  const action = useRowAction();
  const move = (status: OrderStatus) =>
    action.run(async () => {
      setCurrent(
        await api<Order>(`/v1/admin/orders/${order.id}/status`, {
          method: 'PATCH',
          body: { status } satisfies RequestBody<'/v1/admin/orders/{id}/status', 'patch'>,
        }),
      );
    });
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
          <button key={s} type="button" disabled={action.busy} onClick={() => void move(s)}>
            Mark {STATUS_LABEL[s].toLowerCase()}
          </button>
        ))}
        <RowError action={action} />
      </td>
    </tr>
  );
}

function Users() {
  const list = useLoad((signal) => api<AdminUserList>('/v1/admin/users?limit=100', { signal }), []);
  return (
    <>
      <h1>{t('admin.users')}</h1>
      <AdminTable list={list} columns={['User', t('admin.role')]} row={(u) => <UserRow key={u.id} user={u} />} />
    </>
  );
}

function UserRow({ user }: { user: AdminUser }) {
  const [role, setRole] = useState<Role>(user.role);
  const action = useRowAction();
  const change = (next: Role) =>
    action.run(async () => {
      setRole(
        (
          await api<AdminUser>(`/v1/admin/users/${user.id}/role`, {
            method: 'PATCH',
            body: { role: next } satisfies RequestBody<'/v1/admin/users/{id}/role', 'patch'>,
          })
        ).role,
      );
    });
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
          <select value={role} disabled={action.busy} onChange={(e) => void change(e.target.value as Role)}>
            <option value="customer">Customer</option>
            <option value="staff">Staff</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <RowError action={action} />
      </td>
    </tr>
  );
}
