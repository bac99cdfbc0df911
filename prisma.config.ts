import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate; migrate for users who have the engine online).
// The running stack applies migrations itself with the WASM schema engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/tessera" },
});
