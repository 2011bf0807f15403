import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: SchemaObject;
  maxItems?: number;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  allOf?: SchemaObject[];
  nullable?: boolean;
}
interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: SchemaObject;
}
interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { content: Record<string, { schema?: SchemaObject }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** A stream (GET /api/events) never ends when it is accepted, and inject() waits for the end: test/events*.e2e-spec.ts covers it. */
const isEventStream = (operation: OperationObject) => Object.values(operation.responses ?? {}).some((response) => 'text/event-stream' in (response.content ?? {}));
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

/** One request to send. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** URLs with literal addresses only (no DNS, loopback or reserved ranges), for fields named `url`. */
const LOOPBACK_URLS = fc.constantFrom('http://127.0.0.1:9/hook', 'https://[::1]/hook', 'https://203.0.113.7/hook', 'ftp://127.0.0.1/hook', 'http://10.0.0.1/hook');

/** Strings a careless parser trips over: encodings, injections, extremes, odd Unicode. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', "' OR 1=1 --", '%00', '\u0000', '../../etc/passwd', '\ud800', '😀'.repeat(3), 'a'.repeat(5_000), '00000000-0000-0000-0000-000000000000', '2024-02-30T25:61:00Z'),
);

/** Any JSON value, or a value of the wrong type for `schema`. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 3 }), fc.integer(), fc.double(), fc.constant(null));

export class OpenApiArbitraries {
  constructor(
    private readonly doc: OpenApiDocument,
    /** Values that exist in the app by path parameter name (task ids, the owner's id), so valid requests reach deep. */
    private readonly known: Record<string, string[]>,
  ) {}

  /** A schema-valid value of `schema` (or, one time in eight, a hostile one). */
  value(schema: SchemaObject | undefined, depth = 0): fc.Arbitrary<unknown> {
    return fc.oneof({ arbitrary: this.valid(schema, depth), weight: 7 }, { arbitrary: hostileValue, weight: 1 });
  }

  private resolve(schema: SchemaObject): SchemaObject {
    if (!schema.$ref) return schema;
    const name = schema.$ref.split('/').pop() ?? '';
    return this.doc.components?.schemas?.[name] ?? {};
  }

  private valid(raw: SchemaObject | undefined, depth: number): fc.Arbitrary<unknown> {
    if (!raw || depth > 4) return fc.jsonValue({ maxDepth: 2 });
    const schema = this.resolve(raw);
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants) return fc.oneof(...variants.map((variant) => this.valid(variant, depth + 1)));
    if (schema.allOf) return this.valid(Object.assign({}, ...schema.allOf.map((part) => this.resolve(part))) as SchemaObject, depth + 1);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    const base = this.typed(type, schema, depth);
    return schema.nullable || (Array.isArray(schema.type) && schema.type.includes('null')) ? fc.option(base, { nil: null }) : base;
  }

  private typed(type: string | undefined, schema: SchemaObject, depth: number): fc.Arbitrary<unknown> {
    switch (type) {
      case 'string':
        if (schema.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom(...Object.values(this.known).flat(), '00000000-0000-4000-8000-000000000000'));
        if (schema.format === 'date-time') return fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
        return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 64, 300) });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 5, 12) });
      case 'object':
      default: {
        const properties = schema.properties ?? {};
        const required = new Set(schema.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, property] of Object.entries(properties)) record[name] = name === 'url' ? LOOPBACK_URLS : this.value(property, depth + 1);
        return fc.record(record, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
      }
    }
  }

  /** A path segment: mostly a value that exists, else a schema-valid value or a hostile string, URL-encoded. */
  private pathValue(name: string, schema: SchemaObject | undefined): fc.Arbitrary<string> {
    const known = this.known[name] ?? Object.values(this.known).flat();
    return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: this.valid(schema, 0).map(String), weight: 1 }, { arbitrary: hostileString, weight: 1 }).map(encodeSafely);
  }

  /** Requests for one operation: valid ones mixed with hostile parameters, bodies and headers. */
  operation(path: string, method: string, operation: OperationObject, authorization: fc.Arbitrary<string | undefined>): fc.Arbitrary<FuzzRequest> {
    const parameters = operation.parameters ?? [];
    const pathParams = Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, this.pathValue(p.name, p.schema)]));
    const queryParams = Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, fc.oneof(this.value(p.schema).map(String), hostileString)]));
    const headerParams = Object.fromEntries(parameters.filter((p) => p.in === 'header').map((p) => [p.name.toLowerCase(), fc.oneof(this.valid(p.schema, 0).map(String), hostileString)]));
    const bodySchema = operation.requestBody ? Object.values(operation.requestBody.content)[0]?.schema : undefined;
    const body = fc.oneof(
      { arbitrary: this.value(bodySchema).map((value) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' })), weight: 6 },
      { arbitrary: fc.record({ payload: fc.string({ unit: 'binary', maxLength: 200 }), contentType: fc.constantFrom('application/json', 'text/plain', 'application/merge-patch+json', 'application/x-www-form-urlencoded') }), weight: 1 },
    );
    return fc
      .record({
        path: fc.record(pathParams),
        query: fc.record(queryParams, { requiredKeys: [] }),
        headers: fc.record(headerParams, { requiredKeys: [] }),
        body: operation.requestBody ? fc.option(body, { freq: 8 }) : fc.constant(null),
        authorization,
      })
      .map(({ path: values, query, headers, body: sent, authorization: auth }) => {
        const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'x');
        const search = new URLSearchParams(definedEntries(query).map(([name, value]): [string, string] => [name, value.replace(/[\ud800-\udfff]/g, '?')])).toString();
        const allHeaders = sanitizeHeaders(headers);
        if (auth !== undefined) allHeaders.authorization = auth;
        if (sent) allHeaders['content-type'] = sent.contentType;
        return { method: method.toUpperCase(), url: search ? `${url}?${search}` : url, headers: allHeaders, payload: sent?.payload };
      });
  }

  /** One arbitrary over every operation of the document. */
  everyOperation(authorization: fc.Arbitrary<string | undefined>): fc.Arbitrary<FuzzRequest> {
    const operations = Object.entries(this.doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, operation]) => METHODS.includes(method) && !isEventStream(operation))
        .map(([method, operation]) => this.operation(path, method, operation, authorization)),
    );
    return fc.oneof(...operations);
  }
}

function encodeSafely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: sent as its raw (invalid) percent-encoding instead.
    return '%ED%A0%80';
  }
}

function definedEntries(record: Partial<Record<string, string>>): [string, string][] {
  return Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/** Header values as HTTP can carry them (visible ASCII and spaces); anything else becomes `?`. */
function sanitizeHeaders(headers: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(definedEntries(headers).map(([name, value]) => [name, value.replace(/[^\x20-\x7e]/g, '?').trim()]));
}
