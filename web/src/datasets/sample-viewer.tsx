import { useEffect, useId, useRef, type KeyboardEvent } from "react";
import { formatNumber } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import { classNameOf, type SampleTile } from "./sample-catalog";
import { SimilarToSample } from "./similar-samples";
import { useCatalogSnapshot } from "./use-sample-catalog";
import { useSampleParam } from "./use-sample-param";
import { useVersion } from "./version-context";

/**
 * The sample named by `?sample=` in a modal dialog, over whichever tab opened it: the image, what
 * the version says about it, and the images most like it. The left and right arrow keys step to
 * the previous and next sample; Escape or Close go back.
 */
export function SampleViewer() {
  const { sampleId, open, close } = useSampleParam();
  const { catalog, remembered, version } = useVersion();
  const snapshot = useCatalogSnapshot(catalog);
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  const index = sampleId ? snapshot.samples.findIndex((sample) => sample.sampleId === sampleId) : -1;
  const sample: SampleTile | undefined =
    snapshot.samples[index] ?? (sampleId ? remembered.get(sampleId) : undefined);
  const searching = Boolean(sampleId) && !sample && !snapshot.complete && snapshot.error === null;

  useEffect(() => {
    if (searching) catalog.loadAll();
  }, [searching, catalog]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (sampleId && !element.open) {
      element.showModal();
      closeButton.current?.focus();
    }
    if (!sampleId && element.open) element.close();
  }, [sampleId]);

  const previous = index > 0 ? snapshot.samples[index - 1] : undefined;
  const next = index >= 0 ? snapshot.samples[index + 1] : undefined;

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    // Arrows keep their meaning in a form field, and with a modifier (e.g. Alt+Left goes back).
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if ((event.target as Element).closest("input, select, textarea")) return;
    if (event.key === "Escape") {
      // Closed through the URL like the Close button, rather than by the dialog's own cancel.
      event.preventDefault();
      close();
      return;
    }
    const target = event.key === "ArrowLeft" ? previous : event.key === "ArrowRight" ? next : undefined;
    if (!target) return;
    event.preventDefault();
    open(target.sampleId);
  };

  return (
    <dialog
      ref={dialog}
      className="sample-viewer"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onClose={() => sampleId && close()}
    >
      <div className="sample-viewer-header">
        <h2 id={titleId}>{sample ? sample.originalPath : "Sample"}</h2>
        <div className="button-row">
          {index >= 0 && (
            <>
              <button
                type="button"
                disabled={!previous}
                aria-keyshortcuts="ArrowLeft"
                onClick={() => previous && open(previous.sampleId)}
              >
                Previous
              </button>
              <button
                type="button"
                disabled={!next}
                aria-keyshortcuts="ArrowRight"
                onClick={() => next && open(next.sampleId)}
              >
                Next
              </button>
            </>
          )}
          <button type="button" ref={closeButton} aria-keyshortcuts="Escape" onClick={close}>
            Close
          </button>
        </div>
      </div>
      {sampleId &&
        (sample ? (
          <SampleBody key={sample.sampleId} sample={sample} fromSearch={index < 0} />
        ) : searching ? (
          <Skeleton lines={6} label="Finding the sample" />
        ) : (
          <p className="error-message" role="alert">
            <span className="error-code">NOT_FOUND</span> Sample {sampleId} is not in v{version.number} of
            this dataset.
          </p>
        ))}
    </dialog>
  );
}

function SampleBody({ sample, fromSearch }: { sample: SampleTile; fromSearch: boolean }) {
  return (
    <>
      <div className="sample-viewer-body">
        <a href={sample.imageUrl} target="_blank" rel="noreferrer" className="sample-viewer-image">
          <img src={sample.imageUrl} alt={`${sample.originalPath}, class ${classNameOf(sample)}`} />
        </a>
        <dl className="facts">
          <dt>Class</dt>
          <dd>{classNameOf(sample)}</dd>
          <dt>Split</dt>
          <dd>{sample.split ?? "—"}</dd>
          <dt>Size</dt>
          <dd>
            {formatNumber(sample.width)} × {formatNumber(sample.height)} px
          </dd>
          <dt>Format</dt>
          <dd>{sample.format.toUpperCase()}</dd>
          {fromSearch && (
            <>
              <dt>Found by</dt>
              <dd>A search: class and split as the latest version holding the image has them</dd>
            </>
          )}
        </dl>
      </div>
      <SimilarToSample sample={sample} />
    </>
  );
}
