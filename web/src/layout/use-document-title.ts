import { useEffect } from "react";

/** The browser tab names the page, so history and tabs stay tellable apart. */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Tessera` : "Tessera";
  }, [title]);
}
