/**
 * The signed-in API token lives in localStorage so a reload (or a new tab) stays signed in; a
 * sign-out in one tab signs every tab out through the `storage` event.
 */
export const TOKEN_KEY = "tessera.apiToken";

export type TokenStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function readToken(storage: TokenStorage = localStorage): string | null {
  const token = storage.getItem(TOKEN_KEY);
  return token && normaliseToken(token).token ? token : null;
}

export function writeToken(token: string, storage: TokenStorage = localStorage): void {
  storage.setItem(TOKEN_KEY, token);
}

export function clearToken(storage: TokenStorage = localStorage): void {
  storage.removeItem(TOKEN_KEY);
}

/** Calls `listener` with the new token (or null) when another tab signs in or out. */
export function onTokenChangedElsewhere(listener: (token: string | null) => void): () => void {
  const handle = (event: StorageEvent) => {
    if (event.key === TOKEN_KEY || event.key === null) listener(readToken());
  };
  window.addEventListener("storage", handle);
  return () => window.removeEventListener("storage", handle);
}

export type NormalisedToken = { token: string; problem?: undefined } | { token?: undefined; problem: string };

/**
 * What a person pastes: the bare secret, or the whole `Bearer …` header value copied from
 * somewhere else. Surrounding spaces are dropped; spaces inside mean it was not one token.
 */
export function normaliseToken(input: string): NormalisedToken {
  const token = input.trim().replace(/^Bearer\s+/i, "");
  if (token === "") return { problem: "Paste an API token, e.g. tsr_…" };
  if (/\s/.test(token)) return { problem: "An API token has no spaces; paste it in one piece" };
  return { token };
}
