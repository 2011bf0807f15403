import { type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../../src/auth/public.decorator.js';

export interface RouteInfo {
  /** e.g. `GET /tasks/:id`: the method and the controller path, without the global prefix. */
  route: string;
  method: string;
  path: string;
  isPublic: boolean;
  handler: string;
}

/**
 * Every route handler of the running app, read from Nest's own metadata (the same the router and
 * the global guard use), with whether it is @Public().
 */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (methodPaths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const isPublic = reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [handler, controller]) === true;
        for (const controllerPath of toList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined)) {
          for (const methodPath of toList(methodPaths)) {
            const path = `/${[controllerPath, methodPath].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
            routes.push({ route: `${method} ${path}`, method, path, isPublic, handler: `${controller.name}.${name}` });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value : [value];
}
