import type { Container } from 'inversify';
import type { Disposable } from './disposable.js';
import type { Logger } from './logger-contract.js';

/**
 * What a plugin's name looks like: a lower-case npm package name, optionally scoped
 * (`chat`, `@acme/crm-post`), at most 100 characters.
 */
export const PLUGIN_NAME_PATTERN =
  /^(?=.{1,100}$)(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * The name the engine keeps its own records under in plugin-record storage (gateway tickets);
 * a manifest with this name is refused, so no plugin can read or write them.
 */
export const ENGINE_RECORDS = '@tether/engine';

/** The engine contracts a plugin may ask for by name in its manifest. */
export type PluginContractName =
  | 'Clock'
  | 'Bus'
  | 'HttpRoutes'
  | 'PluginData'
  | 'Mailer'
  | 'Transport'
  | 'Permission'
  | 'Consent'
  | 'AuditLog'
  | 'Recorder'
  | 'FileTransfer'
  | 'Sessions'
  | 'ContentCipher';

/** A permission a plugin adds to the group matrix, with the end user's consent prompt if any. */
export interface PermissionDeclaration {
  /** Lower-case id, unique across plugins, such as `remote-control`. */
  readonly id: string;
  /** Short name shown to administrators. */
  readonly title: string;
  readonly description?: string;
  /** Plain words put to the end user before the action; absent when no consent is needed. */
  readonly consentPrompt?: string;
}

/**
 * What a plugin declares about itself. It is checked when the plugin registers: a bad field is
 * a TETHER_E_PLUGIN_MANIFEST error naming the plugin and the field.
 */
export interface PluginManifest {
  /** Lower-case npm-style name (`chat`, `@acme/crm-post`); unique among loaded plugins. */
  readonly name: string;
  /** The plugin's own semver version. */
  readonly version: string;
  readonly description?: string;
  /** Semver range of engine versions the plugin supports, such as `^0.1.0`. */
  readonly engine: string;
  /** Plugins this one needs, by name, with the version range of each. */
  readonly requires?: Readonly<Record<string, string>>;
  /** Engine contracts the plugin uses; nothing else is bound in its container. */
  readonly contracts?: readonly PluginContractName[];
  readonly permissions?: readonly PermissionDeclaration[];
  /** Names of the session channels the plugin speaks on. */
  readonly channels?: readonly string[];
  /** Panels the plugin adds to the technician console and the end user's page. */
  readonly ui?: PluginUi;
}

/**
 * A plugin's browser panels: ES modules inside the plugin's folder, given as paths relative to
 * it (`ui/technician-panel.js`). The engine serves exactly these files and lists them at
 * `GET /api/v1/ui/panels`; the console and the join page import each module and mount its
 * default export (`definePanel` in `sdk/ui`). Neither page knows a feature by name.
 */
export interface PluginUi {
  /** The tab's title, such as `Chat`. */
  readonly title: string;
  /** The module the technician console mounts for each session. */
  readonly technician?: string;
  /** The module the end user's browser page mounts. */
  readonly endUser?: string;
}

/**
 * What a plugin's `activate` receives. Everything registered through it (routes, subscriptions,
 * anything passed to `track`) is undone when the plugin stops or fails.
 */
export interface PluginContext {
  readonly manifest: PluginManifest;
  /** Named `plugin:<name>`. */
  readonly logger: Logger;
  /** The plugin's section of the engine configuration (`pluginSettings.<name>`). */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * The plugin's own inversify container: the contracts its manifest declared, and whatever the
   * plugin binds itself. Never the engine's root container nor another plugin's.
   */
  readonly container: Container;
  /** A declared contract; throws TETHER_E_PLUGIN_UNDECLARED_CONTRACT for any other. */
  get<T>(token: symbol): T;
  /** Disposes `disposable` when the plugin stops; returns it. */
  track<T extends Disposable>(disposable: T): T;
  /** Aborted when the plugin stops or runs out of time, so long work can end early. */
  readonly signal: AbortSignal;
}

/** What `activate` may hand back: things to dispose when the plugin stops. */
export type ActivationResult = void | Disposable | readonly Disposable[];

/** A plugin: the default export of its folder or package. */
export interface TetherPlugin {
  readonly manifest: PluginManifest;
  activate(context: PluginContext): ActivationResult | Promise<ActivationResult>;
  /** Runs first when the plugin stops, before its registrations are disposed. */
  deactivate?(): void | Promise<void>;
}
