import { useId, useRef, useState, type DragEvent } from "react";
import { pickedFromDrop, pickedFromInput, type PickedFile } from "./picked-files";

export interface FileDropZoneProps {
  label: string;
  hint?: string;
  multiple?: boolean;
  /** Offer "Choose folder" too; dropped folders are always walked. */
  allowFolders?: boolean;
  accept?: string;
  disabled?: boolean;
  onFiles(files: PickedFile[]): void;
}

/**
 * Drag and drop with keyboard-reachable buttons that open the same picker: the zone itself is
 * not focusable, its buttons are.
 */
export function FileDropZone({
  label,
  hint,
  multiple,
  allowFolders,
  accept,
  disabled,
  onFiles,
}: FileDropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    void pickedFromDrop(event.dataTransfer).then((files) => files.length > 0 && onFiles(files));
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = disabled ? "none" : "copy";
    setDragging(true);
  };

  return (
    <div
      className={`drop-zone${dragging ? " drop-zone-active" : ""}${disabled ? " drop-zone-disabled" : ""}`}
      role="group"
      aria-label={label}
      aria-describedby={hint ? hintId : undefined}
      data-testid="drop-zone"
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p className="drop-zone-label">{label}</p>
      {hint && (
        <p className="drop-zone-hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="drop-zone-buttons">
        <button type="button" disabled={disabled} onClick={() => filesInput.current?.click()}>
          {multiple ? "Choose files" : "Choose a file"}
        </button>
        {allowFolders && (
          <button type="button" disabled={disabled} onClick={() => folderInput.current?.click()}>
            Choose folder
          </button>
        )}
      </div>
      <input
        ref={filesInput}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={`${label}: files`}
        multiple={multiple}
        accept={accept}
        onChange={(event) => {
          onFiles(pickedFromInput(event.target.files));
          event.target.value = "";
        }}
      />
      {allowFolders && (
        <input
          ref={(input) => {
            folderInput.current = input;
            // Not in React's input attributes; every current browser supports it.
            input?.setAttribute("webkitdirectory", "");
          }}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-label={`${label}: folder`}
          onChange={(event) => {
            onFiles(pickedFromInput(event.target.files));
            event.target.value = "";
          }}
        />
      )}
    </div>
  );
}
