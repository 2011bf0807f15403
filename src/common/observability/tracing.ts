/** What this file uses of the OpenTelemetry packages (imported by name: see startTracing). */
interface NodeSdkModule {
  NodeSDK: new (options: { serviceName: string; instrumentations: unknown[] }) => Tracing & { start(): void };
}
type InstrumentationModule = Record<string, new (options: object) => unknown>;

/** A started SDK: shut down last, so that the final spans are exported. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * The instrumentations loaded, by package and class: incoming and outgoing HTTP (the server spans,
 * with the caller's `traceparent` as parent), PostgreSQL queries, and `fetch` (JWKS, webhooks).
 * Chosen one by one rather than through auto-instrumentations-node, which installs some fifty
 * instrumentations (and ~30 MB) for libraries this API does not use.
 */
const INSTRUMENTATIONS = [
  // A stream ticket (GET /api/events?ticket=) is a credential: spans record the URL without it.
  ['@opentelemetry/instrumentation-http', 'HttpInstrumentation', { redactedQueryParamsServer: ['ticket'] }],
  ['@opentelemetry/instrumentation-pg', 'PgInstrumentation', {}],
  ['@opentelemetry/instrumentation-undici', 'UndiciInstrumentation', {}],
] as const;
const SDK_PACKAGE = '@opentelemetry/sdk-node';
const PACKAGES = [SDK_PACKAGE, ...INSTRUMENTATIONS.map(([name]) => name)];

/**
 * Starts OpenTelemetry tracing: the SDK exports spans to OTEL_EXPORTER_OTLP_ENDPOINT (it reads the
 * OTEL_* variables itself: protocol, headers, sampler). Called by main.ts only when that variable
 * is set and before the app's modules load, so that the instrumentations can wrap them; otherwise
 * nothing of OpenTelemetry is ever loaded. The packages are optional dependencies (installed by
 * `npm ci` unless `--omit=optional`), imported by a computed name so that an install without them
 * still starts, and says what to install when tracing is asked for.
 */
export async function startTracing(): Promise<Tracing> {
  let modules: unknown[];
  try {
    modules = await Promise.all(PACKAGES.map((name) => import(name)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT is set but OpenTelemetry could not be loaded (${reason}). Install it: npm install ${PACKAGES.join(' ')}`);
  }
  const [{ NodeSDK }, ...instrumentationModules] = modules as [NodeSdkModule, ...InstrumentationModule[]];
  const instrumentations = INSTRUMENTATIONS.map(([, className, options], index) => new instrumentationModules[index][className](options));
  const sdk = new NodeSDK({ serviceName: 'tasks-api', instrumentations });
  sdk.start();
  return sdk;
}
