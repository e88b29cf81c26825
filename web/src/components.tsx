import { type ReactNode, useState } from 'react';
import { demoImageSrcSet } from '../../services/api/src/seed/product-images';
import type { ApiError, ProductSummary } from './api';
import type { Loadable } from './hooks';
import { t } from './i18n';
import { formatTaka } from './money';
import { Link } from './router';

export function Price({ poisha, compareAt }: { poisha: number; compareAt?: number | null }) {
  return (
    <span className="price">
      <strong>{formatTaka(poisha)}</strong>
      {compareAt && compareAt > poisha ? (
        <>
          {' '}
          <s>
            <span className="visually-hidden">was </span>
            {formatTaka(compareAt)}
          </s>{' '}
          <span className="badge deal">-{Math.round((1 - poisha / compareAt) * 100)}%</span>
        </>
      ) : null}
    </span>
  );
}

export function StockState({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="stock out">{t('stock.out')}</span>;
  if (stock <= 5) return <span className="stock low">{t('stock.low', { n: stock })}</span>;
  return <span className="stock in">{t('stock.in')}</span>;
}

/** How wide each kind of photo is drawn (CSS px), so the browser picks the srcset candidate it needs. */
const SIZES = {
  // Two columns on a phone; on wider screens grid columns of about 200–270 px.
  card: '(min-width: 700px) 270px, 50vw',
  // Beside the details on wider screens (at most 420 px), the full width on a phone.
  large: '(min-width: 700px) 420px, 100vw',
  thumb: '64px',
} as const;

/**
 * A product photo: demo photos come in several widths (srcset), an admin's own photo as it is. Photos
 * below the fold load when the shopper scrolls near them; the product page's photo, usually the largest
 * thing on screen, loads at once. A missing photo shows a lettered tile instead of a broken image.
 */
export function ProductImage({ src, alt, size = 'card' }: { src: string | null | undefined; alt: string; size?: keyof typeof SIZES }) {
  const [failed, setFailed] = useState(false);
  if (!src || failed) {
    return (
      <div className={`img placeholder img-${size}`} role="img" aria-label={alt}>
        {alt.slice(0, 1)}
      </div>
    );
  }
  const srcSet = demoImageSrcSet(src);
  const large = size === 'large';
  // loading and sizes before srcSet and src: a browser may start the fetch as soon as src is set.
  return (
    <img
      className={`img img-${size}`}
      loading={large ? 'eager' : 'lazy'}
      fetchPriority={large ? 'high' : undefined}
      decoding="async"
      width={320}
      height={320}
      sizes={srcSet ? SIZES[size] : undefined}
      srcSet={srcSet}
      src={src}
      alt={alt}
      onError={() => setFailed(true)}
    />
  );
}

export function ProductCard({ product }: { product: ProductSummary }) {
  return (
    <li className="card">
      <Link to={`/p/${product.slug}`} className="card-link">
        <ProductImage src={product.image} alt={product.name} />
        <span className="card-brand">{product.brand}</span>
        <span className="card-name">{product.name}</span>
      </Link>
      <Price poisha={product.pricePoisha} compareAt={product.compareAtPoisha} />
      <StockState stock={product.stock} />
    </li>
  );
}

export function ProductGrid({ products }: { products: ProductSummary[] }) {
  return (
    <ul className="grid" data-testid="product-grid">
      {products.map((p) => (
        <ProductCard key={p.id} product={p} />
      ))}
    </ul>
  );
}

export function ErrorMessage({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div className="alert error" role="alert">
      <strong>{error.status === 404 ? t('common.notFound') : t('common.error')}</strong>
      <p>{error.message}</p>
      {error.requestId ? <p className="muted">Reference: {error.requestId}</p> : null}
      {retry ? (
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading() {
  return (
    <p className="loading" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/** Loading → error (with retry) → content; never a blank screen. */
export function Async<T>({ value, children }: { value: Loadable<T>; children: (data: T) => ReactNode }) {
  if (value.state === 'loading') return <Loading />;
  if (value.state === 'error') return <ErrorMessage error={value.error} retry={value.retry} />;
  return <>{children(value.data)}</>;
}
