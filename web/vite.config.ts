import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { bundleReport } from "./tools/bundle-report.ts";
import { sourceStamp } from "./tools/source-hash.ts";

// `npm run dev` talks to a gateway that is already running (`npm start`), on PORT as it does.
const gateway = process.env.TESSERA_GATEWAY_URL ?? `http://127.0.0.1:${process.env.PORT || 4000}`;

export default defineConfig({
  plugins: [react(), bundleReport(), sourceStamp()],
  server: {
    port: Number(process.env.WEB_PORT || 5173),
    strictPort: true,
    proxy: {
      "/graphql": { target: gateway, ws: true },
      "/graphql-ide": gateway,
      "/files": gateway,
      "/healthz": gateway,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The chart library is one lazy chunk over the default 500 kB warning; it loads only with a chart.
    chunkSizeWarningLimit: 800,
  },
});
