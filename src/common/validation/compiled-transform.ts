import { type ClassTransformOptions, Transform, TransformationType, type TransformFnParams } from 'class-transformer';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant.js';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { compiledProperties } from './compiled-rules.js';

/**
 * class-transformer's `plainToInstance(target, value, options)`, precompiled per DTO class for
 * the values a JSON body or a query string almost always holds: a plain object whose properties
 * are all the DTO's own, each a string, number, boolean, null or an array of those. For such a
 * value it builds exactly what class-transformer builds: `new target()`, each property copied
 * (an array as a new array) and passed through the property's `@Transform` functions with the
 * same arguments, in the same order.
 *
 * Why not only class-transformer: per call it looks up every property's type, expose, exclude
 * and transform metadata across the class's ancestors, and walks the value generically; with
 * Nest's own walks of the value before it (prototype keys, array gaps, binary values) that is
 * most of what the validation pipe still costs on a valid create (about 7 of 10 µs in-process).
 *
 * Why it cannot disagree: it answers `undefined`, "ask class-transformer", for everything else:
 * a property the DTO does not validate (which class-transformer may skip, as it does
 * `constructor` and `toString`, and which validation then reports), nested objects, sparse or
 * exotic arrays, a class with `@Type`, `@Expose` or `@Exclude` metadata, and any option that is
 * not class-transformer's default. `@Transform` functions must not change the plain value they
 * are given (ours return new values): the pipe hands it to class-transformer when the result
 * then fails validation.
 */

type TransformFn = (params: TransformFnParams) => unknown;

/** The `@Transform` functions class-transformer applies to each property the DTO validates. */
type TransformPlan = Map<string, TransformFn[]>;

const plans = new WeakMap<object, TransformPlan | null>();

/** No options: one object, so that its resolution below is remembered. */
const NO_OPTIONS: ClassTransformOptions = Object.freeze({});

/** The options class-transformer's functions receive, when the caller's are its defaults. */
const optionsOf = new WeakMap<ClassTransformOptions, ClassTransformOptions | null>();

// The metadata this module reads must be the one the `@Transform` decorators write: a copy of
// class-transformer loaded twice (two builds of it) would leave it empty. Checked once.
class Probe {
  @Transform(({ value }: { value: unknown }) => value)
  probe?: unknown;
}
const sharesMetadata = defaultMetadataStorage.findTransformMetadatas(Probe, 'probe', TransformationType.PLAIN_TO_CLASS).length === 1;

/**
 * The instance class-transformer would build from `value`, or undefined when only
 * class-transformer can tell. Only the properties the DTO validates (compiled-rules.ts) are
 * modelled: any other name in `value` is left to class-transformer.
 */
export function plainToDto(target: new () => object, value: unknown, options: ClassTransformOptions = NO_OPTIONS): object | undefined {
  if (!sharesMetadata || !isPlainRecord(value)) return undefined;
  const transformOptions = resolveOptions(options);
  const plan = planFor(target);
  if (transformOptions === null || plan === null) return undefined;

  const keys = Object.keys(value);
  for (const key of keys) if (!plan.has(key) || !isCopyable(value[key])) return undefined;
  const instance = new target() as Record<string, unknown>;
  for (const key of keys) {
    const item = value[key];
    let result: unknown = Array.isArray(item) ? item.slice() : item;
    for (const transform of plan.get(key)!) {
      result = transform({ value: result, key, obj: value, type: TransformationType.PLAIN_TO_CLASS, options: transformOptions });
    }
    instance[key] = result;
  }
  return instance;
}

/**
 * An object as JSON.parse or a query-string parser makes it: its prototype is Object.prototype,
 * none, or (Fastify's query strings) an empty object that itself has none.
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) return true;
  return Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0;
}

/** A primitive JSON value, or a dense, ordinary array of them: what class-transformer copies as it is (an array item by item). */
function isCopyable(value: unknown): boolean {
  if (isPrimitive(value)) return true;
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  for (let i = 0; i < value.length; i += 1) if (!(i in value) || !isPrimitive(value[i])) return false;
  return true;
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number';
}

function resolveOptions(options: ClassTransformOptions): ClassTransformOptions | null {
  let resolved = optionsOf.get(options);
  if (resolved === undefined) {
    const isDefault = Object.entries(options).every(([name, value]) => name in defaultOptions && defaultOptions[name as keyof ClassTransformOptions] === value);
    resolved = isDefault ? { ...defaultOptions, ...options } : null;
    optionsOf.set(options, resolved);
  }
  return resolved;
}

function planFor(target: new () => object): TransformPlan | null {
  let plan = plans.get(target);
  if (plan === undefined) {
    plan = compile(target);
    plans.set(target, plan);
  }
  return plan;
}

function compile(target: new () => object): TransformPlan | null {
  const properties = compiledProperties(target);
  if (!properties) return null;
  const storage = defaultMetadataStorage;
  // Class-level or property-level @Expose/@Exclude change which keys are copied and under which name.
  if (storage.getExposedMetadatas(target).length > 0 || storage.getExcludedMetadatas(target).length > 0) return null;
  const probe = new target() as Record<string, unknown>;
  const transforms = new Map<string, TransformFn[]>();
  for (const name of properties) {
    // @Type changes how a value is built; a prototype member of that name is skipped by class-transformer.
    if (storage.findTypeMetadata(target, name)) return null;
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') return null;
    const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
    if ((descriptor && !descriptor.set) || probe[name] instanceof Function) return null;
    const applicable = storage
      .findTransformMetadatas(target, name, TransformationType.PLAIN_TO_CLASS)
      // class-transformer applies only the ungrouped ones when no groups are asked for.
      .filter((metadata) => !metadata.options?.groups?.length);
    transforms.set(
      name,
      applicable.map((metadata) => metadata.transformFn),
    );
  }
  return transforms;
}
