import { Link } from "react-router";
import type { ModelRegistryQuery } from "../gql/graphql";
import { formatDateTime, formatEnum } from "../ui/format";
import { TagChips } from "../ui/tag-chips";
import { DeploymentBadge } from "./deployment-badge";
import { modelPath, versionPath } from "./model-paths";

type RegistryModel = ModelRegistryQuery["models"]["edges"][number]["node"];

export function RegistryTable({ models }: { models: RegistryModel[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Models in the registry</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Type</th>
            <th scope="col">Framework</th>
            <th scope="col">Tags</th>
            <th scope="col">Aliases</th>
            <th scope="col">Latest version</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.id}>
              <th scope="row">
                <Link to={modelPath(model.owner.handle, model.slug)}>{model.name}</Link>
                <div className="muted">
                  {model.owner.handle}/{model.slug}
                  {model.isPublic && <span className="badge badge-neutral">public</span>}
                </div>
              </th>
              <td>{formatEnum(model.modelType)}</td>
              <td>{formatEnum(model.framework)}</td>
              <td>
                <TagChips tags={model.tags} />
              </td>
              <td>
                <ul className="chips">
                  {model.aliases.map((alias) => (
                    <li key={alias.alias} className="chip chip-alias">
                      {alias.alias} → {alias.version.version}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {model.latestVersion ? (
                  <>
                    <Link to={versionPath(model.owner.handle, model.slug, model.latestVersion.version)}>
                      {model.latestVersion.version}
                    </Link>{" "}
                    <DeploymentBadge deployment={model.latestVersion.deployment} />
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td>{formatDateTime(model.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
