/** Links to a model version's prediction log, apart from the routes so that pages can link without importing them. */
export const predictionsRoot = "/predictions";

export function predictionsPath(owner: string, slug: string, version: string): string {
  const parts = [owner, slug, version].map(encodeURIComponent);
  return `${predictionsRoot}/${parts.join("/")}`;
}
