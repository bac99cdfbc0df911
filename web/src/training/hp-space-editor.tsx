import { useId } from "react";
import { Optimizer, SearchStrategy } from "../gql/graphql";
import type { FieldMessages } from "./field-messages";
import { defaultHpSpace, kindsFor, newHpRow, renameHpRow, type HpRowKind, type HpSpaceRow } from "./hp-space";
import { FieldError } from "./option-fields";
import { searchParameters, type SearchParameter } from "./parameter-rules";

export interface HpSpaceEditorProps {
  rows: HpSpaceRow[];
  strategy: SearchStrategy;
  onChange(rows: HpSpaceRow[]): void;
  onTouched(): void;
  messages: FieldMessages;
}

const parameterLabels: Record<SearchParameter, string> = {
  learningRate: "Learning rate",
  batchSize: "Batch size",
  dropout: "Dropout",
  trainableLayersCount: "Hidden layers",
  hiddenUnits: "Hidden units",
  weightDecay: "Weight decay",
  momentum: "Momentum",
  optimizer: "Optimizer",
};

const kindLabels: Record<HpRowKind, string> = {
  range: "Range",
  values: "List",
  choices: "Choices",
};

/** The search space, one row per hyperparameter: a range, a list of values, or optimizer choices. */
export function HpSpaceEditor({ rows, strategy, onChange, onTouched, messages }: HpSpaceEditorProps) {
  const id = useId();
  const setRow = (index: number, row: HpSpaceRow) =>
    onChange(rows.map((old, at) => (at === index ? row : old)));
  const used = new Set(rows.map((row) => row.name));
  const unused = searchParameters.filter((name) => !used.has(name));
  const nextId = rows.reduce((max, row) => Math.max(max, row.id), 0) + 1;

  return (
    <div className="hp-space" role="group" aria-label="Search space">
      <FieldError id={`${id}-error`} message={messages.hpSpace} />
      <ol className="hp-space-rows">
        {rows.map((row, index) => (
          <li key={row.id}>
            <HpRowEditor
              row={row}
              index={index}
              strategy={strategy}
              message={messages[`hpSpace[${index}].name`] ?? messages[`hpSpace[${index}]`]}
              onChange={(next) => setRow(index, next)}
              onRemove={() => onChange(rows.filter((_, at) => at !== index))}
              onTouched={onTouched}
            />
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button
          type="button"
          disabled={unused.length === 0}
          onClick={() => onChange([...rows, newHpRow(nextId, unused[0] ?? "")])}
        >
          Add a parameter
        </button>
        <button type="button" onClick={() => onChange(defaultHpSpace())}>
          Reset to the default space
        </button>
      </div>
    </div>
  );
}

interface HpRowEditorProps {
  row: HpSpaceRow;
  index: number;
  strategy: SearchStrategy;
  message: FieldMessages[string] | undefined;
  onChange(row: HpSpaceRow): void;
  onRemove(): void;
  onTouched(): void;
}

function HpRowEditor({ row, index, strategy, message, onChange, onRemove, onTouched }: HpRowEditorProps) {
  const id = useId();
  const name = row.name ? parameterLabels[row.name] : `parameter ${index + 1}`;
  const errorId = `${id}-error`;
  const invalid = message ? true : undefined;
  const describedBy = message ? errorId : undefined;
  const set = (patch: Partial<HpSpaceRow>) => onChange({ ...row, ...patch });
  const kinds = kindsFor(row.name);

  return (
    <fieldset className="hp-row" onBlur={onTouched}>
      <legend className="visually-hidden">Search dimension {index + 1}</legend>
      <div className="field">
        <label htmlFor={`${id}-name`}>Parameter</label>
        <select
          id={`${id}-name`}
          name={`hpSpace[${index}].name`}
          value={row.name}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(event) => onChange(renameHpRow(row, event.target.value as SearchParameter | ""))}
        >
          <option value="">Choose…</option>
          {searchParameters.map((parameter) => (
            <option key={parameter} value={parameter}>
              {parameterLabels[parameter]}
            </option>
          ))}
        </select>
      </div>
      {kinds.length > 1 && (
        <div className="field">
          <label htmlFor={`${id}-kind`}>Searched over</label>
          <select
            id={`${id}-kind`}
            value={row.kind}
            onChange={(event) => set({ kind: event.target.value as HpRowKind })}
          >
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabels[kind]}
              </option>
            ))}
          </select>
        </div>
      )}
      {row.kind === "range" && (
        <>
          <div className="field">
            <label htmlFor={`${id}-min`}>Min</label>
            <input
              id={`${id}-min`}
              inputMode="decimal"
              value={row.min}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(event) => set({ min: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-max`}>Max</label>
            <input
              id={`${id}-max`}
              inputMode="decimal"
              value={row.max}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(event) => set({ max: event.target.value })}
            />
          </div>
          {strategy === SearchStrategy.Grid && (
            <div className="field">
              <label htmlFor={`${id}-steps`}>Grid steps</label>
              <input
                id={`${id}-steps`}
                inputMode="numeric"
                placeholder="3"
                value={row.steps}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(event) => set({ steps: event.target.value })}
              />
            </div>
          )}
          <div className="field field-checkbox">
            <input
              id={`${id}-log`}
              type="checkbox"
              checked={row.logScale}
              onChange={(event) => set({ logScale: event.target.checked })}
            />
            <label htmlFor={`${id}-log`}>Log scale</label>
          </div>
        </>
      )}
      {row.kind === "values" && (
        <div className="field field-wide">
          <label htmlFor={`${id}-values`}>Values</label>
          <input
            id={`${id}-values`}
            placeholder="64, 128, 256"
            value={row.values}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(event) => set({ values: event.target.value })}
          />
        </div>
      )}
      {row.kind === "choices" && (
        <fieldset className="choices" aria-describedby={describedBy}>
          <legend>Optimizers to try</legend>
          {Object.values(Optimizer).map((optimizer) => (
            <span key={optimizer} className="field-checkbox">
              <input
                id={`${id}-${optimizer}`}
                type="checkbox"
                checked={row.choices.includes(optimizer)}
                onChange={(event) =>
                  set({
                    choices: event.target.checked
                      ? [...row.choices, optimizer]
                      : row.choices.filter((choice) => choice !== optimizer),
                  })
                }
              />
              <label htmlFor={`${id}-${optimizer}`}>{optimizer === Optimizer.Adam ? "Adam" : "SGD"}</label>
            </span>
          ))}
        </fieldset>
      )}
      <button
        type="button"
        className="hp-row-remove"
        aria-label={`Remove ${name} from the search`}
        onClick={onRemove}
      >
        Remove
      </button>
      <FieldError id={errorId} message={message} />
    </fieldset>
  );
}
