import type { TensorSpecRowFragment } from "../gql/graphql";
import { formatDimensions } from "../ui/format";

export function TensorTable({ caption, tensors }: { caption: string; tensors: TensorSpecRowFragment[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Shape</th>
          </tr>
        </thead>
        <tbody>
          {tensors.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                None
              </td>
            </tr>
          ) : (
            tensors.map((tensor) => (
              <tr key={tensor.name}>
                <th scope="row">
                  <code>{tensor.name}</code>
                </th>
                <td>{tensor.dataType}</td>
                <td>
                  <code>{formatDimensions(tensor.dimensions)}</code>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
