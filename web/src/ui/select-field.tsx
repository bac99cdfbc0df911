import { formatEnum } from "./format";

/** A labelled choice of one of `options`, or none (the empty value, shown as `emptyLabel`). */
export function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  emptyLabel,
  optionLabel = formatEnum,
  onChange,
}: {
  id: string;
  label: string;
  value: T | "";
  options: readonly T[];
  emptyLabel: string;
  optionLabel?(option: T): string;
  onChange(value: T | ""): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as T | "")}>
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}
