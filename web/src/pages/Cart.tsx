import { useEffect, useState } from 'react';
import { ApiError, cartApi } from '../api';
import { ErrorMessage, Loading, Price, ProductImage } from '../components';
import { t } from '../i18n';
import { formatTaka } from '../money';
import { Link } from '../router';
import { useShop } from '../state';

export function CartPage() {
  const { cart, setCart, user, ready } = useShop();
  const [error, setError] = useState<ApiError | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);

  const load = async () => {
    setError(null);
    try {
      setCart(await cartApi.get());
      setLoaded(true);
    } catch (e) {
      setError(ApiError.from(e));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the session is known or changes
  useEffect(() => {
    if (ready) void load();
  }, [ready, user?.id]);

  const change = async (productId: number, quantity: number) => {
    setBusy(productId);
    setError(null);
    try {
      setCart(quantity > 0 ? await cartApi.set(productId, quantity) : await cartApi.remove(productId));
    } catch (e) {
      setError(ApiError.from(e));
    } finally {
      setBusy(null);
    }
  };

  if (error && !loaded) return <ErrorMessage error={error} retry={load} />;
  if (!loaded || !cart) return <Loading />;
  const blocked = cart.items.some((i) => !i.available);
  return (
    <section>
      <h1>{t('cart.title')}</h1>
      {error ? <ErrorMessage error={error} /> : null}
      {cart.items.length === 0 ? (
        <p className="empty">
          {t('cart.empty')} <Link to="/">{t('common.home')}</Link>
        </p>
      ) : (
        <>
          <ul className="lines">
            {cart.items.map((line) => (
              <li key={line.productId} className="line" data-testid="cart-line">
                <ProductImage src={line.image} alt={line.name} size="thumb" />
                <div>
                  <Link to={`/p/${line.slug}`}>{line.name}</Link>
                  <div>
                    <Price poisha={line.unitPricePoisha} />
                  </div>
                  {!line.available ? <p className="warn">{t('cart.unavailable')}</p> : null}
                </div>
                <label>
                  {t('product.quantity')}
                  <select
                    value={line.quantity}
                    disabled={busy === line.productId}
                    onChange={(e) => void change(line.productId, Number(e.target.value))}
                  >
                    {Array.from({ length: Math.max(line.quantity, Math.min(10, line.stock)) }, (_, i) => i + 1).map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </label>
                <strong>{formatTaka(line.lineTotalPoisha)}</strong>
                <button type="button" className="link" onClick={() => void change(line.productId, 0)} disabled={busy === line.productId}>
                  {t('cart.remove')}
                </button>
              </li>
            ))}
          </ul>
          <p className="total">
            {t('cart.total')}: <strong data-testid="cart-total">{formatTaka(cart.totalPoisha)}</strong>
          </p>
          {user ? (
            blocked ? (
              <p className="warn">{t('cart.unavailable')}</p>
            ) : (
              <Link to="/checkout" className="button primary">
                {t('cart.checkout')}
              </Link>
            )
          ) : (
            <Link to="/login?next=%2Fcheckout" className="button primary">
              {t('cart.loginToCheckout')}
            </Link>
          )}
        </>
      )}
    </section>
  );
}
