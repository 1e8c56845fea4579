import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

type Options = { services: Services };

export async function lifecycleRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  void app;
  void services;
}
