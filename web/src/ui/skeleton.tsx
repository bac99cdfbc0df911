/** Grey shapes where content is about to appear; screen readers hear only the label. */
export function Skeleton({ lines = 3, label = "Loading" }: { lines?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label}>
      {Array.from({ length: lines }, (_, index) => (
        <span key={index} className="skeleton-line" style={{ width: `${90 - ((index * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function TableSkeleton({
  rows = 5,
  columns,
  label = "Loading",
}: {
  rows?: number;
  columns: number;
  label?: string;
}) {
  return (
    <div className="skeleton" role="status" aria-label={label}>
      <div className="table-scroll">
        <table className="data-table" aria-hidden="true">
          <tbody>
            {Array.from({ length: rows }, (_, row) => (
              <tr key={row}>
                {Array.from({ length: columns }, (_, column) => (
                  <td key={column}>
                    <span className="skeleton-line" />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
