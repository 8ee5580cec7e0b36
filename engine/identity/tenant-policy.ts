import { z } from 'zod';
import type { MemberRole } from '../contracts/storage-contract.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** A tenant's policy: what its members' passwords, second factors and sign-ins must meet. */
export const TenantPolicySchema = z.object({
  password: z
    .object({
      minLength: int(8, 128).default(12),
      minStrength: z.literal([0, 1, 2, 3, 4]).default(3),
      maxAgeDays: int(1, 3650).optional(),
    })
    .prefault({}),
  lockout: z
    .object({
      maxAttempts: int(1, 100).default(5),
      /** Absent: only an administrator unlocks. */
      unlockAfterMinutes: int(1, 525_600).optional(),
    })
    .prefault({}),
  secondFactor: z
    .object({
      required: z.enum(['nobody', 'administrators', 'everyone']).default('nobody'),
      methods: z
        .array(z.enum(['totp', 'email', 'sms']))
        .min(1)
        .default(['totp', 'email']),
    })
    .prefault({}),
  session: z
    .object({
      idleMinutes: int(1, 1440).default(30),
      reauthHours: int(1, 720).default(12),
    })
    .prefault({}),
  /** SAML 2.0 single sign-on through the tenant's identity provider. */
  sso: z
    .object({
      enabled: z.boolean().default(false),
      /** The identity provider's single sign-on URL (HTTP-Redirect binding). */
      entryPoint: z.url({ protocol: /^https?$/ }).optional(),
      /** The identity provider's entity id, checked as the response's issuer. */
      idpIssuer: z.string().min(1).max(500).optional(),
      /** The identity provider's signing certificate, PEM or bare base64. */
      idpCertificate: z.string().min(100).max(20_000).optional(),
    })
    .prefault({}),
  /** Support sessions: whether the engine keeps chat text (sent by the technician's side). */
  sessions: z
    .object({
      chatText: z.enum(['store', 'omit']).default('store'),
    })
    .prefault({}),
  /** Addresses members may sign in from; empty: anywhere. */
  ipAllowList: z.array(z.string()).max(500).default([]),
});

/** A tenant's policy with every default filled in. */
export type TenantPolicy = z.output<typeof TenantPolicySchema>;

/** The policy of a tenant that never set one. */
export const DEFAULT_TENANT_POLICY: TenantPolicy = TenantPolicySchema.parse({});

/** Whether the policy asks a member of `role` for a second factor. */
export function secondFactorRequired(policy: TenantPolicy, role: MemberRole): boolean {
  const { required } = policy.secondFactor;
  return required === 'everyone' || (required === 'administrators' && role !== 'technician');
}
