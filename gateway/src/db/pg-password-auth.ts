import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

/**
 * The password step of the PostgreSQL startup handshake, done before a connection reaches PGlite
 * (which trusts every user): SCRAM-SHA-256 as a real server does it (RFC 5802/7677 as PostgreSQL
 * profiles them), so the password never crosses the socket. A client that passes gets PGlite's
 * own answer to its startup message (AuthenticationOk, parameters, ReadyForQuery) next; one that
 * fails gets ErrorResponse 28P01 and the socket is closed.
 */
interface PasswordCheck {
  user: string;
  /** Derived once: the salted password itself is not kept. */
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

// PostgreSQL's default (scram_iterations); the `pg` driver refuses more than 100,000.
const ITERATIONS = 4096;
// A client that has not signed in by then is dropped: it holds one of the few connection slots.
const HANDSHAKE_TIMEOUT_MS = 10_000;
// Startup and SASL messages are a few hundred bytes; anything larger is not a client we serve.
const MAX_HANDSHAKE_MESSAGE = 10_000;
const PROTOCOL_3 = 3;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MECHANISM = "SCRAM-SHA-256";
const AUTH_SASL = 10;
const AUTH_SASL_CONTINUE = 11;
const AUTH_SASL_FINAL = 12;

export function passwordCheck(user: string, password: string): PasswordCheck {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, ITERATIONS, 32, "sha256");
  return {
    user,
    salt,
    iterations: ITERATIONS,
    storedKey: sha256(hmac(salted, "Client Key")),
    serverKey: hmac(salted, "Server Key"),
  };
}

/**
 * Runs the handshake on a fresh socket. Resolves with the bytes PGlite must see next (the startup
 * message and anything the client sent after it), or null when the client was refused or left.
 * The socket is left paused with no data listener either way.
 */
export async function admitClient(socket: Socket, check: PasswordCheck): Promise<Buffer | null> {
  const reader = new HandshakeReader(socket);
  const timer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
  try {
    const startup = await readStartup(socket, reader);
    if (!startup) return null;
    const user = startupParameter(startup, "user");
    if (await scramSucceeds(socket, reader, check, user)) return Buffer.concat([startup, reader.rest()]);
    refuse(socket, "28P01", `password authentication failed for user "${user ?? ""}"`);
    return null;
  } catch {
    // Malformed messages or a client that went away mid-handshake: nothing to answer.
    socket.destroy();
    return null;
  } finally {
    clearTimeout(timer);
    reader.release();
  }
}

async function readStartup(socket: Socket, reader: HandshakeReader): Promise<Buffer | null> {
  for (;;) {
    const length = (await reader.read(4)).readInt32BE(0);
    if (length < 8 || length > MAX_HANDSHAKE_MESSAGE) throw new Error("bad startup length");
    const body = await reader.read(length - 4);
    const code = body.readInt32BE(0);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      // Neither is offered on a loopback socket; the client goes on in plain text.
      socket.write("N");
      continue;
    }
    if (code === CANCEL_REQUEST) {
      socket.destroy();
      return null;
    }
    if (code >>> 16 !== PROTOCOL_3) {
      refuse(socket, "08P01", `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
      return null;
    }
    const header = Buffer.alloc(4);
    header.writeInt32BE(length);
    return Buffer.concat([header, body]);
  }
}

function startupParameter(startup: Buffer, name: string): string | null {
  const fields = startup.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!;
  return null;
}

async function scramSucceeds(
  socket: Socket,
  reader: HandshakeReader,
  check: PasswordCheck,
  user: string | null,
): Promise<boolean> {
  socket.write(authentication(AUTH_SASL, `${MECHANISM}\0\0`));
  const initial = await readPasswordMessage(reader);
  const mechanismEnd = initial.indexOf(0);
  if (initial.subarray(0, mechanismEnd).toString() !== MECHANISM) return false;
  const clientFirst = initial.subarray(mechanismEnd + 5).toString("utf8");
  // gs2 header: "n,," (no channel binding) or "y,," (client could bind, server offered none).
  const gs2 = /^([ny]),[^,]*,/.exec(clientFirst);
  if (!gs2) return false;
  const clientFirstBare = clientFirst.slice(gs2[0].length);
  const clientNonce = attribute(clientFirstBare, "r");
  if (!clientNonce) return false;

  const nonce = clientNonce + randomBytes(18).toString("base64");
  const serverFirst = `r=${nonce},s=${check.salt.toString("base64")},i=${check.iterations}`;
  socket.write(authentication(AUTH_SASL_CONTINUE, serverFirst));

  const clientFinal = (await readPasswordMessage(reader)).toString("utf8");
  const proofAt = clientFinal.lastIndexOf(",p=");
  if (proofAt < 0) return false;
  const withoutProof = clientFinal.slice(0, proofAt);
  const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
  const binding = Buffer.from(gs2[0]).toString("base64");
  if (attribute(withoutProof, "c") !== binding || attribute(withoutProof, "r") !== nonce) return false;

  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(check.storedKey, authMessage);
  if (proof.length !== signature.length) return false;
  const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
  const passwordMatches = timingSafeEqual(sha256(clientKey), check.storedKey);
  // The user name is checked last, like PostgreSQL, so a refusal does not tell which part was wrong.
  if (!passwordMatches || user !== check.user) return false;
  socket.write(authentication(AUTH_SASL_FINAL, `v=${hmac(check.serverKey, authMessage).toString("base64")}`));
  return true;
}

/** A SASLInitialResponse or SASLResponse ('p'); returns its body. */
async function readPasswordMessage(reader: HandshakeReader): Promise<Buffer> {
  const header = await reader.read(5);
  const length = header.readInt32BE(1);
  if (header[0] !== 0x70 || length < 4 || length > MAX_HANDSHAKE_MESSAGE)
    throw new Error("not a password message");
  return reader.read(length - 4);
}

function attribute(message: string, name: string): string | null {
  const found = message.split(",").find((part) => part.startsWith(`${name}=`));
  return found ? found.slice(name.length + 1) : null;
}

function authentication(kind: number, data: string): Buffer {
  const payload = Buffer.from(data, "utf8");
  const message = Buffer.alloc(9 + payload.length);
  message.write("R", 0);
  message.writeInt32BE(8 + payload.length, 1);
  message.writeInt32BE(kind, 5);
  payload.copy(message, 9);
  return message;
}

/**
 * ErrorResponse at FATAL severity, then the socket is closed, as PostgreSQL does. Closed outright
 * once written: the socket is no longer read, so waiting for the client to hang up would hold its
 * connection slot for good.
 */
function refuse(socket: Socket, sqlState: string, text: string): void {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${text}\0\0`, "utf8");
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(4 + fields.length, 1);
  socket.end(Buffer.concat([header, fields]), () => socket.destroy());
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();
const hmac = (key: Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** Buffers what the client sends until the handshake has read what it needs. */
class HandshakeReader {
  #buffer = Buffer.alloc(0);
  #wake: (() => void) | null = null;
  #gone = false;

  constructor(private readonly socket: Socket) {
    socket.on("data", this.#onData);
    socket.on("close", this.#onClose);
  }

  async read(length: number): Promise<Buffer> {
    while (this.#buffer.length < length) {
      if (this.#gone) throw new Error("client went away");
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    const bytes = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return bytes;
  }

  /** What arrived beyond what was read. */
  rest(): Buffer {
    return this.#buffer;
  }

  /** Stops reading: whoever takes the socket over resumes it. */
  release(): void {
    this.socket.pause();
    this.socket.off("data", this.#onData);
    this.socket.off("close", this.#onClose);
  }

  #onData = (chunk: Buffer) => {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    this.#notify();
  };

  #onClose = () => {
    this.#gone = true;
    this.#notify();
  };

  #notify() {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
