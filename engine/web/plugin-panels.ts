import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { ApiRegistry } from '../http/api-registry.js';
import type { ActivePanels } from '../plugin-host/plugin-host.js';

const Permission = z.object({
  id: z.string(),
  title: z.string(),
  consentPrompt: z.string().optional(),
});

const Panel = z.object({
  plugin: z.string(),
  title: z.string(),
  technician: z.string().optional().describe('URL of the console module'),
  endUser: z.string().optional().describe("URL of the end user's page module"),
  channels: z.array(z.string()),
  permissions: z.array(Permission),
});

type PanelEntry = z.infer<typeof Panel>;

/**
 * The panels of the active plugins: the list the console and the join page read, and the map
 * from a panel's URL to its file that the web server uses. Both are computed from the plugin
 * host on every call, so a plugin that stops takes its panels with it.
 */
export class PluginPanels {
  constructor(private readonly active: () => readonly ActivePanels[]) {}

  /** `GET /api/v1/ui/panels`: public, since the end user's page has no sign-in. */
  register(api: ApiRegistry): Disposable {
    return api.register(
      {
        method: 'GET',
        path: '/api/v1/ui/panels',
        operationId: 'listPanels',
        summary: 'The browser panels of the active plugins',
        tags: ['ui'],
        access: 'public',
        responses: { 200: { description: 'Panels', schema: z.object({ panels: z.array(Panel) }) } },
        handler: async () => ({ body: { panels: this.list() } }),
      },
      'engine',
    );
  }

  list(): PanelEntry[] {
    return this.active().map(({ name, ui, manifest }) => ({
      plugin: name,
      title: ui.title,
      ...(ui.technician ? { technician: panelUrl(name, ui.technician) } : {}),
      ...(ui.endUser ? { endUser: panelUrl(name, ui.endUser) } : {}),
      channels: [...(manifest.channels ?? [])],
      permissions: (manifest.permissions ?? []).map(({ id, title, consentPrompt }) => ({
        id,
        title,
        ...(consentPrompt ? { consentPrompt } : {}),
      })),
    }));
  }

  /** The file behind a panel URL, or undefined for any URL no active plugin declared. */
  fileOf(urlPath: string): string | undefined {
    for (const { name, location, ui } of this.active()) {
      for (const module of [ui.technician, ui.endUser]) {
        if (module !== undefined && urlPath === panelUrl(name, module)) {
          return path.join(folderOf(location), module);
        }
      }
    }
    return undefined;
  }
}

function panelUrl(plugin: string, module: string): string {
  return `/ui/plugins/${encodeURIComponent(plugin)}/${module}`;
}

function folderOf(location: string): string {
  return statSync(location, { throwIfNoEntry: false })?.isDirectory()
    ? location
    : path.dirname(location);
}
