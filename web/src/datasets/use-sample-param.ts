import { useCallback } from "react";
import { useSearchParams } from "react-router";

/** The sample open in the viewer lives in the URL (`?sample=<id>`): links to a sample can be shared and go back with the browser. */
export function useSampleParam(): {
  sampleId: string | null;
  sampleHref(id: string): string;
  open(id: string): void;
  close(): void;
} {
  const [params, setParams] = useSearchParams();
  const sampleHref = useCallback(
    (id: string) => {
      const next = new URLSearchParams(params);
      next.set("sample", id);
      return `?${next.toString()}`;
    },
    [params],
  );
  const open = useCallback(
    (id: string) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        next.set("sample", id);
        return next;
      }),
    [setParams],
  );
  const close = useCallback(
    () =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        next.delete("sample");
        return next;
      }),
    [setParams],
  );
  return { sampleId: params.get("sample"), sampleHref, open, close };
}
