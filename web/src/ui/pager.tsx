/** What the pager reads of a cursor-paged connection. */
export interface PagedConnection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Previous and Next through a cursor-paged list. `previous` holds the cursors of the pages before
 * this one (the first page's is null), so Previous goes back to exactly the page it came from.
 */
export function Pager({
  label,
  pageSize,
  shown,
  connection,
  after,
  previous,
  onPreviousChange,
  goTo,
}: {
  label: string;
  pageSize: number;
  /** How many rows this page shows. */
  shown: number;
  connection: PagedConnection | undefined;
  /** This page's cursor. */
  after: string | null;
  previous: Array<string | null>;
  onPreviousChange(previous: Array<string | null>): void;
  goTo(cursor: string | null): void;
}) {
  const first = previous.length * pageSize + 1;
  return (
    <nav className="pager" aria-label={label}>
      <span>
        {first}–{first + shown - 1} of {connection?.totalCount}
      </span>
      <button
        type="button"
        disabled={previous.length === 0}
        onClick={() => {
          goTo(previous.at(-1) ?? null);
          onPreviousChange(previous.slice(0, -1));
        }}
      >
        Previous page
      </button>
      <button
        type="button"
        disabled={!connection?.pageInfo.hasNextPage}
        onClick={() => {
          onPreviousChange([...previous, after]);
          goTo(connection?.pageInfo.endCursor ?? null);
        }}
      >
        Next page
      </button>
    </nav>
  );
}
