import type { Disposable, MemberRole, TenantId } from '../../sdk/index.js';
import type { ChatRouteDeps } from './chat-routes.js';
import { TranscriptQuery, type TranscriptMessage } from './chat-schemas.js';
import type { TranscriptFilter } from './chat-transcripts.js';
import { csvCell } from './csv-cell.js';

/** At most this many messages go in one export; a cut one says so in a header. */
export const MAX_CSV_ROWS = 50_000;
const PAGE = 500;
const COLUMNS = ['session', 'id', 'sentAt', 'from', 'participantId', 'storedBy', 'length'];
const HEADER = [...COLUMNS, 'text', 'textStatus'].join(',');

/** What a message's text is in the export: stored, left out by policy, or unreadable. */
function textStatus(message: TranscriptMessage): string {
  if (message.textOmitted) return 'omitted';
  return message.textUnreadable ? 'unreadable' : 'stored';
}

function row(message: TranscriptMessage): string {
  return [
    csvCell(message.session),
    csvCell(message.id),
    csvCell(message.sentAt),
    csvCell(message.from),
    csvCell(message.participantId),
    csvCell(message.storedBy),
    csvCell(message.length),
    csvCell(message.text),
    csvCell(textStatus(message)),
  ].join(',');
}

/** The CSV lines of every matching message, at most MAX_CSV_ROWS, read a page at a time. */
async function collect(deps: ChatRouteDeps, tenantId: TenantId, filter: TranscriptFilter) {
  const lines = [HEADER];
  let after: string | undefined;
  let more = true;
  while (more && lines.length <= MAX_CSV_ROWS) {
    const page = await deps.transcripts.search(tenantId, filter, {
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    lines.push(...page.items.map(row));
    more = page.next !== undefined;
    after = page.next;
  }
  const truncated = more || lines.length > MAX_CSV_ROWS + 1;
  return { lines: lines.slice(0, MAX_CSV_ROWS + 1), truncated };
}

/**
 * `GET /transcripts.csv`: the transcript search of `GET /transcripts` as one CSV download, for
 * the roles that read every transcript.
 */
export function transcriptCsvRoute(deps: ChatRouteDeps, roles: readonly MemberRole[]): Disposable {
  return deps.routes.register({
    method: 'GET',
    path: '/transcripts.csv',
    operationId: 'exportChatTranscriptsCsv',
    summary: "The tenant's chat messages by session, technician, group and period, as CSV",
    tags: ['chat'],
    roles,
    query: TranscriptQuery.omit({ limit: true, after: true }),
    responses: { 200: { description: 'CSV, one message a line', contentType: 'text/csv' } },
    handler: async ({ principal, query }) => {
      const filter = {
        session: query.session,
        technician: query.technician,
        group: query.group,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      };
      const { lines, truncated } = await collect(deps, principal!.tenantId, filter);
      return {
        body: lines.join('\r\n') + '\r\n',
        contentType: 'text/csv; charset=utf-8',
        headers: {
          'Content-Disposition': 'attachment; filename="chat-transcripts.csv"',
          ...(truncated ? { 'X-Tether-Truncated': String(lines.length - 1) } : {}),
        },
      };
    },
  });
}
