import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { ADMIN_ROLES } from './admin-reach.js';
import type { CatalogueEntry } from './permission-catalogue.js';

const Entry = z.object({
  id: z.string(),
  title: z.string(),
  byDefault: z.boolean().describe('What a group has where no group above it says otherwise'),
});

/** Registers the permission catalogue: the built-in permissions and the active plugins'. */
export function registerPermissionCatalogueRoutes(
  api: ApiRegistry,
  catalogue: () => readonly CatalogueEntry[],
): Disposable[] {
  return [
    api.register(
      {
        method: 'GET',
        path: '/api/v1/permissions',
        operationId: 'listPermissions',
        summary: 'Every permission a group can allow or deny, with its title and default',
        tags: ['groups'],
        roles: ADMIN_ROLES,
        responses: {
          200: { description: 'The catalogue', schema: z.object({ items: z.array(Entry) }) },
        },
        handler: async () => ({
          body: {
            items: catalogue().map((entry) => ({
              id: entry.id,
              title: entry.title,
              byDefault: entry.byDefault,
            })),
          },
        }),
      },
      'engine',
    ),
  ];
}
