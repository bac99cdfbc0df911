import { Link } from "react-router";
import { useDocumentTitle } from "../layout/use-document-title";
import { PageHeader } from "../ui/page-header";
import { BatchList } from "./batch-list";
import { newBatchPath } from "./labeling-paths";

/** Active learning's front page: what it does, the way to a new batch, and your batches. */
export default function LabelingPage() {
  useDocumentTitle("Labelling");
  return (
    <>
      <PageHeader
        title="Labelling"
        actions={
          <Link className="button primary" to={newBatchPath()}>
            New batch
          </Link>
        }
      />
      <p className="lead">
        A model picks the images it is least sure about from a pool (a dataset version&apos;s unlabeled
        samples, or the images it was asked about); you label them from the keyboard, and the labels make a
        new dataset version to train on.
      </p>
      <BatchList />
    </>
  );
}
