import {
  isTetherError,
  type Clock,
  type ContentCipher,
  type JsonValue,
  type Logger,
  type Page,
  type PageRequest,
  type PluginData,
  type PluginRecord,
  type SupportSessionSummary,
  type TenantId,
} from '../../sdk/index.js';
import type { IncomingMessage, TranscriptMessage } from './chat-schemas.js';

/** The record kind of a stored chat message. */
export const MESSAGE_KIND = 'message';
/** At most this many tags per record (the storage's limit): the session and technicians. */
const MAX_TAGS = 32;

/** A stored message, as the record's value holds it. */
interface StoredMessage {
  readonly session: string;
  readonly id: string;
  readonly from: 'technician' | 'end-user';
  readonly participantId: string;
  readonly sentAt: string;
  readonly length: number;
  /** Sealed under `chat:<ref>`; absent when the policy omits chat text. */
  readonly text?: string;
  readonly textOmitted?: true;
  readonly storedBy: string;
  readonly storedAt: string;
  readonly technicianIds: readonly string[];
  /**
   * The technicians seated when it was stored, and its poster: the ones who saw it. A
   * technician who loses their place later still reads these, and only these.
   */
  readonly seenBy?: readonly string[];
  /** The group the session belonged to when the message was stored, if any. */
  readonly group?: string;
}

/** What one post stored. */
export interface StoreOutcome {
  readonly stored: number;
  readonly duplicates: number;
  readonly textOmitted: boolean;
}

/**
 * Filters of a transcript search; `technician` is a member who took part in the session,
 * `group` the group the session belonged to when the message was stored, `seenBy` a member
 * who was seated in the session when the message was stored (or posted it).
 */
export interface TranscriptFilter {
  readonly session?: string;
  readonly technician?: string;
  readonly seenBy?: string;
  readonly group?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** The tag a session's messages carry. */
export const sessionTag = (ref: string) => `session:${ref}`;
/** The tag a message carries for each technician who had taken part when it was stored. */
export const technicianTag = (memberId: string) => `technician:${memberId}`;
/** The tag a message carries for the group its session belonged to. */
export const groupTag = (groupId: string) => `group:${groupId}`;

const purposeOf = (ref: string) => `chat:${ref}`;
const keyOf = (ref: string, id: string) => `${ref}/${id}`;

/**
 * Chat transcripts at rest: each message one plugin record, its text sealed under the tenant's
 * key (or left out when the session's policy omits chat text), indexed by session, by the
 * technicians of the session and by the time it was sent.
 */
export class ChatTranscripts {
  constructor(
    private readonly data: PluginData,
    private readonly cipher: ContentCipher,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Stores the messages not stored before (by id, per session), atomically per message, so a
   * resend, even one racing the first post, stores nothing twice.
   */
  async store(
    session: SupportSessionSummary,
    storedBy: string,
    messages: readonly IncomingMessage[],
  ): Promise<StoreOutcome> {
    const records = this.data.forTenant(session.tenantId);
    const textOmitted = omitsText(session);
    const storedAt = this.clock.now().toISOString();
    const tags = tagsOf(session, storedBy);
    let stored = 0;
    for (const message of distinct(messages)) {
      const key = keyOf(session.ref, message.id);
      // Most resends repeat what is stored already: those skip the sealing.
      if (await records.get(MESSAGE_KIND, key)) continue;
      const value = await this.valueOf(session, message, { storedBy, storedAt, textOmitted });
      if (await records.add(MESSAGE_KIND, key, value, { tags, at: new Date(message.sentAt) })) {
        stored += 1;
      }
    }
    return { stored, duplicates: messages.length - stored, textOmitted };
  }

  /** Stored messages that match `filter`, by time sent then id, texts opened. */
  async search(
    tenantId: TenantId,
    filter: TranscriptFilter,
    page: PageRequest,
  ): Promise<Page<TranscriptMessage>> {
    const records = this.data.forTenant(tenantId);
    const query = { ...narrowestTag(filter), from: filter.from, to: filter.to };
    const found = await records.find(MESSAGE_KIND, query, page);
    // One tag narrows the search (the session's, else the group's, else the technician's);
    // the other filters are checked on each message found.
    const items = found.items.filter((record) => matches(record, filter));
    const opened = await Promise.all(items.map((record) => this.open(tenantId, record)));
    return found.next ? { items: opened, next: found.next } : { items: opened };
  }

  private async valueOf(
    session: SupportSessionSummary,
    message: IncomingMessage,
    meta: { storedBy: string; storedAt: string; textOmitted: boolean },
  ): Promise<JsonValue> {
    const stored: StoredMessage = {
      session: session.ref,
      id: message.id,
      from: message.from,
      participantId: message.participantId,
      sentAt: new Date(message.sentAt).toISOString(),
      length: message.text.length,
      ...(meta.textOmitted
        ? { textOmitted: true as const }
        : { text: await this.cipher.seal(session.tenantId, purposeOf(session.ref), message.text) }),
      storedBy: meta.storedBy,
      storedAt: meta.storedAt,
      technicianIds: [...session.technicianIds],
      seenBy: [...new Set([meta.storedBy, ...session.seatedTechnicianIds])],
      ...(session.groupId ? { group: session.groupId } : {}),
    };
    return stored as unknown as JsonValue;
  }

  private async open(tenantId: TenantId, record: PluginRecord): Promise<TranscriptMessage> {
    const stored = record.value as unknown as StoredMessage;
    const { text, technicianIds: _technicians, seenBy: _seenBy, ...rest } = stored;
    if (text === undefined) return { ...rest, textOmitted: true };
    try {
      return { ...rest, text: await this.cipher.open(tenantId, purposeOf(rest.session), text) };
    } catch (error) {
      // A tampered record, or the tenant's key destroyed: the message is shown without text.
      // Anything else (the key store down, say) is a failure of the request.
      if (!isTetherError(error) || error.code !== 'TETHER_E_DECRYPT') throw error;
      this.logger.warn({ tenantId, session: rest.session }, 'chat text cannot be opened');
      return { ...rest, textUnreadable: true };
    }
  }
}

/** Whether the session's policy leaves chat text out; anything but `store` (or unset) does. */
function omitsText(session: SupportSessionSummary): boolean {
  const setting = session.policy.chatText;
  return setting !== undefined && setting !== 'store';
}

/** The first message of each id, in the order given. */
function distinct(messages: readonly IncomingMessage[]): IncomingMessage[] {
  const byId = new Map<string, IncomingMessage>();
  for (const message of messages) if (!byId.has(message.id)) byId.set(message.id, message);
  return [...byId.values()];
}

function tagsOf(session: SupportSessionSummary, storedBy: string): string[] {
  const others = session.technicianIds.filter((id) => id !== storedBy);
  const fixed = [sessionTag(session.ref), ...(session.groupId ? [groupTag(session.groupId)] : [])];
  const technicians = [storedBy, ...others].slice(0, MAX_TAGS - fixed.length);
  return [...fixed, ...technicians.map(technicianTag)];
}

function narrowestTag(filter: TranscriptFilter): { tag?: string } {
  if (filter.session) return { tag: sessionTag(filter.session) };
  if (filter.group) return { tag: groupTag(filter.group) };
  return filter.technician ? { tag: technicianTag(filter.technician) } : {};
}

function matches(record: PluginRecord, filter: TranscriptFilter): boolean {
  const stored = record.value as unknown as StoredMessage;
  if (filter.group !== undefined && stored.group !== filter.group) return false;
  // Records stored before `seenBy` existed name every technician who had taken part.
  const seenBy = stored.seenBy ?? stored.technicianIds;
  if (filter.seenBy !== undefined && !seenBy?.includes(filter.seenBy)) return false;
  if (filter.technician === undefined) return true;
  return stored.technicianIds?.includes(filter.technician) ?? false;
}
