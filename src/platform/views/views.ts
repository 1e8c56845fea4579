import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type nunjucks from 'nunjucks';
import { formatDate, formatDateTime } from '../../shared/dates.ts';
import { paths } from '../../shared/paths.ts';

const require = createRequire(import.meta.url);
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const govukFrontendDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** Template folders: our layouts and partials, each feature's `views/`, then govuk-frontend's macros. */
export const templateDirectories = [
  path.join(projectRoot, 'views'),
  path.join(projectRoot, 'src', 'features'),
  path.join(projectRoot, 'src', 'platform'),
  govukFrontendDist,
];

export const assetDirectories = [
  path.join(govukFrontendDist, 'govuk', 'assets'),
  path.join(govukFrontendDist, 'govuk'),
  path.join(projectRoot, 'public'),
];

const wholeNumbers = new Intl.NumberFormat('en-GB');

export function configureNunjucks(environment: nunjucks.Environment): void {
  environment.addFilter('date', formatDate);
  // 12,345: counts people read, with thousands separated.
  environment.addFilter('wholeNumber', (value: number) => wholeNumbers.format(value));
  environment.addFilter('dateTime', formatDateTime);
  environment.addGlobal('paths', paths);
  environment.addGlobal('serviceName', 'Police and crime plans');
}
