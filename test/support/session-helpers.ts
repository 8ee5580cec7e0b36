import { expect } from 'chai';
import type { TestEngine } from '../../sdk/testing/test-engine.js';

/**
 * Makes a support session as the signed-in member of `headers`, through
 * `POST /api/v1/sessions` as a technician's console does, and expects it to work. Resolves with
 * the session's public id (its ref).
 */
export async function openSession(
  engine: TestEngine,
  headers: Record<string, string>,
): Promise<string> {
  const made = await engine.request('/api/v1/sessions', { method: 'POST', headers, body: {} });
  expect(made.status, made.text).to.equal(201);
  return (made.json as { id: string }).id;
}

/**
 * Has the owner of session `ref` (signed in with `headers`) invite the member `memberId` as a
 * collaborator, through `POST /api/v1/sessions/{ref}/collaborators`, and expects it to work.
 * The owner needs the group permission `collaboration`.
 */
export async function inviteCollaborator(
  engine: TestEngine,
  headers: Record<string, string>,
  ref: string,
  memberId: string,
): Promise<void> {
  const invited = await engine.request(`/api/v1/sessions/${ref}/collaborators`, {
    method: 'POST',
    headers,
    body: { memberId },
  });
  expect(invited.status, invited.text).to.equal(200);
}
