import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { inject } from 'vitest';
import { freshUser } from './tokens.js';

/** A task as GET /api/tasks/:id returns it. */
export interface TaskJson {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: string | null;
  priority: 'none' | 'low' | 'medium' | 'high';
  tags: string[];
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  recurrence: string | null;
  timeZone: string | null;
  recurrenceBase: 'due' | 'completion';
}

/** A user of the tasks API: supertest requests already carrying their bearer token. */
export interface TasksUser {
  id: string;
  authorization: string;
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  delete(path: string): request.Test;
  /** Creates a task (expecting 201) and returns its body. */
  createTask(body: Record<string, unknown>): Promise<TaskJson>;
}

/** A fresh user (nobody else in the run has their id) of `app`. */
export async function tasksUser(app: NestFastifyApplication, prefix?: string): Promise<TasksUser> {
  const { id, authorization } = await freshUser(prefix);
  const server = app.getHttpServer();
  const user: TasksUser = {
    id,
    authorization,
    get: (path) => request(server).get(path).set('authorization', authorization),
    post: (path, body) => request(server).post(path).set('authorization', authorization).send(body as object),
    patch: (path, body) => request(server).patch(path).set('authorization', authorization).send(body as object),
    put: (path, body) => request(server).put(path).set('authorization', authorization).send(body as object),
    delete: (path) => request(server).delete(path).set('authorization', authorization),
    createTask: async (body) => (await user.post('/api/tasks', body).expect(201)).body as TaskJson,
  };
  return user;
}

/** Runs `work` with a client of this run's test database (for seeding or inspecting rows directly). */
export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The field names a problem+json validation error lists. */
export function errorFields(body: { errors?: { field: string }[] }): string[] {
  return [...new Set((body.errors ?? []).map((error) => error.field))];
}
