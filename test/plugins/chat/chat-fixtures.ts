import { expect } from 'chai';
import { Storage, type TenantId } from '../../../engine/contracts/storage-contract.js';
import { PasswordHasher } from '../../../engine/identity/password-hasher.js';
import type { TestEngine } from '../../../sdk/testing/test-engine.js';
import { ADMIN_PASSWORD } from '../../support/identity-helpers.js';

/** Where the chat plugin's routes sit. */
export const CHAT_BASE = '/api/v1/plugins/chat';
const T0 = Date.parse('2026-05-04T09:00:00.000Z');

/** The ISO time `seconds` after a fixed start, as messages of these tests are sent. */
export const sentAt = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** A message as a console posts it to the transcript. */
export interface Message {
  id: string;
  from: 'technician' | 'end-user';
  participantId: string;
  sentAt: string;
  text: string;
}

/** A message as the transcript routes give it back. */
export interface Stored {
  session: string;
  id: string;
  text?: string;
  textOmitted?: true;
  textUnreadable?: true;
  length: number;
  sentAt: string;
  storedBy: string;
}

/** A message `id` said `seconds` after the start, by a technician unless `from` says. */
export const message = (id: string, seconds: number, text: string, from = 'technician') => ({
  id,
  from: from as Message['from'],
  participantId: from === 'technician' ? 'tech-1' : 'user-1',
  sentAt: sentAt(seconds),
  text,
});

/** The items of a transcript page. */
export const items = (answer: { json: unknown }) => (answer.json as { items: Stored[] }).items;

/** The chat plugin's routes, called on `engine` with the headers given. */
export class ChatApi {
  constructor(private readonly engine: TestEngine) {}

  post(ref: string, headers: Record<string, string>, messages: unknown) {
    return this.engine.request(`${CHAT_BASE}/sessions/${ref}/messages`, {
      method: 'POST',
      headers,
      body: { messages },
    });
  }

  transcript(ref: string, headers: Record<string, string>, query = '') {
    return this.engine.request(`${CHAT_BASE}/sessions/${ref}/transcript${query}`, { headers });
  }

  search(headers: Record<string, string>, query: Record<string, string>) {
    const search = new URLSearchParams(query).toString();
    return this.engine.request(`${CHAT_BASE}/transcripts?${search}`, { headers });
  }

  /** The chat plugin's stored records of `tenant`. */
  records(tenant: TenantId) {
    return this.engine.engine.root.get<Storage>(Storage).forTenant(tenant).pluginRecords('chat');
  }
}

/** A second tenant named `name` with a master administrator, signed in. */
export async function masterOfNewTenant(
  engine: TestEngine,
  name: string,
): Promise<{ id: TenantId; headers: Record<string, string> }> {
  const storage = engine.engine.root.get<Storage>(Storage);
  const tenant = await storage.tenants.create(name);
  const members = storage.forTenant(tenant.id).members;
  const email = 'master@other.test';
  const made = await members.create({ email, displayName: 'Other', role: 'master-administrator' });
  const passwordHash = await new PasswordHasher().hash(ADMIN_PASSWORD);
  await members.updateCredentials(made.id, { passwordHash, passwordChangedAt: new Date() });
  const login = await engine.request('/api/v1/auth/login', {
    method: 'POST',
    body: { tenant: name, email, password: ADMIN_PASSWORD, client: 'api' },
  });
  expect(login.status, login.text).to.equal(200);
  return {
    id: tenant.id,
    headers: { authorization: `Bearer ${(login.json as { token: string }).token}` },
  };
}

/** Sets the tenant policy's `sessions.chatText` as a master administrator does. */
export async function setChatText(
  engine: TestEngine,
  master: Record<string, string>,
  chatText: 'store' | 'omit',
): Promise<void> {
  const now = await engine.request('/api/v1/policy', { headers: master });
  expect(now.status, now.text).to.equal(200);
  const policy = now.json as { sessions: Record<string, unknown> };
  const put = await engine.request('/api/v1/policy', {
    method: 'PUT',
    headers: master,
    body: { ...policy, sessions: { ...policy.sessions, chatText } },
  });
  expect(put.status, put.text).to.equal(200);
}

/** Lets the members of `groupId` use `permission`, as a master administrator does. */
export async function allow(
  engine: TestEngine,
  master: Record<string, string>,
  groupId: string,
  permission: string,
): Promise<void> {
  const answer = await engine.request(`/api/v1/groups/${groupId}/permissions/${permission}`, {
    method: 'PUT',
    headers: master,
    body: { allowed: true },
  });
  expect(answer.status, answer.text).to.equal(200);
}
