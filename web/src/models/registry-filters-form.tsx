import { useEffect, useId, useState } from "react";
import { Framework, ModelOrder, ModelType } from "../gql/graphql";
import { CheckboxField } from "../ui/checkbox-field";
import { SelectField } from "../ui/select-field";
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
      <SelectField
        id={`${id}-type`}
        label="Type"
        value={filters.modelType}
        options={Object.values(ModelType)}
        emptyLabel="Any type"
        onChange={(value) => set("modelType", value)}
      />
      <SelectField
        id={`${id}-framework`}
        label="Framework"
        value={filters.framework}
        options={Object.values(Framework)}
        emptyLabel="Any framework"
        onChange={(value) => set("framework", value)}
      />
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
      <SelectField
        id={`${id}-order`}
        label="Order"
        value={filters.order}
        options={Object.values(ModelOrder)}
        emptyLabel="Default"
        optionLabel={(order) => orderLabels[order]}
        onChange={(value) => set("order", value)}
      />
      <CheckboxField
        id={`${id}-ready`}
        label="Production-ready only"
        checked={filters.productionReady}
        onChange={(checked) => set("productionReady", checked)}
      />
    </form>
  );
}
