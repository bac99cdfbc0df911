/** Where the serving pages live; a model version's page links here. */
export const servingPath = "/serving";

/** The analytics of one version's deployment, when given. */
export function servingAnalyticsPath(versionId?: string): string {
  return versionId ? `${servingPath}?version=${encodeURIComponent(versionId)}` : servingPath;
}

export const newEnsemblePath = `${servingPath}/ensembles/new`;
export const newRemoteModelPath = `${servingPath}/remote/new`;
