import {
  Framework,
  ModelOrder,
  ModelType,
  type ModelFilter,
  type ModelRegistryQueryVariables,
} from "../gql/graphql";
import { parseTags } from "../ui/format";

/** The registry's filters as they live in the URL, so a filtered view can be bookmarked and shared. */
export interface RegistryFilters {
  search: string;
  framework: Framework | "";
  modelType: ModelType | "";
  tag: string;
  owner: string;
  productionReady: boolean;
  order: ModelOrder | "";
}

const frameworks = new Set<string>(Object.values(Framework));
const modelTypes = new Set<string>(Object.values(ModelType));
const orders = new Set<string>(Object.values(ModelOrder));

export function filtersFromParams(params: URLSearchParams): RegistryFilters {
  const pick = <T extends string>(name: string, allowed: Set<string>) => {
    const value = params.get(name) ?? "";
    return (allowed.has(value) ? value : "") as T | "";
  };
  return {
    search: params.get("q") ?? "",
    framework: pick<Framework>("framework", frameworks),
    modelType: pick<ModelType>("type", modelTypes),
    tag: params.get("tag") ?? "",
    owner: params.get("owner") ?? "",
    productionReady: params.get("ready") === "1",
    order: pick<ModelOrder>("order", orders),
  };
}

export function paramsFromFilters(filters: RegistryFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.search.trim()) params.set("q", filters.search.trim());
  if (filters.framework) params.set("framework", filters.framework);
  if (filters.modelType) params.set("type", filters.modelType);
  if (filters.tag.trim()) params.set("tag", filters.tag.trim());
  if (filters.owner.trim()) params.set("owner", filters.owner.trim());
  if (filters.productionReady) params.set("ready", "1");
  if (filters.order) params.set("order", filters.order);
  return params;
}

export function hasAnyFilter(filters: RegistryFilters): boolean {
  return paramsFromFilters({ ...filters, order: "" }).toString() !== "";
}

export function registryVariables(
  filters: RegistryFilters,
  first: number,
  after: string | null,
): ModelRegistryQueryVariables {
  const filter: ModelFilter = {};
  if (filters.framework) filter.framework = [filters.framework];
  if (filters.modelType) filter.modelType = [filters.modelType];
  const tags = parseTags(filters.tag);
  if (tags.length > 0) filter.tags = tags;
  if (filters.owner.trim()) filter.owner = filters.owner.trim();
  if (filters.productionReady) filter.isProductionReady = true;
  return {
    search: filters.search.trim() || null,
    filter,
    first,
    after,
    orderBy: filters.order || null,
  };
}
