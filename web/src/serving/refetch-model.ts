import { ModelDetailDocument } from "../gql/graphql";

interface CreatedVersion {
  model: { slug: string; owner: { handle: string } };
}

/**
 * What a mutation that adds a model version refetches: the model page's query for that model. It
 * is cache-first and its `versions` list would otherwise miss the new version until a reload; a
 * one-off fetch by variables also refreshes it when that page is not open.
 */
export function refetchModelOf(created: CreatedVersion | null | undefined) {
  if (!created) return [];
  const { model } = created;
  return [{ query: ModelDetailDocument, variables: { owner: model.owner.handle, slug: model.slug } }];
}
