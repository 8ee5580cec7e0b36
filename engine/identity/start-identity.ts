import type { Container } from 'inversify';
import { AuditService } from '../audit/audit-service.js';
import { AuditLog } from '../contracts/audit-log-contract.js';
import { Clock } from '../contracts/clock-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import { KeyStore } from '../contracts/key-store-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import { Mailer } from '../contracts/mailer-contract.js';
import type { Storage } from '../contracts/storage-contract.js';
import { TenantCipher } from '../crypto/tenant-cipher.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { registerAuthRoutes } from './auth-routes.js';
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

/** Puts sign-in together: the services, the request authenticator and the auth routes. */
export function startIdentity(
  root: Container,
  api: ApiRegistry,
  storage: Storage,
  logger: Logger,
): Disposable[] {
  const keys = root.get<KeyStore>(KeyStore);
  const deps: IdentityDeps = {
    storage,
    audit: root.get<AuditLog>(AuditLog),
    clock: root.get<Clock>(Clock),
    hasher: new PasswordHasher(),
    cipher: new TenantCipher(keys),
    totp: new Totp(),
    mailer: root.isBound(Mailer) ? root.get<Mailer>(Mailer) : undefined,
    logger: logger.child({ name: 'engine:identity' }),
    issuer: 'Tether',
  };
  api.useAuthenticator(new SessionAuthenticator(deps));
  return registerAuthRoutes({
    api,
    identity: deps,
    signIn: new SignInService(deps),
    passwords: new PasswordChangeService(deps),
    secondFactor: new SecondFactorService(deps),
  });
}
