/** A permission a plugin declared, as `GET /api/v1/ui/panels` lists it. */
export interface PanelPermission {
  readonly id: string;
  readonly title: string;
  /** The plugin's plain words for the end user; absent when none were written. */
  readonly consentPrompt?: string;
}

/** One active plugin's panels, as `GET /api/v1/ui/panels` lists them. */
export interface PanelEntry {
  readonly plugin: string;
  readonly title: string;
  /** URL of the console's module. */
  readonly technician?: string;
  /** URL of the end user's page module. */
  readonly endUser?: string;
  readonly channels: readonly string[];
  readonly permissions: readonly PanelPermission[];
}
