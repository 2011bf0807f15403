/** What this file uses of @opentelemetry/sdk-node and @opentelemetry/auto-instrumentations-node. */
interface NodeSdkModule {
  NodeSDK: new (options: { serviceName: string; instrumentations: unknown[] }) => Tracing & { start(): void };
}
interface AutoInstrumentationsModule {
  getNodeAutoInstrumentations: (config?: Record<string, { enabled: boolean }>) => unknown[];
}

/** A started SDK: shut down last, so that the final spans are exported. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** The OpenTelemetry packages are optional dependencies (README, "Observability"). */
const SDK_PACKAGES = ['@opentelemetry/sdk-node', '@opentelemetry/auto-instrumentations-node'] as const;

/**
 * Starts OpenTelemetry tracing: the SDK exports spans to OTEL_EXPORTER_OTLP_ENDPOINT (it reads the
 * OTEL_* variables itself), with the standard instrumentations of HTTP, Fastify and pg. Called by
 * main.ts only when that variable is set and before the app's modules load, so that the
 * instrumentations can wrap them; otherwise nothing of OpenTelemetry is ever loaded. The packages
 * are imported by a computed name so that they stay optional: without them, start-up says what to
 * install.
 */
export async function startTracing(): Promise<Tracing> {
  let modules: [NodeSdkModule, AutoInstrumentationsModule];
  try {
    modules = (await Promise.all(SDK_PACKAGES.map((name) => import(name)))) as [NodeSdkModule, AutoInstrumentationsModule];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT is set but OpenTelemetry could not be loaded (${reason}). Install it: npm install ${SDK_PACKAGES.join(' ')}`);
  }
  const [{ NodeSDK }, { getNodeAutoInstrumentations }] = modules;
  // File-system spans would drown the requests' own (every static file, every log flush).
  const instrumentations = getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } });
  const sdk = new NodeSDK({ serviceName: 'tasks-api', instrumentations });
  sdk.start();
  return sdk;
}
