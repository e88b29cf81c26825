import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';

export type Loadable<T> =
  | { state: 'loading'; retry: () => void }
  | { state: 'error'; error: ApiError; retry: () => void }
  | { state: 'ready'; data: T; retry: () => void };

/** Load data for a page: loading, error with retry, or ready. Stale answers (deps changed) are dropped. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loadable<T> {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; data: T }>({
    state: 'loading',
  });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setResult({ state: 'ready', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult({
          state: 'error',
          error: ApiError.from(error),
        });
      },
    );
    return () => controller.abort();
  }, [...deps, attempt]);
  return { ...result, retry };
}
