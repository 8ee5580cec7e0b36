import type { Container } from 'inversify';
import { AuditLog } from '../contracts/audit-log-contract.js';
import { Bus } from '../contracts/bus-contract.js';
import { Clock } from '../contracts/clock-contract.js';
import { Consent } from '../contracts/consent-contract.js';
import { ContentCipher } from '../contracts/content-cipher-contract.js';
import { KeyStore } from '../contracts/key-store-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import { Permission } from '../contracts/permission-contract.js';
import { Sessions } from '../contracts/sessions-contract.js';
import type { Storage } from '../contracts/storage-contract.js';
import { TenantCipher } from '../crypto/tenant-cipher.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { identityDepsOf } from '../identity/start-identity.js';
import { SessionAuthenticator } from '../identity/session-authenticator.js';
import { GatewayTickets } from './gateway-tickets.js';
import { registerColleagueRoute } from './colleague-route.js';
import { registerGatewayTicketRoute } from './gateway-ticket-route.js';
import { registerJoinRoutes } from './join-routes.js';
import { JoinService } from './join-service.js';
import { PresenceWriter } from './presence-writer.js';
import { SessionDirectory } from './session-directory.js';
import { SessionEvents } from './session-events.js';
import { SessionGateway } from './session-gateway.js';
import { registerSessionRoutes } from './session-routes.js';
import { SessionService } from './session-service.js';
import { SessionSigningKey } from './session-signing-key.js';
import { SessionStateMachine } from './session-state-machine.js';
import { SessionSweeper } from './session-sweeper.js';
import type { SessionSettings, SessionsDeps } from './sessions-deps.js';
import type { Disposable } from '../contracts/disposable.js';

/** The sessions service as the engine holds it once started. */
export interface StartedSessions {
  readonly gateway: SessionGateway;
  readonly signingKey: SessionSigningKey;
  readonly service: SessionService;
  readonly sweeper: SessionSweeper;
  /** The routes and the sweeper, undone in reverse order on stop. */
  readonly disposables: readonly Disposable[];
}

/**
 * Puts the sessions service together after identity and before plugins: the signing key from
 * the key store, the state machine, the REST routes, the gateway port, the sweeper, and the
 * Sessions, Consent and ContentCipher contracts bound in the root container.
 */
export async function startSessions(
  root: Container,
  api: ApiRegistry,
  storage: Storage,
  logger: Logger,
  settings: SessionSettings,
): Promise<StartedSessions> {
  const log = logger.child({ name: 'engine:sessions' });
  const clock = root.get<Clock>(Clock);
  const bus = root.get<Bus>(Bus);
  const events = new SessionEvents(log);
  const signingKey = await SessionSigningKey.load(root.get<KeyStore>(KeyStore));
  const deps: SessionsDeps = {
    storage,
    audit: root.get<AuditLog>(AuditLog),
    clock,
    bus,
    permission: root.get<Permission>(Permission),
    machine: new SessionStateMachine({ storage, bus, clock, events, logger: log }),
    events,
    signingKey,
    settings,
    logger: log,
  };
  const service = new SessionService(deps);
  const presence = new PresenceWriter(storage, clock, log);
  const authenticator = new SessionAuthenticator(identityDepsOf(root, storage, logger));
  const tickets = new GatewayTickets(storage, clock, log);
  const gateway = new SessionGateway(deps, service, authenticator, presence, tickets);
  const sweeper = new SessionSweeper(storage, service, presence, clock, settings.graceSeconds, log);

  const directory = new SessionDirectory(storage, events, log);
  root.bind(Sessions).toConstantValue(directory);
  root.bind(Consent).toConstantValue(directory);
  root.bind(ContentCipher).toConstantValue(new TenantCipher(root.get<KeyStore>(KeyStore)));

  const routes = [
    ...registerSessionRoutes({ api, deps, service }),
    ...registerJoinRoutes(api, new JoinService(deps, service)),
    registerGatewayTicketRoute(api, deps, tickets),
    registerColleagueRoute(api, deps),
  ];
  sweeper.start();
  log.info({ graceSeconds: settings.graceSeconds }, 'sessions started');
  const stopSweeper: Disposable = { dispose: () => sweeper.stop() };
  return { gateway, signingKey, service, sweeper, disposables: [stopSweeper, ...routes] };
}
