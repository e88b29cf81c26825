import { useState } from 'react';
import { ApiError, api, cartApi, type ProductDetail } from '../api';
import { Async, ErrorMessage, Price, ProductImage, StockState } from '../components';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { Link } from '../router';
import { useShop } from '../state';

export function ProductPage({ slug }: { slug: string }) {
  const product = useLoad((signal) => api<ProductDetail>(`/v1/products/${encodeURIComponent(slug)}`, { signal }), [slug]);
  return <Async value={product}>{(p) => <ProductView product={p} />}</Async>;
}

function ProductView({ product }: { product: ProductDetail }) {
  const { cart, setCart } = useShop();
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [shown, setShown] = useState(0);
  const inCart = cart?.items.find((i) => i.productId === product.id)?.quantity ?? 0;
  const max = Math.min(10, product.stock);

  const add = async () => {
    setBusy(true);
    setError(null);
    setAdded(false);
    try {
      setCart(await cartApi.set(product.id, Math.min(inCart + quantity, Math.max(1, product.stock))));
      setAdded(true);
    } catch (e) {
      setError(ApiError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="product">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/">Home</Link> › <Link to={`/c/${product.category.slug}`}>{product.category.name}</Link>
      </nav>
      <div className="product-main">
        <div className="gallery">
          <ProductImage key={shown} src={product.images[shown]} alt={product.name} size="large" />
          {product.images.length > 1 ? (
            <ul className="thumbs">
              {product.images.map((src, i) => (
                <li key={src}>
                  <button
                    type="button"
                    aria-pressed={i === shown}
                    aria-label={`Photo ${i + 1} of ${product.images.length}`}
                    onClick={() => setShown(i)}
                  >
                    {i + 1}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="buy">
          <p className="card-brand">{product.brand}</p>
          <h1>{product.name}</h1>
          <p>
            <Price poisha={product.pricePoisha} compareAt={product.compareAtPoisha} />
          </p>
          <p data-testid="stock-state">
            <StockState stock={product.stock} />
          </p>
          {product.inStock ? (
            <div className="row">
              <label>
                {t('product.quantity')}
                <select value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
                  {Array.from({ length: Math.max(1, max) }, (_, i) => i + 1).map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="primary" onClick={add} disabled={busy}>
                {t('product.add')}
              </button>
            </div>
          ) : (
            <button type="button" className="primary" disabled>
              {t('stock.out')}
            </button>
          )}
          {added ? (
            <p role="status" className="ok">
              {t('product.added')} · <Link to="/cart">{t('cart.checkout')}</Link>
            </p>
          ) : null}
          {error ? <ErrorMessage error={error} /> : null}
          <p className="muted">SKU {product.sku}</p>
        </div>
      </div>
      <p>{product.description}</p>
      <h2>{t('product.specs')}</h2>
      <table className="specs">
        <tbody>
          {Object.entries(product.specs).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
