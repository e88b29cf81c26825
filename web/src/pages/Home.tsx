import { api, type CategoryList, type ProductPage, query } from '../api';
import { Async, ProductGrid } from '../components';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { Link } from '../router';

export function HomePage() {
  const categories = useLoad((signal) => api<CategoryList>('/v1/categories', { signal }), []);
  const featured = useLoad(
    (signal) => api<ProductPage>(`/v1/products${query({ featured: true, inStock: true, limit: 8 })}`, { signal }),
    [],
  );
  const deals = useLoad(
    (signal) => api<ProductPage>(`/v1/products${query({ discounted: true, inStock: true, limit: 8 })}`, { signal }),
    [],
  );
  return (
    <>
      <section aria-labelledby="cat-h">
        <h1 id="cat-h">{t('home.categories')}</h1>
        <Async value={categories}>
          {(data) => (
            <ul className="chips">
              {data.items
                .filter((c) => c.parentSlug === null)
                .map((c) => (
                  <li key={c.slug}>
                    <Link to={`/c/${c.slug}`}>{c.name}</Link>
                  </li>
                ))}
            </ul>
          )}
        </Async>
      </section>
      <section aria-labelledby="featured-h">
        <h2 id="featured-h">{t('home.featured')}</h2>
        <Async value={featured}>{(data) => <ProductGrid products={data.items} />}</Async>
      </section>
      <section aria-labelledby="deals-h">
        <h2 id="deals-h">{t('home.deals')}</h2>
        <Async value={deals}>{(data) => <ProductGrid products={data.items} />}</Async>
      </section>
    </>
  );
}
