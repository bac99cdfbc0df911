import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { ErrorMessage } from "../ui/error-message";
import type { VersionEditor } from "./use-version-edit";
import { defaultEditMessage, editQuestion, type VersionEdit } from "./version-edits";

export interface EditFormProps {
  edit: VersionEdit;
  editor: VersionEditor;
  onCancel(): void;
}

/**
 * The last step of every edit: what will change, and the button that makes the new version. Focus lands on that button, so Enter creates the version and Escape
 * goes back; the gateway's refusal shows here.
 */
export function EditForm({ edit, editor, onCancel }: EditFormProps) {
  const id = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  const saving = editor.state.phase === "saving";
  const [message, setMessage] = useState(() => defaultEditMessage(edit));

  useEffect(() => confirm.current?.focus(), []);

  const cancel = () => {
    editor.reset();
    onCancel();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    cancel();
  };

  return (
    <form
      className="edit-form panel"
      aria-labelledby={`${id}-question`}
      aria-describedby={`${id}-message`}
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        if (!saving) void editor.run(edit, message);
      }}
    >
      <p id={`${id}-question`} className="edit-question">
        {editQuestion(edit)}
      </p>
      <p id={`${id}-message`} className="muted">
        The version you are on stays as it is: the change makes a new version.
      </p>
      <label className="edit-message">
        Message of the new version
        <input
          type="text"
          value={message}
          maxLength={500}
          onChange={(event) => setMessage(event.target.value)}
          disabled={saving}
        />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" ref={confirm} disabled={saving}>
          {saving ? "Creating the version…" : "Create the new version"}
        </button>
        <button type="button" onClick={cancel} disabled={saving}>
          Cancel
        </button>
      </div>
      {editor.state.phase === "failed" && <ErrorMessage error={editor.state.error} />}
    </form>
  );
}
