import { useId } from "react";
import type { PredictionFilterParams } from "./prediction-filters";

export interface PredictionFiltersFormProps {
  filters: PredictionFilterParams;
  /** The version's labels, to narrow the log to one. */
  labels: readonly string[];
  onChange(filters: PredictionFilterParams): void;
}

/** Each choice applies at once (the URL follows), so there is nothing to submit. */
export function PredictionFiltersForm({ filters, labels, onChange }: PredictionFiltersFormProps) {
  const id = useId();
  const set = (patch: Partial<PredictionFilterParams>) => onChange({ ...filters, ...patch });
  const any = Object.values(filters).some(Boolean);
  return (
    <form className="filters" aria-label="Filter predictions" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-feedback`}>Feedback</label>
        <select
          id={`${id}-feedback`}
          value={filters.feedback}
          onChange={(event) => set({ feedback: event.target.value as PredictionFilterParams["feedback"] })}
        >
          <option value="">With or without</option>
          <option value="with">With feedback</option>
          <option value="without">Without feedback</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-verdict`}>Verdict</label>
        <select
          id={`${id}-verdict`}
          value={filters.verdict}
          onChange={(event) => set({ verdict: event.target.value as PredictionFilterParams["verdict"] })}
        >
          <option value="">Correct or wrong</option>
          <option value="correct">Marked correct</option>
          <option value="wrong">Marked wrong</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-label`}>Top label</label>
        <select
          id={`${id}-label`}
          value={filters.label}
          onChange={(event) => set({ label: event.target.value })}
        >
          <option value="">Any label</option>
          {labels.map((label) => (
            <option key={label} value={label}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-since`}>Since</label>
        <input
          id={`${id}-since`}
          type="date"
          value={filters.since}
          onChange={(event) => set({ since: event.target.value })}
        />
      </div>
      {any && (
        <div className="button-row">
          <button type="button" onClick={() => onChange({ feedback: "", verdict: "", label: "", since: "" })}>
            Clear filters
          </button>
        </div>
      )}
    </form>
  );
}
