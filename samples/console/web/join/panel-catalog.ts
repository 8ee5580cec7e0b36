import { api } from '../shared/api-client.js';
import type { PanelEntry, PanelPermission as DeclaredPermission } from '../shared/panel-list.js';

export type { PanelEntry } from '../shared/panel-list.js';

/** The engine's list of panels, with the declared permissions looked up by id. */
export class PanelCatalog {
  private readonly byId: ReadonlyMap<string, DeclaredPermission>;

  constructor(readonly panels: readonly PanelEntry[]) {
    this.byId = new Map(panels.flatMap((panel) => panel.permissions.map((p) => [p.id, p])));
  }

  /** Reads the list from the engine (public: the end user has no sign-in). */
  static async load(): Promise<PanelCatalog> {
    const { panels } = await api<{ panels: PanelEntry[] }>('/api/v1/ui/panels');
    return new PanelCatalog(panels);
  }

  /** The panels the end user's page mounts. */
  endUserPanels(): readonly (PanelEntry & { readonly endUser: string })[] {
    return this.panels.filter((panel): panel is PanelEntry & { endUser: string } =>
      Boolean(panel.endUser),
    );
  }

  /** A permission's short name: its declared title, or its id when no plugin declares it. */
  titleOf(permission: string): string {
    return this.byId.get(permission)?.title ?? permission;
  }

  /** The plugin's consent prompt for `permission`, if its manifest has one. */
  promptOf(permission: string): string | undefined {
    return this.byId.get(permission)?.consentPrompt;
  }
}
