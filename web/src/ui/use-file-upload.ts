import { useRef, useState } from "react";
import type { UploadProgress } from "../api/xhr-request";
import type { PickedFile } from "./picked-files";

/** The files picked for an upload, the bytes sent so far, and the means to cancel the request on its way. */
export function useFileUpload() {
  const [picked, setPicked] = useState<PickedFile[]>([]);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const abort = useRef<AbortController | null>(null);
  return {
    picked,
    setPicked,
    progress,
    setProgress,
    removeFile: (index: number) => setPicked(picked.filter((_, at) => at !== index)),
    /** Starts sending `total` bytes; the answer is the Apollo context that reports progress and can be aborted. */
    start(total: number) {
      abort.current = new AbortController();
      setProgress({ loaded: 0, total });
      return { onUploadProgress: setProgress, fetchOptions: { signal: abort.current.signal } };
    },
    finish() {
      abort.current = null;
    },
    cancel() {
      abort.current?.abort();
    },
  };
}
