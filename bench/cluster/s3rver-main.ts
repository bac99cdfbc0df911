import type { AddressInfo } from "node:net";
// s3rver: a real S3-protocol server (HTTP, SigV4, multipart) on loopback, as the gateway's tests use.
import S3rver from "s3rver";

/**
 * The replicas bench's object store, in a process of its own as an S3 service would be:
 * S3RVER_DIRECTORY holds the objects, S3RVER_BUCKET is created empty. Prints
 * "s3rver listening on <port>" once it answers; SIGTERM stops it.
 */
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory: process.env.S3RVER_DIRECTORY!,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET!, configs: [] }],
});
const address = (await server.run()) as AddressInfo;
console.log(`s3rver listening on ${address.port}`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
