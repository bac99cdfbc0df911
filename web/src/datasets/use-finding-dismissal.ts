import { useMutation } from "@apollo/client/react";
import type { ApolloCache } from "@apollo/client";
import {
  DismissQualityFindingDocument,
  RestoreQualityFindingDocument,
  VersionQualityDocument,
  type QualityFindingKind,
  type QualityReportDetailFragment,
  type VersionQualityQuery,
} from "../gql/graphql";

/**
 * Dismissing or restoring a finding answers with the whole report (a dismissed finding deducts
 * nothing, so the score moves): it replaces the report the quality tab shows.
 */
export function useFindingDismissal(versionId: string, baseModelVersionId: string | null) {
  const store = (cache: ApolloCache, report: QualityReportDetailFragment | undefined) => {
    if (!report) return;
    cache.writeQuery({
      query: VersionQualityDocument,
      variables: { id: versionId, baseModelVersionId },
      // The cache needs the type name to file the version under its id; the generated types leave it out.
      data: {
        datasetVersion: { __typename: "DatasetVersion", id: versionId, quality: report },
      } as VersionQualityQuery,
    });
  };
  const [dismiss, dismissing] = useMutation(DismissQualityFindingDocument, {
    update: (cache, { data }) => store(cache, data?.dismissQualityFinding),
  });
  const [restore, restoring] = useMutation(RestoreQualityFindingDocument, {
    update: (cache, { data }) => store(cache, data?.restoreQualityFinding),
  });
  return {
    dismiss: (kind: QualityFindingKind, reason: string) =>
      dismiss({ variables: { versionId, kind, reason: reason.trim() || null, baseModelVersionId } }),
    restore: (kind: QualityFindingKind) => restore({ variables: { versionId, kind, baseModelVersionId } }),
    busy: dismissing.loading || restoring.loading,
    error: dismissing.error ?? restoring.error,
  };
}
