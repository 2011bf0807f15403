// class-transformer keeps its decorators' metadata and its default options in modules its index
// does not re-export; compiled-transform.ts reads both (see why there). Types for those modules.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';

  export const defaultMetadataStorage: MetadataStorage;
}

declare module 'class-transformer/cjs/constants/default-options.constant.js' {
  import type { ClassTransformOptions } from 'class-transformer';

  export const defaultOptions: Readonly<ClassTransformOptions>;
}
