import type { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type AppConfig, loadConfig } from '../config/app-config.js';
import { ProtectedResource } from './protected-resource.js';

function resourceFor(env: Record<string, string>): ProtectedResource {
  const config = loadConfig(env);
  return new ProtectedResource({ get: (key: keyof AppConfig) => config[key] } as unknown as ConfigService<AppConfig, true>);
}

const requestTo = (host: string, protocol = 'http') => ({ host, protocol }) as FastifyRequest;

describe('ProtectedResource', () => {
  it('names the MCP endpoint on PUBLIC_URL, whatever Host a request carries, and the configured authorization servers', () => {
    const resource = resourceFor({ PUBLIC_URL: 'https://tasks.example', AUTH_AUTHORIZATION_SERVERS: 'https://auth.example' });
    expect(resource.metadata(requestTo('10.0.0.5:3000'))).toEqual({
      resource: 'https://tasks.example/mcp',
      authorization_servers: ['https://auth.example'],
      bearer_methods_supported: ['header'],
      resource_name: 'tasks-api',
    });
    expect(resource.metadataUrl(requestTo('10.0.0.5:3000'))).toBe('https://tasks.example/.well-known/oauth-protected-resource/mcp');
  });

  it('without PUBLIC_URL, uses the origin the request was sent to, and names no authorization server unless configured', () => {
    const resource = resourceFor({});
    expect(resource.metadata(requestTo('api.example:8443', 'https'))).toEqual({ resource: 'https://api.example:8443/mcp', bearer_methods_supported: ['header'], resource_name: 'tasks-api' });
  });

  it('answers a Host header that names no host with a placeholder rather than failing', () => {
    expect(resourceFor({}).metadataUrl(requestTo('bad host:99999'))).toBe('http://localhost/.well-known/oauth-protected-resource/mcp');
  });
});
