import { randomUUID } from "node:crypto";
import { badInput } from "../errors";
import { limits } from "../limits";

export const ANONYMOUS_EMAIL = "anonymous";
const { instructionLength, sessionIdLength } = limits.trainingPairs;
const { emailLength } = limits;

// Deliberately loose (one @, a dot in the domain, no spaces): the address is a label for privacy
// requests, never mailed, so rejecting unusual but valid addresses would only lose data.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Session ids become folder names in the export, so they are restricted to characters every
// file system and unzip tool accepts.
const sessionIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkInstruction(instruction: string): string {
  const trimmed = instruction.trim();
  if (trimmed.length === 0 || trimmed.length > instructionLength) {
    throw badInput(
      `"instruction" must hold 1 to ${instructionLength} characters after trimming, got ${trimmed.length}`,
      { field: "instruction" },
    );
  }
  return trimmed;
}

/** A valid address, lowercased; what privacy requests are matched against. */
export function checkEmail(email: string, field = "userEmail"): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > emailLength || !emailPattern.test(normalized)) {
    throw badInput(
      `"${field}" must be an email address like name@example.com, got ${JSON.stringify(email)}`,
      {
        field,
      },
    );
  }
  return normalized;
}

export function storedEmail(email: string | null | undefined): string {
  return email === null || email === undefined ? ANONYMOUS_EMAIL : checkEmail(email);
}

/**
 * The seed grouped pairs by the product session that made them. A caller that wants its pairs in one
 * folder passes the same `sessionId` each time; without one, every call opens a session of its own.
 */
export function storedSessionId(sessionId: string | null | undefined): string {
  if (sessionId === null || sessionId === undefined) return randomUUID();
  if (sessionId.length > sessionIdLength || !sessionIdPattern.test(sessionId)) {
    throw badInput(
      `"sessionId" must be 1 to ${sessionIdLength} letters, digits, ".", "_" or "-", starting with a letter or digit; got ${JSON.stringify(sessionId)}`,
      { field: "sessionId" },
    );
  }
  return sessionId;
}
