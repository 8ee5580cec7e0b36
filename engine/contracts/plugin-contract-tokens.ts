import { AuditLog } from './audit-log-contract.js';
import { Bus } from './bus-contract.js';
import { Clock } from './clock-contract.js';
import { Consent } from './consent-contract.js';
import { ContentCipher } from './content-cipher-contract.js';
import { FileTransfer } from './file-transfer-contract.js';
import { HttpRoutes } from './http-routes-contract.js';
import { Mailer } from './mailer-contract.js';
import { Permission } from './permission-contract.js';
import type { PluginContractName } from './plugin-contract.js';
import { PluginData } from './plugin-data-contract.js';
import { Recorder } from './recorder-contract.js';
import { Sessions } from './sessions-contract.js';
import { Transport } from './transport-contract.js';

/** The token behind each contract name a plugin manifest may list. */
export const PLUGIN_CONTRACT_TOKENS: Readonly<Record<PluginContractName, symbol>> = {
  Clock,
  Bus,
  HttpRoutes,
  PluginData,
  Mailer,
  Transport,
  Permission,
  Consent,
  AuditLog,
  Recorder,
  FileTransfer,
  Sessions,
  ContentCipher,
};
