import { useCallback, useEffect, useRef, useState } from "react";
import { fieldMessages, withoutFields, type ServerProblems } from "./field-messages";
import type { FormErrors } from "./training-form-validation";

const noProblems: ServerProblems = { byField: {}, other: [] };

/**
 * What a form checked as the person types keeps besides its values: the fields touched, whether a
 * submit was tried and the server's problems, hence each field's message. After a refused submit,
 * keyboard and screen-reader users land on the first field to fix.
 */
export function useCheckedForm(errors: FormErrors) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState(noProblems);
  const [focusRequest, setFocusRequest] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const touch = useCallback(
    (field: string) => setTouched((current) => (current.has(field) ? current : new Set(current).add(field))),
    [],
  );
  /** The person changed these fields: the server's problems about them (and the rows under them) go. */
  const changed = useCallback(
    (fields: readonly string[]) => setServer((current) => withoutFields(current, fields)),
    [],
  );

  useEffect(() => {
    if (focusRequest === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  /** Sends unless the form's own checks refuse; the server's refusals land next to their fields. */
  const submitChecked = async (send: () => Promise<void>, problemsOf: (error: unknown) => ServerProblems) => {
    setSubmitted(true);
    if (Object.keys(errors).length > 0) {
      setFocusRequest((count) => count + 1);
      return;
    }
    setServer(noProblems);
    try {
      await send();
    } catch (error) {
      setServer(problemsOf(error));
      setFocusRequest((count) => count + 1);
    }
  };

  return {
    formRef,
    touch,
    changed,
    submitChecked,
    messages: fieldMessages(errors, server, touched, submitted),
    /** Problems the form found, once a submit was tried. */
    problemCount: submitted ? Object.keys(errors).length : 0,
    /** How many of the server's problems are shown next to their fields. */
    serverFieldProblemCount: Object.keys(server.byField).length,
    /** The server's problems that belong to no field. */
    otherProblems: server.other,
  };
}
