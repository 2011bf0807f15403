import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { McpController } from './mcp.controller.js';
import { McpEndpoint } from './mcp-endpoint.js';
import { ProtectedResource } from './protected-resource.js';
import { ProtectedResourceController } from './protected-resource.controller.js';

/** The tasks as MCP tools at /mcp, for AI assistants, with the REST API's tokens, validation and service. */
@Module({
  imports: [TasksModule],
  controllers: [McpController, ProtectedResourceController],
  providers: [McpEndpoint, ProtectedResource],
})
export class McpModule {}
