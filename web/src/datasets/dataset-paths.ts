/** Where the dataset pages live; other sections link here without loading the datasets pages. */
export function datasetPath(datasetId: string): string {
  return `/datasets/${encodeURIComponent(datasetId)}`;
}

export function versionPath(datasetId: string, number: number, tab = ""): string {
  return `${datasetPath(datasetId)}/versions/${number}${tab ? `/${tab}` : ""}`;
}
