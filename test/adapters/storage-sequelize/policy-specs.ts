import { expect } from 'chai';
import type { JsonValue } from '../../../engine/contracts/json-value.js';
import type { TenantScope } from '../../../engine/contracts/storage-contract.js';
import { uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const POLICY: JsonValue = {
  password: { minLength: 14, minScore: 3, history: 5 },
  secondFactor: { required: true, methods: ['totp', 'email'] },
  session: { idleMinutes: 30, absoluteHours: 12 },
  lockout: { maxAttempts: 5, minutes: 15 },
  addresses: { allow: ['192.0.2.0/24', '2001:db8::/32'], deny: [] },
  note: 'Zürich – 東京 – "quoted" \\ back',
  nothing: null,
  ratio: 0.25,
};

export function policySpecs(context: SuiteContext): void {
  const scopeOfNewTenant = async (label: string): Promise<TenantScope> => {
    const tenant = await context.storage.tenants.create(uniqueName(label));
    return context.storage.forTenant(tenant.id);
  };

  describe('tenant policy', () => {
    it('is undefined until the tenant puts one', async () => {
      const scope = await scopeOfNewTenant('policy-none');
      expect(await scope.policy.get()).to.equal(undefined);
    });

    it('reads back the document it was given, unchanged', async () => {
      const scope = await scopeOfNewTenant('policy-put');
      await scope.policy.put(POLICY, new Date());
      expect(await scope.policy.get()).to.deep.equal(POLICY);
    });

    it('replaces the whole document on a second put', async () => {
      const scope = await scopeOfNewTenant('policy-replace');
      await scope.policy.put(POLICY, new Date());
      const replacement = { lockout: { maxAttempts: 3, minutes: 60 } };
      await scope.policy.put(replacement, new Date());
      expect(await scope.policy.get()).to.deep.equal(replacement);
    });

    it('keeps one document per tenant, each seeing only its own', async () => {
      const a = await scopeOfNewTenant('policy-a');
      const b = await scopeOfNewTenant('policy-b');
      const c = await scopeOfNewTenant('policy-c');
      await a.policy.put({ owner: 'a' }, new Date());
      await b.policy.put({ owner: 'b' }, new Date());
      await a.policy.put({ owner: 'a', again: true }, new Date());
      expect(await a.policy.get()).to.deep.equal({ owner: 'a', again: true });
      expect(await b.policy.get()).to.deep.equal({ owner: 'b' });
      expect(await c.policy.get()).to.equal(undefined);
    });
  });
}
