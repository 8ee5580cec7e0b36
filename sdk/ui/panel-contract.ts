/**
 * The UI contribution point: how a plugin adds a panel to the technician console and to the end
 * user's page. A plugin names its panel modules in its manifest (`ui`, see PluginUi in
 * engine/contracts); the engine serves them and lists them at `GET /api/v1/ui/panels`; a page
 * imports each module and calls `mount` once per session with a host. Pages know no feature by
 * name: everything a panel needs comes through its host.
 *
 * Panels style themselves with the classes of `/assets/tether.css` and `/assets/panel-kit.css`
 * (`panel-stack`, `feed`, `feed-item`, `mine`, `feed-who`, `feed-text`, `feed-meta`,
 * `feed-status`, `compose`, `compose-input`), which every page links: the CSP lets no panel
 * bring a stylesheet of its own or use inline styles.
 *
 * Everything that comes from the other side (chat text, names, file names) must be rendered as
 * text (`textContent`, or a library that escapes), never as HTML: the pages' Content-Security-
 * Policy forbids inline scripts, but a panel must not rely on it.
 */
import type { EndUserConsent } from '../session/end-user-consent.js';
import type { SessionClient } from '../session/session-client.js';
import type { TechnicianConsent } from '../session/technician-consent.js';
import type { TextStore } from '../session/text-store.js';

/** What both sides' hosts give a panel. */
export interface PanelHostBase {
  /** The element the panel renders into; the page empties it after the panel is disposed. */
  readonly element: HTMLElement;
  /**
   * The session client. The end user's page mounts its panels before it connects, so that no
   * message arrives before a panel listens; a panel speaks only on its plugin's channels.
   */
  readonly client: SessionClient;
  /** Aborted when the session ends or the page drops the panel. */
  readonly signal: AbortSignal;
  /** A short mark on the panel's tab (an unread count, say); `undefined` clears it. */
  setBadge(text: string | undefined): void;
  /**
   * What the panel keeps for this session across a reload of the page, in this tab only,
   * under names of its own (another panel's or another session's names do not meet it); the
   * tab's storage goes when the tab closes. The end user's page drops all of it when the
   * session ends; a technician's panel removes what it no longer needs.
   */
  readonly saved: TextStore;
}

/** The host of a panel in the technician console. */
export interface TechnicianPanelHost extends PanelHostBase {
  readonly side: 'technician';
  /**
   * The session's public id (as in `/api/v1/sessions/{id}`); never its GUID. Only the
   * technician's side has one: the end user joins with a code and never learns it.
   */
  readonly sessionRef: string;
  /** Asks the session's end user for a permission and tracks their grants. */
  readonly consent: TechnicianConsent;
  /** The end user's participant id, once they are connected. */
  endUser(): string | undefined;
  /**
   * Calls the plugin's own API below `/api/v1/plugins/<name>` as the signed-in technician
   * (the sign-in cookie with the CSRF header); `path` starts with `/`.
   */
  api(path: string, init?: PanelRequest): Promise<Response>;
}

/** The host of a panel on the end user's page. */
export interface EndUserPanelHost extends PanelHostBase {
  readonly side: 'end-user';
  /** Whether a technician may do something: their certificate's permission and a grant. */
  readonly consent: EndUserConsent;
}

/** A request of a panel to its plugin's API. */
export interface PanelRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  readonly body?: unknown;
}

/** What `mount` may hand back: a function the page calls when it drops the panel. */
export type PanelCleanup = void | (() => void);

/** A panel module's default export, made with `definePanel`. */
export type PanelModule =
  | {
      readonly side: 'technician';
      mount(host: TechnicianPanelHost): PanelCleanup | Promise<PanelCleanup>;
    }
  | {
      readonly side: 'end-user';
      mount(host: EndUserPanelHost): PanelCleanup | Promise<PanelCleanup>;
    };
