/** Links into /models, apart from the routes so that pages can link without importing them. */
export function modelPath(owner: string, slug: string): string {
  return `/models/${encodeURIComponent(owner)}/${encodeURIComponent(slug)}`;
}

export function versionPath(owner: string, slug: string, version: string): string {
  return `${modelPath(owner, slug)}/versions/${encodeURIComponent(version)}`;
}
