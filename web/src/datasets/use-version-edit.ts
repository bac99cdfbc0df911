import { useApolloClient } from "@apollo/client/react";
import { useCallback, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import {
  DatasetDetailDocument,
  DeleteSamplesDocument,
  MergeClassesDocument,
  RelabelSamplesDocument,
  RenameClassDocument,
  type EditedVersionFragment,
} from "../gql/graphql";
import { versionPath } from "./dataset-paths";
import { createdNotice, type VersionEdit } from "./version-edits";

/** What the version page shows once it lands on a version an edit made (read from the history entry). */
export interface EditNoticeState {
  editNotice: string;
}

export type EditState = { phase: "idle" } | { phase: "saving" } | { phase: "failed"; error: unknown };

export interface VersionEditor {
  state: EditState;
  /** Makes the new version and moves the page to it; false (with `state.error`) when the gateway refused. */
  run(edit: VersionEdit, message?: string): Promise<boolean>;
  reset(): void;
}

/**
 * Runs an edit of `versionId` through the gateway's edit mutations, then opens the version it
 * made on the same tab, saying what happened. The dataset's version list is fetched again first:
 * the page finds versions by number in it. Once the gateway made the version, the edit succeeded
 * even if that fetch fails (the page fetches the list again itself): reporting a failure would
 * invite a retry, and a retry would make a second version.
 */
export function useVersionEdit(datasetId: string, versionId: string): VersionEditor {
  const client = useApolloClient();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const [state, setState] = useState<EditState>({ phase: "idle" });

  const run = useCallback(
    async (edit: VersionEdit, message?: string) => {
      setState({ phase: "saving" });
      let created: EditedVersionFragment;
      try {
        created = await mutate(client, versionId, edit, message?.trim() || null);
      } catch (error) {
        setState({ phase: "failed", error });
        return false;
      }
      await client
        .query({ query: DatasetDetailDocument, variables: { id: datasetId }, fetchPolicy: "network-only" })
        .catch(() => null);
      setState({ phase: "idle" });
      const notice: EditNoticeState = { editNotice: createdNotice(created.number, edit) };
      // Same tab and filters (class ids name the same class in every version).
      const target = versionPath(datasetId, created.number, currentTab(pathname));
      navigate(`${target}${search}`, { state: notice });
      return true;
    },
    [client, datasetId, versionId, navigate, pathname, search],
  );
  const reset = useCallback(() => setState({ phase: "idle" }), []);
  return { state, run, reset };
}

/** The tab of a version page (`quality`, `map`, …) from its path; "" for Samples. */
function currentTab(pathname: string): string {
  return /\/versions\/\d+\/([^/]+)/.exec(pathname)?.[1] ?? "";
}

type Client = ReturnType<typeof useApolloClient>;

async function mutate(
  client: Client,
  datasetVersionId: string,
  edit: VersionEdit,
  message: string | null,
): Promise<EditedVersionFragment> {
  const common = { datasetVersionId, message };
  switch (edit.kind) {
    case "relabel": {
      const { data } = await client.mutate({
        mutation: RelabelSamplesDocument,
        variables: { ...common, changes: edit.changes.map(({ sampleId, label }) => ({ sampleId, label })) },
      });
      return created(data?.relabelSamples);
    }
    case "delete": {
      const { data } = await client.mutate({
        mutation: DeleteSamplesDocument,
        variables: { ...common, sampleIds: [...edit.sampleIds] },
      });
      return created(data?.deleteSamples);
    }
    case "merge": {
      const { data } = await client.mutate({
        mutation: MergeClassesDocument,
        variables: { ...common, classes: [...edit.classes], into: edit.into },
      });
      return created(data?.mergeClasses);
    }
    case "rename": {
      const { data } = await client.mutate({
        mutation: RenameClassDocument,
        variables: { ...common, from: edit.from, to: edit.to },
      });
      return created(data?.renameClass);
    }
  }
}

function created(version: EditedVersionFragment | undefined): EditedVersionFragment {
  if (!version) throw new Error("The gateway answered without the new version");
  return version;
}
