import { useId } from "react";
import type { ReconstructionDetailFieldsFragment } from "../gql/graphql";
import { FactList } from "../ui/fact-list";
import { formatNumber } from "../ui/format";
import { formatPsnr } from "./psnr-chart-option";

type Metrics = NonNullable<ReconstructionDetailFieldsFragment["metrics"]>;
type Mesh = ReconstructionDetailFieldsFragment["mesh"];

const formatSsim = (value: number | null | undefined) =>
  value === null || value === undefined ? "—" : value.toFixed(4);

/** The held-out views' PSNR and SSIM, their means, and what the run cost. */
export function ReconstructionMetrics({ metrics, mesh }: { metrics: Metrics; mesh: Mesh }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Quality</h2>
      <FactList
        facts={[
          ["Mean held-out PSNR", formatPsnr(metrics.psnr)],
          ["Mean held-out SSIM", formatSsim(metrics.ssim)],
          [
            "Wall time",
            metrics.seconds === null || metrics.seconds === undefined
              ? "—"
              : `${metrics.seconds.toFixed(1)} s`,
          ],
          [
            "Samples per second",
            metrics.samplesPerSecond === null || metrics.samplesPerSecond === undefined
              ? "—"
              : Math.round(metrics.samplesPerSecond).toLocaleString(),
          ],
          [
            "Mesh",
            mesh
              ? `${formatNumber(mesh.vertexCount)} vertices, ${formatNumber(mesh.triangleCount)} triangles`
              : "—",
          ],
        ]}
      />
      {metrics.perView.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption>Per held-out view</caption>
            <thead>
              <tr>
                <th scope="col">Frame</th>
                <th scope="col">PSNR</th>
                <th scope="col">SSIM</th>
              </tr>
            </thead>
            <tbody>
              {metrics.perView.map((view) => (
                <tr key={view.frame}>
                  <th scope="row">{view.frame}</th>
                  <td>{formatPsnr(view.psnr)}</td>
                  <td>{formatSsim(view.ssim)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
