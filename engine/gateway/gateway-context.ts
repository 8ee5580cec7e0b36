import type { Logger } from '../contracts/logger-contract.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type { SessionGatewayPort } from '../sessions/session-port.js';
import type { SessionSigningKey } from '../sessions/session-signing-key.js';
import type { GatewayConnection } from './gateway-connection.js';
import type { QueueWatchers } from './queue-watchers.js';
import type { SessionRooms } from './session-rooms.js';

/** What every connection of one gateway shares. */
export interface GatewayContext {
  readonly port: () => SessionGatewayPort;
  readonly signingKey: () => SessionSigningKey;
  readonly rooms: SessionRooms;
  readonly watchers: QueueWatchers;
  /** The `engine:gateway` logger. */
  readonly logger: Logger;
  readonly metrics: EngineMetrics;
  readonly authTimeoutMs: number;
  /** How long a joining connection collects `present` answers before `ready`. */
  readonly peerWaitMs: number;
  /** How often a signed-in connection's sign-in is checked again. */
  readonly recheckMs: number;
  /** Called once when the connection is over, whoever ended it. */
  readonly finished: (connection: GatewayConnection) => void;
}
