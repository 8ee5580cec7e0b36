import { AuditLog } from '../contracts/audit-log-contract.js';
import type { MemberRole, Storage } from '../contracts/storage-contract.js';
import { Engine } from '../engine.js';
import { TetherError } from '../errors.js';
import { policyOf } from '../identity/identity-deps.js';
import { PasswordHasher } from '../identity/password-hasher.js';
import { checkPassword } from '../identity/password-policy.js';
import { DEFAULT_TENANT_POLICY } from '../identity/tenant-policy.js';
import { startAudit } from '../identity/start-identity.js';
import { loggerFrom, say, settingsFrom, type CommandArgs } from './cli-support.js';

const CLI_ACTOR = { kind: 'system' as const, label: 'tether CLI' };

/** Opens storage and the audit log, runs `work`, and stops again. */
async function withStorage<T>(
  args: CommandArgs,
  work: (storage: Storage, audit: AuditLog, engine: Engine) => Promise<T>,
): Promise<T> {
  const settings = settingsFrom(args);
  const engine = new Engine(settings, { logger: loggerFrom(settings) });
  try {
    const { storage } = await engine.prepareStorage();
    const audit = startAudit(engine.root, storage, loggerFrom(settings));
    return await work(storage, audit, engine);
  } finally {
    await engine.stop('command done');
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new TetherError('TETHER_E_CONFIG', '--password-stdin reads the password from a pipe');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `tether admin create`: a member with a password, in a tenant made if it does not exist. */
export async function runAdminCreate(args: CommandArgs): Promise<void> {
  const password = await readStdin();
  const tenantName = String(args.tenant);
  const email = String(args.email);
  const role = String(args.role) as MemberRole;
  const displayName = String(args['display-name'] ?? email);
  await withStorage(args, async (storage, audit) => {
    const existing = await storage.tenants.findByName(tenantName);
    const policy = existing ? await policyOf(storage, existing.id) : DEFAULT_TENANT_POLICY;
    checkPassword(password, policy.password, { email, displayName, tenantName });
    const passwordHash = await new PasswordHasher().hash(password);
    const { tenant, member } = await storage.transaction(async (unit) => {
      const tenant = existing ?? (await unit.tenants.create(tenantName));
      const members = unit.forTenant(tenant.id).members;
      const member = await members.create({ email, displayName, role });
      await members.updateCredentials(member.id, { passwordHash, passwordChangedAt: new Date() });
      return { tenant, member };
    });
    await audit.append({
      tenantId: tenant.id,
      action: 'member.created',
      actor: CLI_ACTOR,
      target: { kind: 'member', id: member.id },
      after: { email, displayName, role },
      details: existing ? {} : { tenantCreated: true },
    });
    if (!existing) say(`made the tenant "${tenantName}"`);
    say(`made the ${role} ${email} in "${tenantName}"`);
  });
}

/** `tether admin unlock`: lifts a lockout and restarts the count of failed attempts. */
export async function runAdminUnlock(args: CommandArgs): Promise<void> {
  const tenantName = String(args.tenant);
  const email = String(args.email);
  await withStorage(args, async (storage, audit) => {
    const tenant = await storage.tenants.findByName(tenantName);
    const members = tenant ? storage.forTenant(tenant.id).members : undefined;
    const member = await members?.findByEmail(email);
    if (!tenant || !members || !member) {
      throw new TetherError('TETHER_E_NOT_FOUND', `no member ${email} in tenant "${tenantName}"`);
    }
    await members.updateCredentials(member.id, { lockedAt: null, failedAttempts: 0 });
    await audit.append({
      tenantId: tenant.id,
      action: 'auth.account.unlocked',
      actor: CLI_ACTOR,
      target: { kind: 'member', id: member.id },
      before: { locked: member.lockedAt !== undefined },
      after: { locked: false },
    });
    say(member.lockedAt ? `unlocked ${email}` : `${email} was not locked; attempts reset`);
  });
}

/** `tether audit verify`: checks every tenant's chain (or one), naming the first bad record. */
export async function runAuditVerify(args: CommandArgs): Promise<void> {
  const only = typeof args.tenant === 'string' ? args.tenant : undefined;
  const bad = await withStorage(args, async (storage, audit) => {
    let failures = 0;
    for await (const tenant of tenantsOf(storage, only)) {
      const result = await audit.verify(tenant.id);
      if (result.firstBad) {
        failures += 1;
        say(`tenant "${tenant.name}": record ${result.firstBad.seq}: ${result.firstBad.reason}`);
      } else {
        say(`tenant "${tenant.name}": ${result.checked} records, the chain holds`);
      }
    }
    return failures;
  });
  if (bad > 0)
    throw new TetherError('TETHER_E_AUDIT', `the audit chain of ${bad} tenant(s) is broken`);
}

async function* tenantsOf(storage: Storage, only: string | undefined) {
  if (only !== undefined) {
    const tenant = await storage.tenants.findByName(only);
    if (!tenant) throw new TetherError('TETHER_E_NOT_FOUND', `no tenant "${only}"`);
    yield tenant;
    return;
  }
  for (let after: string | undefined; ;) {
    const page = await storage.tenants.list({ limit: 100, after });
    yield* page.items;
    if (!page.next) return;
    after = page.next;
  }
}
