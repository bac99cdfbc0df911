import { useEffect, useId, useState } from "react";
import { Framework, ModelOrder, ModelType } from "../gql/graphql";
import { formatEnum } from "../ui/format";
import type { RegistryFilters } from "./registry-filters";

const TYPING_PAUSE_MS = 300;

const orderLabels: Record<ModelOrder, string> = {
  [ModelOrder.UpdatedDesc]: "Recently updated",
  [ModelOrder.CreatedDesc]: "Newest first",
  [ModelOrder.CreatedAsc]: "Oldest first",
  [ModelOrder.NameAsc]: "Name A–Z",
  [ModelOrder.NameDesc]: "Name Z–A",
  [ModelOrder.Relevance]: "Best match",
};

/** Selects apply at once; typed text applies after a pause in typing (or on Enter). */
export function RegistryFiltersForm({
  filters,
  onChange,
}: {
  filters: RegistryFilters;
  onChange(filters: RegistryFilters): void;
}) {
  const id = useId();
  const inUrl = { search: filters.search, tag: filters.tag, owner: filters.owner };
  const [text, setText] = useState(inUrl);
  // When the URL changes from elsewhere (Clear filters, Back), the boxes show what it now says.
  const [seenInUrl, setSeenInUrl] = useState(inUrl);
  if (JSON.stringify(seenInUrl) !== JSON.stringify(inUrl)) {
    setSeenInUrl(inUrl);
    setText(inUrl);
  }
  const textChanged =
    text.search !== filters.search || text.tag !== filters.tag || text.owner !== filters.owner;

  useEffect(() => {
    if (!textChanged) return;
    const timer = setTimeout(() => onChange({ ...filters, ...text }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, textChanged, filters, onChange]);

  const set = <K extends keyof RegistryFilters>(key: K, value: RegistryFilters[K]) =>
    onChange({ ...filters, ...text, [key]: value });

  return (
    <form
      role="search"
      aria-label="Filter models"
      className="filters"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...filters, ...text });
      }}
    >
      <div className="field field-wide">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Name, tags, algorithm, description"
          value={text.search}
          onChange={(event) => setText({ ...text, search: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          value={filters.modelType}
          onChange={(event) => set("modelType", event.target.value as RegistryFilters["modelType"])}
        >
          <option value="">Any type</option>
          {Object.values(ModelType).map((type) => (
            <option key={type} value={type}>
              {formatEnum(type)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-framework`}>Framework</label>
        <select
          id={`${id}-framework`}
          value={filters.framework}
          onChange={(event) => set("framework", event.target.value as RegistryFilters["framework"])}
        >
          <option value="">Any framework</option>
          {Object.values(Framework).map((framework) => (
            <option key={framework} value={framework}>
              {formatEnum(framework)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-tag`}>Tags</label>
        <input
          id={`${id}-tag`}
          placeholder="vision, onnx"
          value={text.tag}
          onChange={(event) => setText({ ...text, tag: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-owner`}>Owner</label>
        <input
          id={`${id}-owner`}
          placeholder="handle"
          value={text.owner}
          onChange={(event) => setText({ ...text, owner: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-order`}>Order</label>
        <select
          id={`${id}-order`}
          value={filters.order}
          onChange={(event) => set("order", event.target.value as RegistryFilters["order"])}
        >
          <option value="">Default</option>
          {Object.values(ModelOrder).map((order) => (
            <option key={order} value={order}>
              {orderLabels[order]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-checkbox">
        <input
          id={`${id}-ready`}
          type="checkbox"
          checked={filters.productionReady}
          onChange={(event) => set("productionReady", event.target.checked)}
        />
        <label htmlFor={`${id}-ready`}>Production-ready only</label>
      </div>
    </form>
  );
}
