// The tier's container health check: KServe v2 `ServerReady` over gRPC, the call the gateway's
// readiness probe makes. Exit 0 when the tier answers ready, 1 otherwise (not serving, not ready,
// no answer within the deadline). Used by docker-compose.yml's `inference` service:
//   node deploy/tier-healthcheck.mjs [host:port]   (default 127.0.0.1:$INFERENCE_PORT, else 8001)
// It encodes the two messages by hand so that it needs nothing but @grpc/grpc-js (a dependency of
// the tier) and no code generation: ServerReadyRequest is empty, and ServerReadyResponse is
// `bool ready = 1`, which is the bytes 0x08 0x01 when true and nothing when false.
import * as grpc from "@grpc/grpc-js";

const DEADLINE_MS = 3000;
const address = process.argv[2] ?? `127.0.0.1:${process.env.INFERENCE_PORT || "8001"}`;

const client = new grpc.Client(address, grpc.credentials.createInsecure());
client.makeUnaryRequest(
  "/inference.GRPCInferenceService/ServerReady",
  () => Buffer.alloc(0),
  (bytes) => bytes,
  {},
  new grpc.Metadata(),
  { deadline: Date.now() + DEADLINE_MS },
  (error, response) => {
    client.close();
    if (error) {
      console.error(`tier at ${address}: ${error.message}`);
      process.exit(1);
    }
    const ready = response.length === 2 && response[0] === 0x08 && response[1] === 0x01;
    if (!ready) console.error(`tier at ${address}: not ready`);
    process.exit(ready ? 0 : 1);
  },
);
