import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, type BrandList, type CategoryList, type ProductPage, type ProductSummary, query } from '../api';
import { Async, ErrorMessage, Loading, ProductGrid } from '../components';
import { useLoad } from '../hooks';
import { type MessageKey, t } from '../i18n';
import { formatTaka, parseTaka } from '../money';
import { Link, navigate, useLocation } from '../router';

const SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'name_asc'] as const;

/** Category browsing and search share one page; every filter lives in the URL so results can be shared and reloaded. */
export function CatalogPage({ category }: { category?: string | undefined }) {
  const { path, search } = useLocation();
  const q = search.get('q') ?? undefined;
  const params = {
    q,
    category: category ?? search.get('category') ?? undefined,
    brand: search.getAll('brand'),
    minPrice: search.get('minPrice') ?? undefined,
    maxPrice: search.get('maxPrice') ?? undefined,
    inStock: search.get('inStock') === 'true' ? true : undefined,
    sort: search.get('sort') ?? (q ? undefined : 'name_asc'),
  };
  const key = query(params);
  const [extra, setExtra] = useState<{ items: ProductSummary[]; cursor: string | null; loading: boolean; error: ApiError | null }>({
    items: [],
    cursor: null,
    loading: false,
    error: null,
  });
  const first = useLoad((signal) => api<ProductPage>(`/v1/products${query({ ...params, limit: 24 })}`, { signal }), [key]);
  const categories = useLoad((signal) => api<CategoryList>('/v1/categories', { signal }), []);
  const brands = useLoad((signal) => api<BrandList>(`/v1/brands${query({ category: params.category })}`, { signal }), [params.category]);
  const firstPage = first.state === 'ready' ? first.data : null;
  useEffect(() => {
    if (firstPage) setExtra({ items: [], cursor: firstPage.nextCursor, loading: false, error: null });
  }, [firstPage]);

  const loadMore = async () => {
    if (!extra.cursor) return;
    setExtra((e) => ({ ...e, loading: true, error: null }));
    try {
      const page = await api<ProductPage>(`/v1/products${query({ ...params, limit: 24, cursor: extra.cursor })}`);
      setExtra((e) => ({ items: [...e.items, ...page.items], cursor: page.nextCursor, loading: false, error: null }));
    } catch (error) {
      setExtra((e) => ({ ...e, loading: false, error: ApiError.from(error) }));
    }
  };

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    if (q) next.set('q', q);
    if (!category && params.category) next.set('category', params.category);
    for (const b of form.getAll('brand')) next.append('brand', String(b));
    const min = parseTaka(String(form.get('minPrice') ?? ''));
    const max = parseTaka(String(form.get('maxPrice') ?? ''));
    if (min !== undefined) next.set('minPrice', String(min));
    if (max !== undefined) next.set('maxPrice', String(max));
    if (form.get('inStock')) next.set('inStock', 'true');
    const sort = String(form.get('sort') ?? '');
    if (sort) next.set('sort', sort);
    const s = next.toString();
    navigate(`${path}${s ? `?${s}` : ''}`);
  };

  const categoryName = categories.state === 'ready' ? categories.data.items.find((c) => c.slug === params.category)?.name : params.category;
  const subcategories =
    categories.state === 'ready' && params.category ? categories.data.items.filter((c) => c.parentSlug === params.category) : [];
  const toTaka = (poisha: string | undefined) => (poisha ? formatTaka(Number(poisha)).replace('৳', '').replace(/,/g, '') : '');

  return (
    <div className="catalog">
      <h1>{q ? t('catalog.results', { q }) : (categoryName ?? 'All products')}</h1>
      {subcategories.length ? (
        <ul className="chips">
          {subcategories.map((c) => (
            <li key={c.slug}>
              <Link to={`/c/${c.slug}`}>
                {c.name} ({c.productCount})
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <details className="filters">
        <summary>{t('filters.title')}</summary>
        <form onSubmit={applyFilters} key={key} aria-label={t('filters.title')}>
          {brands.state === 'ready' && brands.data.items.length ? (
            <fieldset>
              <legend>{t('filters.brand')}</legend>
              <div className="brand-list">
                {brands.data.items.map((b) => (
                  <label key={b.brand}>
                    <input type="checkbox" name="brand" value={b.brand} defaultChecked={params.brand.includes(b.brand)} /> {b.brand}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          <div className="row">
            <label>
              {t('filters.minPrice')}
              <input name="minPrice" inputMode="decimal" defaultValue={toTaka(params.minPrice)} />
            </label>
            <label>
              {t('filters.maxPrice')}
              <input name="maxPrice" inputMode="decimal" defaultValue={toTaka(params.maxPrice)} />
            </label>
          </div>
          <label className="check">
            <input type="checkbox" name="inStock" value="true" defaultChecked={params.inStock === true} /> {t('filters.inStock')}
          </label>
          <label>
            {t('filters.sort')}
            <select name="sort" defaultValue={params.sort ?? 'relevance'}>
              {SORTS.filter((s) => q || s !== 'relevance').map((s) => (
                <option key={s} value={s}>
                  {t(`sort.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <div className="row">
            <button type="submit">{t('filters.apply')}</button>
            <Link to={q ? `${path}?q=${encodeURIComponent(q)}` : path}>{t('filters.clear')}</Link>
          </div>
        </form>
      </details>
      <Async value={first}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="empty">{t('catalog.empty')}</p>
          ) : (
            <>
              <ProductGrid products={[...data.items, ...extra.items]} />
              {extra.error ? <ErrorMessage error={extra.error} retry={loadMore} /> : null}
              {extra.loading ? <Loading /> : null}
              {extra.cursor && !extra.loading ? (
                <button type="button" className="more" onClick={loadMore}>
                  {t('catalog.more')}
                </button>
              ) : null}
            </>
          )
        }
      </Async>
    </div>
  );
}
