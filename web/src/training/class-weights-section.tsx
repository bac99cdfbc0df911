import { useId } from "react";
import { ClassWeighting } from "../gql/graphql";
import type { FormSectionProps } from "./form-section";
import { FieldError, SelectField } from "./option-fields";

export interface ClassWeightsSectionProps extends FormSectionProps {
  /** The chosen dataset version's classes; null until one is chosen. */
  classes: readonly string[] | null;
}

/** BALANCED or none, plus explicit weights for chosen classes (the rest weigh 1, or their balanced weight). */
export function ClassWeightsSection({ classes, ...section }: ClassWeightsSectionProps) {
  const { form, onChange, messages } = section;
  const id = useId();
  const rows = form.classWeights;
  const nextId = rows.reduce((max, row) => Math.max(max, row.id), 0) + 1;
  const unused = (classes ?? []).filter((label) => !rows.some((row) => row.label === label));
  const setRow = (index: number, patch: Partial<(typeof rows)[number]>) =>
    onChange({ classWeights: rows.map((row, at) => (at === index ? { ...row, ...patch } : row)) });

  return (
    <fieldset className="form-section">
      <legend>Class weights</legend>
      <div className="form-grid form-grid-3">
        <SelectField
          name="classWeighting"
          label="Weighting"
          hint="None: every sample counts the same. Balanced: each class weighs samples ÷ (classes × class samples), so rare classes count as much."
          value={form.classWeighting}
          options={[
            { value: ClassWeighting.None, label: "None" },
            { value: ClassWeighting.Balanced, label: "Balanced" },
          ]}
          message={messages.classWeighting}
          onChange={(classWeighting) => onChange({ classWeighting })}
        />
      </div>
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table editor-table">
            <caption className="visually-hidden">Explicit class weights</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Weight</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const field = `classWeights[${index}]`;
                const rowId = `${id}-${row.id}`;
                return (
                  <tr key={row.id}>
                    <td>
                      <select
                        aria-label={`Class of weight ${index + 1}`}
                        name={field}
                        value={row.label}
                        aria-invalid={messages[field] ? true : undefined}
                        aria-describedby={messages[field] ? `${rowId}-label-error` : undefined}
                        onChange={(event) => setRow(index, { label: event.target.value })}
                      >
                        <option value="">Choose a class</option>
                        {row.label && !(classes ?? []).includes(row.label) && (
                          <option value={row.label}>{row.label}</option>
                        )}
                        {(classes ?? []).map((label) => (
                          <option key={label} value={label}>
                            {label}
                          </option>
                        ))}
                      </select>
                      <FieldError id={`${rowId}-label-error`} message={messages[field]} />
                    </td>
                    <td>
                      <input
                        aria-label={`Weight of ${row.label || `class ${index + 1}`}`}
                        name={`${field}.weight`}
                        inputMode="decimal"
                        value={row.weight}
                        aria-invalid={messages[`${field}.weight`] ? true : undefined}
                        aria-describedby={messages[`${field}.weight`] ? `${rowId}-weight-error` : undefined}
                        onChange={(event) => setRow(index, { weight: event.target.value })}
                        onBlur={() => section.onTouched(`${field}.weight`)}
                      />
                      <FieldError id={`${rowId}-weight-error`} message={messages[`${field}.weight`]} />
                    </td>
                    <td className="actions">
                      <button
                        type="button"
                        aria-label={`Remove the weight of ${row.label || `class ${index + 1}`}`}
                        onClick={() => onChange({ classWeights: rows.filter((_, at) => at !== index) })}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="button-row">
        <button
          type="button"
          disabled={classes !== null && unused.length === 0}
          onClick={() =>
            onChange({ classWeights: [...rows, { id: nextId, label: unused[0] ?? "", weight: "1" }] })
          }
        >
          Add a class weight
        </button>
        {classes === null && <span className="muted">Choose a dataset version to list its classes.</span>}
      </div>
    </fieldset>
  );
}
