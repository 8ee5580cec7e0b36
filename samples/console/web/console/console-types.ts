/** The signed-in member, as `GET /api/v1/auth/session` and the login answer it. */
export interface Member {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: string;
}

/** A sign-in's step: the console moves through them until `active`. */
export type SignInState =
  'password-change-required' | 'second-factor-setup-required' | 'second-factor-required' | 'active';

/** A sign-in as the console tracks it. */
export interface SignIn {
  readonly state: SignInState;
  readonly member: Member;
  /** Second factors on offer, when the state asks for one. */
  readonly methods: readonly string[];
}

/** A session as lists show it (no GUID, code or secret). */
export interface SessionItem {
  readonly id: string;
  readonly state: string;
  readonly closeReason?: string;
  readonly ownerMemberId?: string;
  readonly groupId?: string;
  readonly endUserName?: string;
  readonly joinCodeExpiresAt?: string;
  readonly createdAt: string;
}

/** What `POST /api/v1/sessions` answers: the only time the join code is shown. */
export interface CreatedSession extends SessionItem {
  readonly sessionId: string;
  readonly joinCode: string;
  readonly joinCodeExpiresAt: string;
  readonly joinUrl: string;
}

export type { PanelEntry, PanelPermission } from '../shared/panel-list.js';
