import type { TestRequest, TestResponse } from '../../sdk/testing/https-request.js';

type Send = (pathname: string, init?: TestRequest) => Promise<TestResponse>;

const PASSWORD = 'a fresh and long test passphrase 42';

/** Bearer headers of one signed-in member, with the member's id. */
export interface RemoteMember {
  readonly id: string;
  readonly token: string;
  readonly headers: Record<string, string>;
}

function ok(answer: TestResponse, status: number, what: string): unknown {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.json;
}

/** Signs in with a one-time secret and sets a password, as a new member does: over the API. */
export async function signInWithSecret(
  send: Send,
  tenant: string,
  email: string,
  secret: string,
): Promise<RemoteMember> {
  const login = ok(
    await send('/api/v1/auth/login', {
      method: 'POST',
      body: { tenant, email, password: secret, client: 'api' },
    }),
    200,
    'sign-in',
  ) as { token: string; member: { id: string } };
  const headers = { authorization: `Bearer ${login.token}` };
  const change = { method: 'POST', headers, body: { newPassword: PASSWORD } } as const;
  ok(await send('/api/v1/auth/password', change), 200, 'password change');
  return { id: login.member.id, token: login.token, headers };
}

/** Makes a group with `allowed` permissions granted and `denied` ones refused. */
export async function makeGroup(
  send: Send,
  admin: RemoteMember,
  name: string,
  permissions: { readonly allowed: readonly string[]; readonly denied: readonly string[] },
): Promise<string> {
  const group = ok(
    await send('/api/v1/groups', { method: 'POST', headers: admin.headers, body: { name } }),
    201,
    'group',
  ) as { id: string };
  const set = async (permission: string, allowed: boolean) =>
    ok(
      await send(`/api/v1/groups/${group.id}/permissions/${permission}`, {
        method: 'PUT',
        headers: admin.headers,
        body: { allowed },
      }),
      200,
      `permission ${permission}`,
    );
  for (const permission of permissions.allowed) await set(permission, true);
  for (const permission of permissions.denied) await set(permission, false);
  return group.id;
}

/** Makes a technician in `groupId` and signs them in. */
export async function makeTechnician(
  send: Send,
  admin: RemoteMember,
  tenant: string,
  email: string,
  groupId: string,
): Promise<RemoteMember> {
  const made = ok(
    await send('/api/v1/members', {
      method: 'POST',
      headers: admin.headers,
      body: { email, displayName: email.split('@')[0], role: 'technician', groupId },
    }),
    201,
    'member',
  ) as { oneTimeSecret: string };
  return signInWithSecret(send, tenant, email, made.oneTimeSecret);
}
