/** A file the person picked or dropped, with its path inside the folder it came from. */
export interface PickedFile {
  file: File;
  /** `model.onnx`, or `resnet/onnx/model.onnx` for a file of a dropped or chosen folder. */
  path: string;
}

/** Files from an `<input type="file">`; a folder input fills `webkitRelativePath`. */
export function pickedFromInput(files: FileList | null): PickedFile[] {
  return Array.from(files ?? [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/**
 * Files from a drop, folders walked recursively. Entries must be taken while the drop event
 * runs (the DataTransfer empties afterwards); reading them may finish later.
 */
export function pickedFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items, (item) =>
    item.kind === "file" ? item.webkitGetAsEntry() : null,
  );
  if (entries.length === 0 || entries.some((entry) => entry === null)) {
    // Drops made by scripts (and some browsers) carry files without entries.
    return Promise.resolve(pickedFromInput(transfer.files));
  }
  return Promise.all(entries.map((entry) => readEntry(entry as FileSystemEntry))).then((lists) =>
    lists.flat(),
  );
}

async function readEntry(entry: FileSystemEntry): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return [{ file, path: entry.fullPath.replace(/^\/+/, "") }];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const lists = await Promise.all(children.map(readEntry));
  return lists.flat();
}

/** Drops the folder every path starts with (the dropped folder's own name), if there is one. */
export function withoutCommonFolder(files: PickedFile[]): PickedFile[] {
  const first = files[0]?.path.split("/")[0];
  if (!first || files.some((picked) => !picked.path.startsWith(`${first}/`))) return files;
  return files.map((picked) => ({ ...picked, path: picked.path.slice(first.length + 1) }));
}
