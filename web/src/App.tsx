import { Component, type FormEvent, lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { Loading } from './components';
import { t } from './i18n';
import { CartPage } from './pages/Cart';
import { CatalogPage } from './pages/Catalog';
import { CheckoutPage } from './pages/Checkout';
import { HomePage } from './pages/Home';
import { LoginPage, RegisterPage } from './pages/Login';
import { OrderPage, OrdersPage } from './pages/Orders';
import { ProductPage } from './pages/Product';
import { Link, match, navigate, useLocation } from './router';
import { useShop } from './state';

// Staff pages are a separate chunk: shoppers never download them.
const AdminPage = lazy(() => import('./pages/Admin'));

function route(path: string): ReactNode {
  const category = match('/c/:slug', path);
  const product = match('/p/:slug', path);
  const order = match('/orders/:id', path);
  if (path === '/') return <HomePage />;
  if (category) return <CatalogPage category={category.slug} />;
  if (path === '/search') return <CatalogPage />;
  if (product) return <ProductPage slug={product.slug as string} />;
  if (path === '/cart') return <CartPage />;
  if (path === '/checkout') return <CheckoutPage />;
  if (path === '/orders') return <OrdersPage />;
  if (order) return <OrderPage id={order.id as string} />;
  if (path === '/login') return <LoginPage />;
  if (path === '/register') return <RegisterPage />;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminPage section={path.split('/')[2] ?? 'products'} />;
  return (
    <section>
      <h1>{t('common.notFound')}</h1>
      <Link to="/">{t('common.home')}</Link>
    </section>
  );
}

/** A render error shows a message with a way back, never a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="alert error" role="alert">
        <strong>{t('common.error')}</strong>
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            {t('common.retry')}
          </button>{' '}
          <Link to="/">{t('common.home')}</Link>
        </p>
      </div>
    );
  }
}

function SearchBox() {
  const { path, search } = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const current = path === '/search' ? (search.get('q') ?? '') : '';
  useEffect(() => {
    if (input.current && document.activeElement !== input.current) input.current.value = current;
  }, [current]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = input.current?.value.trim() ?? '';
    if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
  };
  return (
    <search className="search">
      <form onSubmit={submit}>
        <label htmlFor="site-search" className="visually-hidden">
          {t('search.label')}
        </label>
        <input
          id="site-search"
          ref={input}
          type="search"
          name="q"
          defaultValue={current}
          placeholder={t('search.placeholder')}
          maxLength={100}
        />
        <button type="submit">{t('search.submit')}</button>
      </form>
    </search>
  );
}

export function App() {
  const { user, cart, logout } = useShop();
  const { path, href } = useLocation();
  const isStaff = user?.role === 'staff' || user?.role === 'admin';
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link to="/" className="logo">
          {t('app.name')}
        </Link>
        <SearchBox />
        <nav aria-label="Account">
          <Link to="/cart" className="cart-link" aria-current={path === '/cart' ? 'page' : undefined}>
            {t('nav.cart')} <span data-testid="cart-count">{cart?.itemCount ?? 0}</span>
          </Link>
          {user ? (
            <>
              <Link to="/orders">{t('nav.orders')}</Link>
              {isStaff ? <Link to="/admin">{t('nav.admin')}</Link> : null}
              <button type="button" className="link" onClick={() => void logout().then(() => navigate('/'))}>
                {t('nav.logout')}
              </button>
            </>
          ) : (
            <Link to={`/login?next=${encodeURIComponent(path === '/login' ? '/' : href)}`}>{t('nav.login')}</Link>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={href}>
          <Suspense fallback={<Loading />}>{route(path)}</Suspense>
        </ErrorBoundary>
      </main>
      <footer className="foot">
        <p>DhakaCart · Cash-free delivery across Bangladesh · bKash and SSLCommerz</p>
      </footer>
    </>
  );
}
