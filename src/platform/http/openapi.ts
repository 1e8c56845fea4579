import { organisationRoles } from '../../shared/current-user.ts';
import { lifecycleStates } from '../../shared/lifecycle-states.ts';
import { partnerKinds, policingBodyKinds, scrutinyBodyKinds } from '../../features/organisations/organisations.tables.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const list = (name: string) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(name) } } });
const uuid = { type: 'string', format: 'uuid' };
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const errors = {
  '401': json(ref('Error'), 'Not signed in'),
  '403': json(ref('Error'), 'Your role does not allow this'),
};
const slugParameter = { name: 'slug', in: 'path', required: true, schema: { type: 'string' }, description: 'The body’s web address name' };

/** OpenAPI 3 description of /api/v1; a test checks it lists exactly the routes the app serves. */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Police and crime plans API',
      version: '1',
      description:
        'JSON twins of the service’s pages. Authenticate by signing in: the API uses the same session cookie and permissions as the pages.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pcp_session' } },
      schemas: {
        Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } },
        Membership: {
          type: 'object',
          properties: {
            policingBodyId: uuid,
            role: { type: 'string', enum: [...organisationRoles] },
            scrutinyBodyId: { ...uuid, nullable: true },
            partnerId: { ...uuid, nullable: true },
          },
        },
        Me: {
          type: 'object',
          properties: {
            id: uuid,
            email: { type: 'string' },
            displayName: { type: 'string' },
            isAdmin: { type: 'boolean' },
            memberships: { type: 'array', items: ref('Membership') },
          },
        },
        BodySummary: {
          type: 'object',
          properties: {
            id: uuid,
            name: { type: 'string' },
            slug: { type: 'string' },
            kind: { type: 'string', enum: [...policingBodyKinds] },
            holderName: { type: 'string' },
            forceAreaName: { type: 'string' },
          },
        },
        Body: {
          type: 'object',
          properties: {
            id: uuid,
            kind: { type: 'string', enum: [...policingBodyKinds] },
            name: { type: 'string' },
            slug: { type: 'string' },
            forceAreaId: { type: 'string', description: 'data.police.uk force id, e.g. avon-and-somerset' },
            holderName: { type: 'string' },
            holderTitle: { type: 'string' },
            termStartsOn: { type: 'string', format: 'date' },
            termEndsOn: { type: 'string', format: 'date' },
            publishesInWelsh: { type: 'boolean' },
            version: { type: 'integer' },
            scrutinyBody: {
              nullable: true,
              type: 'object',
              properties: {
                id: uuid,
                kind: { type: 'string', enum: [...scrutinyBodyKinds] },
                name: { type: 'string' },
                hostAuthority: { type: 'string' },
                version: { type: 'integer' },
              },
            },
            partners: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: uuid,
                  kind: { type: 'string', enum: [...partnerKinds] },
                  name: { type: 'string' },
                  website: { type: 'string', nullable: true },
                  version: { type: 'integer' },
                },
              },
            },
          },
        },
        Member: {
          type: 'object',
          properties: {
            membershipId: uuid,
            userId: uuid,
            displayName: { type: 'string' },
            email: { type: 'string' },
            role: { type: 'string', enum: [...organisationRoles] },
            partnerName: { type: 'string', nullable: true },
            status: { type: 'string', enum: ['active', 'invited'] },
          },
        },
        EditionProcess: {
          type: 'object',
          properties: {
            edition: { type: 'string' },
            state: { type: 'string', enum: [...lifecycleStates] },
            draftNumber: { type: 'integer' },
            actions: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  label: { type: 'string' },
                  basis: { type: 'string' },
                  url: { type: 'string' },
                  isOpen: { type: 'boolean' },
                  reasons: { type: 'array', items: { type: 'string' } },
                },
              },
            },
            history: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  event: { type: 'string' },
                  fromState: { type: 'string' },
                  toState: { type: 'string' },
                  happenedOn: { type: 'string', format: 'date' },
                  recordedAt: { type: 'string', format: 'date-time' },
                  actor: { type: 'string' },
                  statutoryBasis: { type: 'string' },
                  evidence: { type: 'object' },
                },
              },
            },
          },
        },
        User: {
          type: 'object',
          properties: {
            id: uuid,
            email: { type: 'string' },
            displayName: { type: 'string' },
            isAdmin: { type: 'boolean' },
            status: { type: 'string', enum: ['active', 'invited'] },
            lastSignedInAt: { type: 'string', format: 'date-time', nullable: true },
            memberships: {
              type: 'array',
              items: {
                type: 'object',
                properties: { body: { type: 'string' }, role: { type: 'string' }, partnerName: { type: 'string', nullable: true } },
              },
            },
          },
        },
      },
    },
    security: [{ session: [] }],
    paths: {
      '/api/v1/me': { get: { summary: 'The signed-in user and their roles', responses: { '200': json(ref('Me')), ...errors } } },
      '/api/v1/bodies': {
        get: {
          summary: 'Policing bodies you have a role in (all, for administrators)',
          responses: { '200': json(list('BodySummary')), ...errors },
        },
      },
      '/api/v1/bodies/{slug}': {
        get: {
          summary: 'A policing body with its scrutiny body and partners',
          parameters: [slugParameter],
          responses: { '200': json(ref('Body')), ...errors, '404': json(ref('Error'), 'No such body') },
        },
      },
      '/api/v1/bodies/{slug}/members': {
        get: {
          summary: 'People with a role in the body (commissioner, office staff and administrators)',
          parameters: [slugParameter],
          responses: { '200': json(list('Member')), ...errors, '404': json(ref('Error'), 'No such body') },
        },
      },
      '/api/v1/bodies/{slug}/plans/{planId}/editions/{n}/process': {
        get: {
          summary: 'Where an edition is in its statutory process: its state, the steps open to you (or why not) and its history',
          parameters: [
            slugParameter,
            { name: 'planId', in: 'path', required: true, schema: uuid, description: 'The plan' },
            { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The edition number' },
          ],
          responses: { '200': json(ref('EditionProcess')), ...errors, '404': json(ref('Error'), 'No such body, plan or edition') },
        },
      },
      '/api/v1/users': { get: { summary: 'Every user (administrators only)', responses: { '200': json(list('User')), ...errors } } },
    },
  };
}
