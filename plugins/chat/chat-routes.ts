import {
  TetherError,
  z,
  type AuditLog,
  type Disposable,
  type HttpRoutes,
  type Logger,
  type MemberRole,
  type Principal,
  type Sessions,
  type SupportSessionSummary,
} from '../../sdk/index.js';
import {
  PageQuery,
  PostMessagesAnswer,
  PostMessagesBody,
  SessionRef,
  TranscriptPage,
  TranscriptQuery,
} from './chat-schemas.js';
import type { ChatTranscripts } from './chat-transcripts.js';
import { transcriptCsvRoute } from './transcript-csv-route.js';

/** Who reads every transcript of the tenant: the roles that read the audit export. */
const ADMIN_ROLES: readonly MemberRole[] = ['master-account-holder', 'master-administrator'];

/** What the chat routes work with. */
export interface ChatRouteDeps {
  readonly routes: HttpRoutes;
  readonly sessions: Sessions;
  readonly transcripts: ChatTranscripts;
  readonly audit: AuditLog;
  readonly logger: Logger;
}

const RefParams = z.object({ ref: SessionRef });

const ERRORS = {
  400: { description: 'Bad input (TETHER_E_VALIDATION)' },
  403: { description: 'Not allowed (TETHER_E_FORBIDDEN)' },
  404: { description: 'No such session in the tenant (TETHER_E_NOT_FOUND)' },
};

const isAdmin = (principal: Principal) => ADMIN_ROLES.includes(principal.role);
const tookPart = (session: SupportSessionSummary, principal: Principal) =>
  session.technicianIds.includes(principal.memberId);
const seated = (session: SupportSessionSummary, principal: Principal) =>
  session.seatedTechnicianIds.includes(principal.memberId);

async function sessionOf(sessions: Sessions, principal: Principal, ref: string) {
  const session = await sessions.find(principal.tenantId, ref);
  if (!session || session.tenantId !== principal.tenantId) {
    throw new TetherError('TETHER_E_NOT_FOUND', 'no such session');
  }
  return session;
}

function forbidden(): TetherError {
  return new TetherError('TETHER_E_FORBIDDEN', 'only technicians of the session may do that');
}

const pageOf = (query: { limit?: number; after?: string }) => ({
  ...(query.limit !== undefined ? { limit: query.limit } : {}),
  ...(query.after !== undefined ? { after: query.after } : {}),
});

/** `POST /sessions/:ref/messages`: a technician of the session reports what was said. */
function postMessages(deps: ChatRouteDeps): Disposable {
  return deps.routes.register({
    method: 'POST',
    path: '/sessions/:ref/messages',
    operationId: 'postChatMessages',
    summary: "Stores chat messages of a session's transcript; a resend stores nothing twice",
    tags: ['chat'],
    params: RefParams,
    body: PostMessagesBody,
    responses: { 200: { description: 'Stored', schema: PostMessagesAnswer }, ...ERRORS },
    handler: async ({ principal, params, body, ip }) => {
      const caller = principal!;
      const session = await sessionOf(deps.sessions, caller, params.ref);
      if (!tookPart(session, caller)) throw forbidden();

      const outcome = await deps.transcripts.store(session, caller.memberId, body.messages);
      await deps.audit.append({
        tenantId: caller.tenantId,
        action: 'chat.transcript-stored',
        actor: { kind: 'member', id: caller.memberId },
        target: { kind: 'session', id: session.ref },
        ip,
        details: { received: body.messages.length, ...outcome },
      });
      const fields = { tenantId: caller.tenantId, session: session.ref, ...outcome };
      deps.logger.debug(fields, 'chat transcript stored');
      return { body: { stored: outcome.stored, duplicates: outcome.duplicates } };
    },
  });
}

/** `GET /transcripts`: administrators search the tenant's transcripts. */
function searchTranscripts(deps: ChatRouteDeps): Disposable {
  return deps.routes.register({
    method: 'GET',
    path: '/transcripts',
    operationId: 'listChatTranscripts',
    summary: "The tenant's chat messages by session, technician and period",
    tags: ['chat'],
    roles: ADMIN_ROLES,
    query: TranscriptQuery,
    responses: { 200: { description: 'A page, by time sent then id', schema: TranscriptPage } },
    handler: async ({ principal, query }) => {
      const filter = {
        session: query.session,
        technician: query.technician,
        group: query.group,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      };
      return { body: await deps.transcripts.search(principal!.tenantId, filter, pageOf(query)) };
    },
  });
}

/** `GET /sessions/:ref/transcript`: one session's messages, for its technicians and admins. */
function sessionTranscript(deps: ChatRouteDeps): Disposable {
  return deps.routes.register({
    method: 'GET',
    path: '/sessions/:ref/transcript',
    operationId: 'getChatTranscript',
    summary: "One session's chat messages in order",
    tags: ['chat'],
    params: RefParams,
    query: z.object(PageQuery),
    responses: { 200: { description: 'A page, in order', schema: TranscriptPage }, ...ERRORS },
    handler: async ({ principal, params, query }) => {
      const caller = principal!;
      const session = await sessionOf(deps.sessions, caller, params.ref);
      if (!isAdmin(caller) && !tookPart(session, caller)) throw forbidden();
      // A technician transferred away reads what was said while they held their place.
      const everything = isAdmin(caller) || seated(session, caller);
      const filter = { session: session.ref, ...(everything ? {} : { seenBy: caller.memberId }) };
      return { body: await deps.transcripts.search(caller.tenantId, filter, pageOf(query)) };
    },
  });
}

/** Registers the chat plugin's routes; the disposables undo them. */
export function registerChatRoutes(deps: ChatRouteDeps): Disposable[] {
  return [
    postMessages(deps),
    searchTranscripts(deps),
    transcriptCsvRoute(deps, ADMIN_ROLES),
    sessionTranscript(deps),
  ];
}
