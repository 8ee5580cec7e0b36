import { z } from '../../sdk/index.js';

/** A session's public id as it appears in a path: no slash, so it can prefix record keys. */
export const SessionRef = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, {
  error: 'expected a session reference',
});

/** Whether `text` holds a control character (storage keys refuse them on every database). */
function hasControl(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

/** The client's own id of a message: 1 to 64 characters, no control characters. */
const MessageId = z
  .string()
  .min(1)
  .max(64)
  .refine((id) => !hasControl(id), { error: 'expected no control characters' });

const ParticipantId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, {
  error: 'expected a participant id',
});

/** One chat message as the technician's side reports it. */
export const IncomingMessage = z.object({
  id: MessageId,
  from: z.enum(['technician', 'end-user']),
  participantId: ParticipantId,
  sentAt: z.iso.datetime({ offset: true }),
  text: z.string().max(16_384),
});

/** The body of a transcript post: 1 to 100 messages. */
export const PostMessagesBody = z.object({ messages: z.array(IncomingMessage).min(1).max(100) });

/** The answer to a transcript post. */
export const PostMessagesAnswer = z.object({
  stored: z.number().int(),
  duplicates: z.number().int(),
});

/** Paging of a transcript listing, as other list routes page. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).optional(),
  after: z.string().max(400).optional(),
};

/** Filters of the administrators' transcript search. */
export const TranscriptQuery = z.object({
  session: SessionRef.optional(),
  technician: z.uuid().optional(),
  group: z.uuid().optional().describe('Only sessions of this group (where they were when stored)'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...PageQuery,
});

/** One stored message as administrators read it back. */
export const TranscriptMessage = z.object({
  session: z.string(),
  id: z.string(),
  from: z.enum(['technician', 'end-user']),
  participantId: z.string(),
  sentAt: z.string(),
  length: z.number().int(),
  text: z.string().optional(),
  textOmitted: z.literal(true).optional(),
  textUnreadable: z.literal(true).optional(),
  storedBy: z.string(),
  storedAt: z.string(),
  group: z.string().optional(),
});

/** A page of stored messages. */
export const TranscriptPage = z.object({
  items: z.array(TranscriptMessage),
  next: z.string().optional(),
});

export type IncomingMessage = z.output<typeof IncomingMessage>;
export type TranscriptMessage = z.output<typeof TranscriptMessage>;
