import { useId, useState } from "react";

/**
 * A new token's secret, shown the one time the server sends it: selected on focus, with a Copy
 * button and the warning that it cannot be shown again.
 */
export function OneTimeSecret({
  label,
  secret,
  warning,
}: {
  label: string;
  secret: string;
  warning: string;
}) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret" role="status">
      <label htmlFor={id}>{label}</label>
      <p className="notice secret-warning">{warning}</p>
      <div className="secret-row">
        <input id={id} readOnly value={secret} onFocus={(event) => event.target.select()} />
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
