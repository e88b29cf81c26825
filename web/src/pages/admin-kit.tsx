/** What every staff section shares: a loaded list shown as a table, and per-row actions that show their own error. Staff chunk only. */
import { type ReactNode, useState } from 'react';
import { ApiError } from '../api';
import { Async, ErrorMessage } from '../components';
import type { Loadable } from '../hooks';

/** Loading → error with retry → a scrollable table with one row per item. */
export function AdminTable<Item>({
  list,
  columns,
  row,
}: {
  list: Loadable<{ items: Item[] }>;
  /** Column headings, in order (each heading is also the column's key). */
  columns: string[];
  /** One `<tr>` per item, with its key. */
  row: (item: Item) => ReactNode;
}) {
  return (
    <Async value={list}>
      {(data) => (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                {columns.map((heading) => (
                  <th key={heading} scope="col">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{data.items.map((item) => row(item))}</tbody>
          </table>
        </div>
      )}
    </Async>
  );
}

export interface RowAction {
  /** True while an action runs: the row's controls are disabled, so one click is one request. */
  busy: boolean;
  error: ApiError | null;
  /** Run `action` (a request and the state it updates on success); a failure becomes `error`. */
  run(action: () => Promise<void>): Promise<void>;
}

/** The busy / error state of a row's one change at a time (save stock, move an order, change a role). */
export function useRowAction(): RowAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(ApiError.from(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** The row action's error, if its last run failed (no retry button: the row's own control tries again). */
export function RowError({ action }: { action: RowAction }) {
  return action.error ? <ErrorMessage error={action.error} /> : null;
}
