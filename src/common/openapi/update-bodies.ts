import type { OpenAPIObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger';

/**
 * This API's PATCH and PUT change only the fields that are sent. Their body schemas are partial
 * types of the create bodies and inherit their `default`s (completed: false, priority: none),
 * which would say that an absent field is reset, and make generated clients send it.
 */
export function withoutDefaultsInUpdateBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of [pathItem.patch, pathItem.put]) {
      for (const media of Object.values((operation?.requestBody as RequestBodyObject | undefined)?.content ?? {})) {
        const name = (media.schema as ReferenceObject | undefined)?.$ref?.split('/').pop();
        const schema = name ? (schemas[name] as SchemaObject | undefined) : undefined;
        for (const property of Object.values(schema?.properties ?? {})) delete (property as SchemaObject).default;
      }
    }
  }
  return document;
}
