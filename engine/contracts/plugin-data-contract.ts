import type { PluginRecordRepository, TenantId } from './storage-contract.js';

/**
 * A plugin's window onto storage: its own records, tenant by tenant. Plugins never receive the
 * whole Storage; the engine binds this contract per plugin, so one plugin cannot read another's.
 */
export interface PluginData {
  /** The calling plugin's records inside `tenantId`. */
  forTenant(tenantId: TenantId): PluginRecordRepository;
}

/** Token of the {@link PluginData} contract. */
export const PluginData = Symbol.for('tether.PluginData');
