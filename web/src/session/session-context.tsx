import { ApolloProvider } from "@apollo/client/react";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { createApolloSession, type ApolloSession } from "../api/apollo-client";
import { clearToken, onTokenChangedElsewhere, readToken, writeToken } from "./token-store";

export interface Session {
  token: string | null;
  /** Why the last session ended (a revoked token, say), for the sign-in page to say. */
  notice: string | null;
  signIn(token: string): void;
  signOut(notice?: string): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a <SessionProvider> above it");
  return session;
}

/** Holds the signed-in token and gives everything below it an Apollo client for that token. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(() => readToken());
  const [notice, setNotice] = useState<string | null>(null);

  const signIn = useCallback((next: string) => {
    writeToken(next);
    setNotice(null);
    setToken(next);
  }, []);
  const signOut = useCallback((why?: string) => {
    clearToken();
    setNotice(why ?? null);
    setToken(null);
  }, []);

  useEffect(() => onTokenChangedElsewhere(setToken), []);

  const apollo = useMemo(
    () =>
      token
        ? createApolloSession({
            getToken: () => token,
            onUnauthenticated: (message) => signOut(`You were signed out: ${message}`),
          })
        : null,
    [token, signOut],
  );
  // The previous token's client is closed once the new one is in place. Not in an effect cleanup:
  // StrictMode runs those on a pretend unmount, which would close the client still in use.
  const current = useRef<ApolloSession | null>(null);
  useEffect(() => {
    if (current.current !== apollo) current.current?.dispose();
    current.current = apollo;
  }, [apollo]);

  const session = useMemo(() => ({ token, notice, signIn, signOut }), [token, notice, signIn, signOut]);
  return (
    <SessionContext value={session}>
      {apollo ? <ApolloProvider client={apollo.client}>{children}</ApolloProvider> : children}
    </SessionContext>
  );
}
