import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Browser, Request } from "playwright-core";
import { launchBrowser } from "../../web/e2e/support/chromium";
import { chromiumPath } from "../../web/e2e/support/paths";
import { MAP_MARKS, type MapDrawnDetail } from "../../web/src/datasets/embedding-map-marks";
import { ensureWebBuild } from "../../web/tools/build-if-stale";
import { deferCleanup } from "../lib/cleanup";
import { percentile } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { startGatewayUnderTest } from "../registry/gateway-under-test";
import { GatewayClient } from "../registry/http-client";
import { computeMap, MAP_CLASSES, MAP_DIMENSION, seedMapVersion } from "./seeded-map";

/** The budget: the map of 50,000 points drawn within 3 s of opening it. */
const BUDGET_SECONDS = 3;
const REPEATS = 3;
/** The dashboard's usual size (the end-to-end tests' too). */
const VIEWPORT = { width: 1280, height: 800 };
const MAP_OPERATION = "VersionEmbeddingMap";
/** Where the dashboard keeps the signed-in token (web/src/session/token-store.ts, which needs the DOM's types). */
const TOKEN_KEY = "tessera.apiToken";
/** An opening that has not drawn by then has failed (a page error, a missing mark). */
const OPENING_TIMEOUT_MS = 60_000;

/** What the page's code below uses of the DOM (the bench is type-checked without the DOM's types). */
interface PageEntry {
  name: string;
  startTime: number;
  detail?: unknown;
  responseEnd?: number;
}
interface PageGlobals {
  localStorage: { setItem(key: string, value: string): void };
  performance: { timeOrigin: number; getEntriesByType(type: string): PageEntry[] };
  PerformanceObserver: new (callback: (list: { getEntries(): PageEntry[] }) => void) => {
    observe(options: { type: string; buffered: boolean }): void;
    disconnect(): void;
  };
}

interface OpeningMarks {
  pointsMs: number;
  drawnMs: number;
  detail: unknown;
  /** The app's document answered. */
  documentMs: number;
  origin: number;
  /** Every GraphQL request's Resource Timing (the page's clock): the map's is found among them. */
  graphql: Array<{ startTime: number; responseEnd: number }>;
}

/** One opening of the map page, in ms from its navigation's start (the page's `performance.timeOrigin`). */
interface Opening {
  /** The app's document answered. */
  documentMs: number;
  /** The map's query left the browser (the app, the version's queries and the map tab's code came first). */
  querySentMs: number;
  /** Its answer's last byte arrived. */
  answeredMs: number;
  /** The answer parsed and the points decoded (MAP_MARKS.pointsReady). */
  pointsMs: number;
  /** Every point drawn and the frame showing them produced (MAP_MARKS.drawn). */
  drawnMs: number;
  /** The draw calls alone. */
  drawCallsMs: number;
  points: number;
  load: number;
}

/**
 * (f) The embedding map drawn in a real browser: a version of `points` samples with a stored PCA
 * map (seeded and computed as part (e) does), the dashboard (web/dist, built if stale) served by
 * the gateway, and Debian's Chromium, headless, opening the map's URL in a fresh profile (nothing
 * cached, signed in through localStorage as a returning user is). The clock runs from the
 * navigation's start to the mark the map sets once its first draw of every point returned and
 * the frame showing it was produced. Without Chromium it says so and measures nothing.
 */
export async function benchEmbeddingMapDraw(points: number): Promise<Ratio | null> {
  if (!fs.existsSync(chromiumPath)) {
    // As the end-to-end tests do: the other parts' figures still count.
    console.log(
      `\n(f) skipped: ${chromiumPath} is not installed (Debian: apt-get install chromium; or set CHROMIUM_PATH)`,
    );
    return null;
  }
  if (await ensureWebBuild()) console.log("(f) built web/dist");
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
  const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
  const gateway = await startGatewayUnderTest(path.join(workDir, "data"));
  const stopGateway = deferCleanup(() => gateway.stop());
  const pool = new pg.Pool({ connectionString: gateway.databaseUrl, max: 2 });
  let browser: Browser | null = null;
  const closeBrowser = deferCleanup(async () => {
    await browser?.close();
  });
  try {
    console.log(
      `\n(f) gateway at ${gateway.url}; node ${process.version}, ${os.cpus().length} CPUs, ` +
        `load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    const client = new GatewayClient(gateway.url, gateway.adminToken, 2);
    const { me } = await client.graphql<{ me: { id: string } }>(`{ me { id } }`);
    const started = Date.now();
    const { datasetId, versionId } = await seedMapVersion(pool, me.id, points);
    // The seeding outlasts the server's keep-alive: a fresh client does not reuse a closed socket.
    const computeSeconds = await computeMap(new GatewayClient(gateway.url, gateway.adminToken, 2), versionId);
    console.log(
      `(f) seeded ${points} samples and ${MAP_DIMENSION}-d vectors, map computed in ` +
        `${formatNumber(computeSeconds)} s (${formatNumber((Date.now() - started) / 1000)} s in all)`,
    );

    // The end-to-end tests' browser: no calls to Google's services, which this closed network
    // refuses slowly; no GPU, as on the machines the tests run on.
    browser = await launchBrowser();
    const url = `${gateway.url}/datasets/${datasetId}/versions/1/map`;
    // One unreported opening first: the gateway's and the browser's first-time costs fall on no run.
    await openMap(browser, url, gateway.adminToken, points);
    const openings: Opening[] = [];
    for (let run = 0; run < REPEATS; run++)
      openings.push(await openMap(browser, url, gateway.adminToken, points));

    // Per opening: the load, then the table's columns (stages are differences of the marks).
    const stagesOf = (o: Opening) => ({
      load: o.load,
      document: o.documentMs,
      querySent: o.querySentMs,
      answered: o.answeredMs - o.querySentMs,
      parse: o.pointsMs - o.answeredMs,
      render: o.drawnMs - o.pointsMs,
      drawCalls: o.drawCallsMs,
      drawn: o.drawnMs,
    });
    type Stages = ReturnType<typeof stagesOf>;
    const perOpening = openings.map(stagesOf);
    const keys = Object.keys(perOpening[0]!) as Array<keyof Stages>;
    // Each column's own median, so the stages of this row need not add up to its drawn.
    const p50 = Object.fromEntries(
      keys.map((key) => [
        key,
        percentile(
          perOpening.map((stages) => stages[key]).sort((a, b) => a - b),
          50,
        ),
      ]),
    ) as Stages;
    const cells = (stages: Stages) => [
      stages.load.toFixed(2),
      ...keys.slice(1).map((key) => formatNumber(stages[key])),
    ];
    printTable(
      `(f) embedding map of ${points} points (${MAP_CLASSES} classes) opened in headless Chromium ` +
        `${browser.version()}, ${VIEWPORT.width}×${VIEWPORT.height}; ms from navigation start`,
      [
        "opening",
        "load",
        "document",
        "map query sent",
        "query answered (server + transfer)",
        "parse + decode",
        "render + draw + frame",
        "draw calls",
        "drawn",
      ],
      [
        ...perOpening.map((stages, run) => [`run ${run + 1}`, ...cells(stages)]),
        [`p50 of ${REPEATS}`, ...cells(p50)],
      ],
    );
    const drawnSeconds = p50.drawn / 1000;
    return {
      name: "datasets.embedding-map-draw",
      subject: { label: "drawn", value: points / drawnSeconds, unit: "points/s" },
      baseline: {
        label: `${BUDGET_SECONDS}-s budget`,
        value: points / BUDGET_SECONDS,
        unit: "points/s",
      },
      aim: 1,
      note:
        `map drawn ${points.toLocaleString("en")} points: ${formatNumber(drawnSeconds)} s from opening ` +
        `(query + parse ${formatNumber((p50.answered + p50.parse) / 1000)} s, ` +
        `draw calls ${formatNumber(p50.drawCalls)} ms); ratio = budget ÷ measured`,
    };
  } finally {
    await closeBrowser();
    await pool.end();
    await stopGateway();
    await removeWorkDir();
  }
}

/** Opens the map's URL in a fresh profile and waits for the map's drawn mark. */
async function openMap(browser: Browser, url: string, token: string, points: number): Promise<Opening> {
  const load = os.loadavg()[0]!;
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    await context.addInitScript(
      ([key, value]) => (globalThis as unknown as PageGlobals).localStorage.setItem(key!, value!),
      [TOKEN_KEY, token],
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    let mapRequest: Request | null = null;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.postData()?.includes(`"operationName":"${MAP_OPERATION}"`))
        mapRequest = request;
    });
    await page.goto(url, { waitUntil: "commit" });
    const drawnMarks = page.evaluate(
      ([pointsReady, drawn]) =>
        new Promise<OpeningMarks>((resolve) => {
          const { performance, PerformanceObserver } = globalThis as unknown as PageGlobals;
          const seen = new Map<string, PageEntry>();
          const observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) seen.set(entry.name, entry);
            const drawnMark = seen.get(drawn!);
            const pointsMark = seen.get(pointsReady!);
            if (!drawnMark || !pointsMark) return;
            observer.disconnect();
            resolve({
              pointsMs: pointsMark.startTime,
              drawnMs: drawnMark.startTime,
              detail: drawnMark.detail,
              documentMs: performance.getEntriesByType("navigation")[0]!.responseEnd!,
              origin: performance.timeOrigin,
              graphql: performance
                .getEntriesByType("resource")
                .filter((entry) => entry.name.endsWith("/graphql"))
                .map((entry) => ({ startTime: entry.startTime, responseEnd: entry.responseEnd! })),
            });
          });
          observer.observe({ type: "mark", buffered: true });
        }),
      [MAP_MARKS.pointsReady, MAP_MARKS.drawn],
    );
    let timer: NodeJS.Timeout | undefined;
    const marks = await Promise.race([
      drawnMarks,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`the map was not drawn within ${OPENING_TIMEOUT_MS / 1000} s: ${errors.join("; ")}`),
            ),
          OPENING_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (errors.length > 0) throw new Error(`the map page failed: ${errors.join("; ")}`);
    const detail = marks.detail as MapDrawnDetail;
    if (detail.points !== points) throw new Error(`the map drew ${detail.points} points, expected ${points}`);
    const request = mapRequest as Request | null;
    if (!request) throw new Error(`the page sent no ${MAP_OPERATION} query`);
    // Every POST goes to /graphql: the map's Resource Timing entry is the one that started nearest
    // to when the browser says the map's request left (a clock of its own, off by a few ms).
    const sentByBrowser = request.timing().startTime - marks.origin;
    const entry = marks.graphql.reduce((nearest, candidate) =>
      Math.abs(candidate.startTime - sentByBrowser) < Math.abs(nearest.startTime - sentByBrowser)
        ? candidate
        : nearest,
    );
    return {
      documentMs: marks.documentMs,
      querySentMs: entry.startTime,
      answeredMs: entry.responseEnd,
      pointsMs: marks.pointsMs,
      drawnMs: marks.drawnMs,
      drawCallsMs: detail.drawMs,
      points: detail.points,
      load,
    };
  } finally {
    await context.close();
  }
}
