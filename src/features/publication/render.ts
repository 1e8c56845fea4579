import nunjucks from 'nunjucks';
import { configureNunjucks, templateDirectories } from '../../platform/views/views.ts';

/**
 * The public site renders outside @fastify/view: its pages are rendered once, kept as bytes and
 * served to everyone, so they must not depend on the request (no user, CSRF token or CSP nonce).
 * The environment is configured as the service's own (src/platform/views/views.ts).
 */
let environment: nunjucks.Environment | undefined;

function views(): nunjucks.Environment {
  if (!environment) {
    environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(templateDirectories), {
      autoescape: true,
      throwOnUndefined: false,
    });
    configureNunjucks(environment);
  }
  return environment;
}

export function renderTemplate(template: string, data: Record<string, unknown>): string {
  return views().render(template, data);
}
