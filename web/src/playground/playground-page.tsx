import { useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { PlaygroundDeploymentsDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { detectionSettingsOf, initialDetectionSettings } from "./detection-settings";
import { ImageInputPanel } from "./image-input-panel";
import { ModelPicker } from "./model-picker";
import {
  actionLabels,
  chosenDeployment,
  isSettling,
  operationOf,
  topKBounds,
  topKOf,
  unavailableReason,
} from "./playground-deployments";
import type { PlaygroundImage } from "./playground-run";
import { ResultPanel } from "./result-panel";
import { usePlaygroundRun } from "./use-playground-run";

const SETTLING_POLL_MS = 2000;

/**
 * Pick a deployment, send an image, see the answer drawn for its task. The chosen version lives in
 * the URL (`?version=…`), so other pages can link straight to a model's try.
 */
export default function PlaygroundPage() {
  useDocumentTitle("Playground");
  const [params, setParams] = useSearchParams();
  const { data, loading, error, startPolling, stopPolling } = useQuery(PlaygroundDeploymentsDocument, {
    fetchPolicy: "cache-and-network",
  });
  const deployments = data?.deployments ?? [];
  const settling = isSettling(deployments);
  useEffect(() => {
    if (!settling) return;
    startPolling(SETTLING_POLL_MS);
    return () => stopPolling();
  }, [settling, startPolling, stopPolling]);

  const { state, run, reset } = usePlaygroundRun();
  const [image, setImage] = useState<PlaygroundImage | null>(null);
  // What was typed into "Labels to show", for the version it was typed for; another version starts
  // again from its own default.
  const [typedTopK, setTypedTopK] = useState<{ versionId: string; value: string } | null>(null);
  const [bypassCache, setBypassCache] = useState(false);
  const [detectionSettings, setDetectionSettings] = useState(initialDetectionSettings);
  // Each dropped file gets a local URL for its preview; the previous one is released with it.
  useEffect(() => {
    const url = image?.kind === "upload" ? image.previewUrl : null;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [image]);

  const chosen = chosenDeployment(deployments, params.get("version"));
  const operation = chosen ? operationOf(chosen.config.task) : null;
  const ready = chosen !== undefined && operation !== null && unavailableReason(chosen) === null;
  const labelCount = chosen?.modelVersion.labels.length ?? 0;
  const topK =
    chosen && typedTopK?.versionId === chosen.modelVersion.id
      ? typedTopK.value
      : String(topKBounds(labelCount).initial);

  const send = (next: PlaygroundImage) => {
    setImage(next);
    if (!ready) return;
    void run({
      operation,
      modelVersionId: chosen.modelVersion.id,
      image: next,
      topK: topKOf(topK, labelCount),
      bypassCache,
      detection: detectionSettingsOf(detectionSettings),
    });
  };
  const choose = (versionId: string) => {
    reset();
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set("version", versionId);
        return next;
      },
      { replace: true },
    );
  };
  const runError = state.phase === "failed" ? { error: state.error, image: state.request.image } : null;

  return (
    <>
      <PageHeader title="Playground" />
      <p className="lead">
        Send an image to a deployed model and see its answer: the top labels of a classifier (with each
        member&apos;s answer for an ensemble), the depth map of a depth model with its colour scale, a
        segmentation mask over the image with the area of each class, or a detector&apos;s boxes.
      </p>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <Skeleton lines={6} label="Loading deployments" />
      ) : !data ? null : !chosen ? (
        <EmptyState
          title="No deployed models"
          action={
            <Link className="button primary" to="/models">
              Open the model registry
            </Link>
          }
        >
          Deploy a version from its page in Models; classification, depth, segmentation and detection models
          can then be tried here.
        </EmptyState>
      ) : (
        <div className="playground-layout">
          <div>
            <ModelPicker
              deployments={deployments}
              chosen={chosen}
              onChoose={choose}
              topK={topK}
              onTopKChange={(value) => setTypedTopK({ versionId: chosen.modelVersion.id, value })}
              bypassCache={bypassCache}
              onBypassCacheChange={setBypassCache}
              detectionSettings={detectionSettings}
              onDetectionSettingsChange={setDetectionSettings}
              runError={runError?.error}
            />
            <ImageInputPanel
              image={image}
              action={ready ? actionLabels[operation] : null}
              running={state.phase === "running"}
              runError={runError}
              onFile={(file) => send({ kind: "upload", file, previewUrl: URL.createObjectURL(file) })}
              onSample={(sample) => send({ kind: "sample", sample })}
              onRunAgain={() => image && send(image)}
            />
          </div>
          <ResultPanel state={state} operation={operation} version={chosen.modelVersion} />
        </div>
      )}
    </>
  );
}
