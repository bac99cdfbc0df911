/** A gRPC endpoint as written in INFERENCE_URL or TRITON_URL, ready for a channel. */
export interface GrpcAddress {
  /** host:port as grpc-js wants it. */
  target: string;
  /** grpcs:// or https:// asks for TLS; everything else is plaintext. */
  secure: boolean;
}

export class GrpcAddressError extends Error {
  override name = "GrpcAddressError";
}

/** Triton's gRPC port, used when an address names none. */
export const DEFAULT_GRPC_PORT = 8001;

const secureSchemes = new Set(["grpcs:", "https:"]);
const plainSchemes = new Set(["grpc:", "http:"]);

/** Accepts `host:port`, `host`, `[v6]:port` and those behind grpc://, http://, grpcs:// or https://. */
export function parseGrpcAddress(raw: string): GrpcAddress {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `grpc://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new GrpcAddressError(`"${raw}" is not a gRPC address; expected host:port, e.g. 127.0.0.1:8001`);
  }
  const secure = secureSchemes.has(url.protocol);
  if (!secure && !plainSchemes.has(url.protocol)) {
    throw new GrpcAddressError(
      `"${raw}" uses ${url.protocol}//; expected grpc://, grpcs://, http:// or https:// (or none)`,
    );
  }
  if (!url.hostname || (url.pathname !== "" && url.pathname !== "/") || url.search || url.username) {
    throw new GrpcAddressError(`"${raw}" is not a gRPC address; expected host:port, e.g. 127.0.0.1:8001`);
  }
  // URL drops a port equal to the scheme's default (http://host:80), yet it was written on purpose.
  const port = url.port || /:(\d+)\/?$/.exec(text)?.[1] || DEFAULT_GRPC_PORT;
  return { target: `${url.hostname}:${port}`, secure };
}
