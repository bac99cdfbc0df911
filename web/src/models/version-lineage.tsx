import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link } from "react-router";
import { versionPath as datasetVersionPath } from "../datasets/datasets-routes";
import { ModelVersionLineageDocument } from "../gql/graphql";
import { trainingJobPath } from "../training/training-paths";
import { ErrorMessage } from "../ui/error-message";
import { versionPath } from "./model-paths";

/**
 * Where a trained version came from: its training job, the dataset version and the base model
 * version, and the hyperparameters it was trained with. Uploaded versions have none, and show nothing.
 */
export function VersionLineage({ versionId }: { versionId: string }) {
  const id = useId();
  const { data, error } = useQuery(ModelVersionLineageDocument, { variables: { id: versionId } });
  const version = data?.modelVersion;
  if (error) return <ErrorMessage error={error} />;
  if (!version || (!version.trainingJob && !version.trainedOn && !version.trainedFrom)) return null;
  const { trainingJob: job, trainedOn: dataset, trainedFrom: base } = version;
  const hyperparameters = Object.entries((version.hyperparameters ?? {}) as Record<string, unknown>);

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Lineage</h2>
      <dl className="facts">
        {job && (
          <div className="fact">
            <dt>Training job</dt>
            <dd>
              <Link to={trainingJobPath(job.id)}>Open the training job</Link>
            </dd>
          </div>
        )}
        {dataset && (
          <div className="fact">
            <dt>Trained on</dt>
            <dd>
              <Link to={datasetVersionPath(dataset.dataset.id, dataset.number)}>
                {dataset.dataset.name} · version {dataset.number}
              </Link>
            </dd>
          </div>
        )}
        {base && (
          <div className="fact">
            <dt>Base model</dt>
            <dd>
              <Link to={versionPath(base.model.owner.handle, base.model.slug, base.version)}>
                {base.model.owner.handle}/{base.model.slug} {base.version}
              </Link>
            </dd>
          </div>
        )}
        {hyperparameters.length > 0 && (
          <div className="fact">
            <dt>Hyperparameters</dt>
            <dd>
              <details>
                <summary>{hyperparameters.length} values</summary>
                <ul className="chips">
                  {hyperparameters.map(([name, value]) => (
                    <li key={name} className="chip">
                      {name} = {typeof value === "object" ? JSON.stringify(value) : String(value)}
                    </li>
                  ))}
                </ul>
              </details>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
