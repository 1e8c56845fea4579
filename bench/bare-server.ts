/**
 * A second reference: Fastify with no plugins answering `/` with fixed bytes from memory, the
 * most one Node process can do for a page. Run by the bench with PORT and FILE set.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = readFileSync(process.env.FILE ?? '');
const app = Fastify({ logger: false });
app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(body));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
