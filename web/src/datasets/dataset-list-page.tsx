import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { DatasetListDocument, type DatasetListQuery } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatNumber } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Pager } from "../ui/pager";
import { TableSkeleton } from "../ui/skeleton";
import { TagChips } from "../ui/tag-chips";
import { datasetPath, versionPath } from "./dataset-paths";

const PAGE_SIZE = 25;
/** Typing pauses this long before the list is asked again. */
const SEARCH_DELAY_MS = 250;

type ListedDataset = DatasetListQuery["datasets"]["edges"][number]["node"];

export default function DatasetListPage() {
  useDocumentTitle("Datasets");
  const id = useId();
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const after = params.get("after");
  const [typed, setTyped] = useState(search);
  // The URL can change under the field (Back, a link): the field follows, unless it already says the same.
  const [shownSearch, setShownSearch] = useState(search);
  if (search !== shownSearch) {
    setShownSearch(search);
    if (search !== typed.trim()) setTyped(search);
  }
  // Cursors of the pages before this one; a new search starts again from the first page.
  const [previous, setPrevious] = useState<Array<string | null>>([]);

  useEffect(() => {
    if (typed.trim() === search) return;
    const timer = setTimeout(() => {
      setPrevious([]);
      setParams(typed.trim() ? { q: typed.trim() } : {}, { replace: true });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, search, setParams]);

  const { data, loading, error } = useQuery(DatasetListDocument, {
    variables: { search: search || null, first: PAGE_SIZE, after },
    fetchPolicy: "cache-and-network",
  });
  const datasets = data?.datasets;
  const edges = datasets?.edges ?? [];
  const goTo = (cursor: string | null) => {
    const next = new URLSearchParams(search ? { q: search } : {});
    if (cursor) next.set("after", cursor);
    setParams(next);
  };

  return (
    <>
      <PageHeader
        title="Datasets"
        actions={
          <Link className="button primary" to="/datasets/upload">
            Upload a dataset
          </Link>
        }
      />
      <div className="filters" role="search">
        <div className="field field-wide">
          <label htmlFor={`${id}-search`}>Search</label>
          <input
            id={`${id}-search`}
            type="search"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            aria-describedby={`${id}-search-hint`}
          />
          <p className="hint" id={`${id}-search-hint`}>
            Words of the name, description or tags; the start of a word is enough
          </p>
        </div>
      </div>
      <ErrorMessage error={error} />
      {loading && !datasets ? (
        <TableSkeleton columns={5} label="Loading datasets" />
      ) : edges.length === 0 ? (
        search ? (
          <EmptyState
            title={`No dataset matches “${search}”`}
            action={
              <button type="button" onClick={() => setTyped("")}>
                Clear the search
              </button>
            }
          />
        ) : (
          <EmptyState
            title="No datasets yet"
            action={
              <Link className="button primary" to="/datasets/upload">
                Upload the first dataset
              </Link>
            }
          >
            Upload a ZIP with one folder of images per class, or a CSV of paths and labels with its ZIP.
          </EmptyState>
        )
      ) : (
        <>
          <DatasetTable datasets={edges.map((edge) => edge.node)} />
          <Pager
            label="Pages of datasets"
            pageSize={PAGE_SIZE}
            shown={edges.length}
            connection={datasets}
            after={after}
            previous={previous}
            onPreviousChange={setPrevious}
            goTo={goTo}
          />
        </>
      )}
    </>
  );
}

function DatasetTable({ datasets }: { datasets: ListedDataset[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Datasets you can see</caption>
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col">Tags</th>
            <th scope="col">Latest version</th>
            <th scope="col">Images</th>
            <th scope="col">Classes</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((dataset) => (
            <tr key={dataset.id}>
              <th scope="row">
                <Link to={datasetPath(dataset.id)}>{dataset.name}</Link>
                <div className="muted">
                  {dataset.owner.handle}
                  {dataset.isPublic && <span className="badge badge-neutral">public</span>}
                </div>
                {dataset.description && (
                  <div className="muted dataset-description">{dataset.description}</div>
                )}
              </th>
              <td>
                <TagChips tags={dataset.tags} />
              </td>
              <td>
                {dataset.latestVersion ? (
                  <Link to={versionPath(dataset.id, dataset.latestVersion.number)}>
                    v{dataset.latestVersion.number}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td>{formatNumber(dataset.latestVersion?.imageCount)}</td>
              <td>{formatNumber(dataset.latestVersion?.classCount)}</td>
              <td>{formatDateTime(dataset.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
