import type { Container } from 'inversify';
import { AuditService } from '../audit/audit-service.js';
import { AuditLog } from '../contracts/audit-log-contract.js';
import { Clock } from '../contracts/clock-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import { KeyStore } from '../contracts/key-store-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import { Mailer } from '../contracts/mailer-contract.js';
import { SmsSender } from '../contracts/sms-sender-contract.js';
import { Permission } from '../contracts/permission-contract.js';
import type { Storage } from '../contracts/storage-contract.js';
import { TenantCipher } from '../crypto/tenant-cipher.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { registerAdminScopeRoutes } from './admin-scope-routes.js';
import { ApiKeyAuthenticator, presentsApiKey } from './api-key-authenticator.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerGroupAdminRoutes } from './group-admin-routes.js';
import { GroupPermissionService } from './group-permission-service.js';
import { registerMemberAdminRoutes } from './member-admin-routes.js';
import type { CatalogueEntry } from './permission-catalogue.js';
import { registerPermissionCatalogueRoutes } from './permission-catalogue-routes.js';
import { registerPolicyAdminRoutes } from './policy-admin-routes.js';
import { registerSsoRoutes } from './sso-routes.js';
import type { IdentityDeps } from './identity-deps.js';
import { PasswordChangeService } from './password-change-service.js';
import { PasswordHasher } from './password-hasher.js';
import { SecondFactorService } from './second-factor-service.js';
import { SessionAuthenticator } from './session-authenticator.js';
import { SignInService } from './sign-in-service.js';
import { Totp } from './totp.js';

/** Makes the audit log and binds it, so that even the first start is audited. */
export function startAudit(root: Container, storage: Storage, logger: Logger): AuditService {
  const audit = new AuditService(
    storage,
    root.get<KeyStore>(KeyStore),
    root.get<Clock>(Clock),
    logger.child({ name: 'engine:audit' }),
  );
  root.bind(AuditLog).toConstantValue(audit);
  return audit;
}

/** What the identity services share, from the root container. */
export function identityDepsOf(root: Container, storage: Storage, logger: Logger): IdentityDeps {
  return {
    storage,
    audit: root.get<AuditLog>(AuditLog),
    clock: root.get<Clock>(Clock),
    hasher: new PasswordHasher(),
    cipher: new TenantCipher(root.get<KeyStore>(KeyStore)),
    totp: new Totp(),
    mailer: root.isBound(Mailer) ? root.get<Mailer>(Mailer) : undefined,
    sms: root.isBound(SmsSender) ? root.get<SmsSender>(SmsSender) : undefined,
    logger: logger.child({ name: 'engine:identity' }),
    issuer: 'Tether',
  };
}

/** Puts sign-in together: the services, the request authenticator and the auth routes. */
export function startIdentity(
  root: Container,
  api: ApiRegistry,
  storage: Storage,
  logger: Logger,
  catalogue: () => readonly CatalogueEntry[],
  publicUrl?: string,
): Disposable[] {
  const deps = identityDepsOf(root, storage, logger);
  const sessions = new SessionAuthenticator(deps);
  const apiKeys = new ApiKeyAuthenticator(deps);
  api.useAuthenticator({
    authenticate: (credentials, access) =>
      (presentsApiKey(credentials) ? apiKeys : sessions).authenticate(credentials, access),
  });
  root.bind(Permission).toConstantValue(new GroupPermissionService(storage, catalogue));
  const admin = { api, storage, audit: deps.audit, clock: deps.clock };
  return [
    ...registerAuthRoutes({
      api,
      identity: deps,
      signIn: new SignInService(deps),
      passwords: new PasswordChangeService(deps),
      secondFactor: new SecondFactorService(deps),
    }),
    ...registerMemberAdminRoutes(admin),
    ...registerAdminScopeRoutes(admin),
    ...registerGroupAdminRoutes({ ...admin, catalogue }),
    ...registerPermissionCatalogueRoutes(api, catalogue),
    ...registerPolicyAdminRoutes(admin),
    ...registerSsoRoutes({ api, identity: deps, ...(publicUrl ? { publicUrl } : {}) }),
    ...registerApiKeyRoutes(admin),
  ];
}
