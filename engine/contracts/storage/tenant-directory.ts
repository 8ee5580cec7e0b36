import type { Page, PageRequest } from './paging.js';

/** A tenant's id (a UUID). Branded so that a stray string cannot stand in for one. */
export type TenantId = string & { readonly __tenantId: unique symbol };

/** One customer account; everything else the engine stores belongs to exactly one tenant. */
export interface Tenant {
  readonly id: TenantId;
  readonly name: string;
  readonly createdAt: Date;
}

/**
 * The tenants themselves: the one repository that is not inside a tenant. Promises: names are
 * unique (case-sensitive); `create` of a taken name rejects with TETHER_E_CONFLICT.
 */
export interface TenantDirectory {
  create(name: string): Promise<Tenant>;
  findById(id: string): Promise<Tenant | undefined>;
  findByName(name: string): Promise<Tenant | undefined>;
  list(page?: PageRequest): Promise<Page<Tenant>>;
  count(): Promise<number>;
}
