// A technician's client as its own process, for the three-process session test: it reads one
// JSON command per line on standard input and writes one JSON event per line on standard
// output. Several technicians (by `name`) may run in it. It is the technician side a console
// would be, built on the sdk session client only.
import { createInterface } from 'node:readline';
import { RemoteDesktopViewer } from '../../plugins/remote-control/remote-desktop-viewer.js';
import { RgbaFramebuffer } from '../../plugins/remote-control/rgba-framebuffer.js';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/node-crypto-backend.js';
import { ChatChannel } from '../../sdk/session/chat-channel.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { SessionClient } from '../../sdk/session/session-client.js';
import { TechnicianConsent } from '../../sdk/session/technician-consent.js';
import { TranscriptSender, type TranscriptPost } from '../../sdk/session/transcript-sender.js';
import { sendRequest } from '../../sdk/testing/https-request.js';

interface Technician {
  readonly client: SessionClient;
  readonly chat: ChatChannel;
  readonly consent: TechnicianConsent;
  readonly transcript: TranscriptSender;
  viewer?: RemoteDesktopViewer;
}

type Command = { readonly cmd: string; readonly name: string } & Record<string, unknown>;

const technicians = new Map<string, Technician>();
let nextRequest = 1;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function connect(command: Command): void {
  const { name } = command;
  const client = new SessionClient({
    url: String(command.url),
    engineKey: String(command.engineKey),
    sessionId: String(command.sessionId),
    credentials: { kind: 'technician', token: String(command.token) },
    expectedPeerRole: 'end-user',
    webSocket: nodeWebSocketFactory({ ca: String(command.ca) }),
    backend: nodeAsyncCryptoBackend,
  });
  const chat = new ChatChannel(client);
  const consent = new TechnicianConsent(client);
  const transcript = new TranscriptSender(client, chat, transcriptPost(command));
  technicians.set(name, { client, chat, consent, transcript });
  client.on('ready', ({ participantId }) => emit({ ev: 'ready', name, participantId }));
  client.on('peer-joined', ({ peer, change }) =>
    emit({ ev: 'peer', name, participantId: peer.participantId, role: peer.role, change }),
  );
  client.on('peer-left', (left) => emit({ ev: 'peer-left', name, ...left }));
  client.on('state', (state) => emit({ ev: 'state', name, ...state }));
  client.on('closed', (closed) => emit({ ev: 'closed', name, ...closed }));
  chat.on('message', (message) => emit({ ev: 'chat', name, id: message.id, text: message.text }));
  consent.on('revoked', (revoked) => emit({ ev: 'revoked', name, ...revoked }));
  client.onChannel('system-information', (body) =>
    emit({ ev: 'action', name, ...(JSON.parse(new TextDecoder().decode(body)) as object) }),
  );
  client.connect().catch((error: Error) => emit({ ev: 'error', name, message: error.message }));
}

/** Posts to the chat plugin over HTTPS, trusting the engine's certificate. */
function transcriptPost(command: Command): TranscriptPost {
  const url = `${String(command.server)}/api/v1/plugins/chat/sessions/${String(command.ref)}`;
  const headers = { authorization: `Bearer ${String(command.token)}` };
  return async (messages) => {
    const answer = await sendRequest(`${url}/messages`, String(command.ca), {
      method: 'POST',
      headers,
      body: { messages: [...messages] },
    });
    if (answer.status !== 200) throw new Error(`transcript post: ${answer.status}`);
  };
}

function endUserOf(technician: Technician): string {
  const peer = technician.client.peers().find((candidate) => candidate.role === 'end-user');
  if (!peer) throw new Error('no end user in the session');
  return peer.participantId;
}

async function run(command: Command): Promise<void> {
  if (command.cmd === 'connect') return connect(command);
  if (command.cmd === 'exit') process.exit(0);
  const technician = technicians.get(command.name);
  if (!technician) throw new Error(`no technician ${command.name}`);
  const { name } = command;
  switch (command.cmd) {
    case 'chat': {
      const { id, delivered } = technician.transcript.send(String(command.text));
      await delivered;
      return emit({ ev: 'delivered', name, id, text: command.text });
    }
    case 'consent': {
      const permission = String(command.permission);
      const to = endUserOf(technician);
      const decision = await technician.consent.request(to, permission, String(command.prompt));
      return emit({ ev: 'consent', name, permission, decision });
    }
    case 'action': {
      // Sent whatever consent says: the end user's side must refuse on its own.
      const body = { type: 'request', id: `r${nextRequest++}` };
      return technician.client.sendJson(endUserOf(technician), 'system-information', body);
    }
    case 'view':
      return view(technician, name);
    case 'type':
      viewerOf(technician).movePointer(Number(command.x), Number(command.y));
      viewerOf(technician).typeText(String(command.text));
      await viewerOf(technician).flushInput();
      return emit({ ev: 'typed', name });
    case 'flush':
      await technician.transcript.flush();
      return emit({ ev: 'flushed', name });
    case 'end':
      return technician.client.end();
    case 'close':
      return technician.client.close();
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

/** Starts the desktop view of the session's end user; frames go to a framebuffer. */
async function view(technician: Technician, name: string): Promise<void> {
  technician.viewer?.dispose();
  const viewer = new RemoteDesktopViewer(
    technician.client,
    endUserOf(technician),
    new RgbaFramebuffer(),
  );
  technician.viewer = viewer;
  viewer.on('refused', (refused) => emit({ ev: 'refused', name, ...refused }));
  viewer.on('stopped', (stopped) => emit({ ev: 'view-stopped', name, ...stopped }));
  let frames = 0;
  viewer.on('frame', () => ++frames === 1 && emit({ ev: 'first-frame', name }));
  try {
    const size = await viewer.start();
    emit({ ev: 'viewing', name, ...size });
  } catch (error) {
    emit({ ev: 'view-refused', name, message: (error as Error).message });
  }
}

function viewerOf(technician: Technician): RemoteDesktopViewer {
  if (!technician.viewer) throw new Error('not viewing');
  return technician.viewer;
}

const lines = createInterface({ input: process.stdin, terminal: false });
lines.on('line', (line) => {
  let command: Command;
  try {
    command = JSON.parse(line) as Command;
  } catch {
    return emit({ ev: 'error', message: 'not JSON' });
  }
  run(command).catch((error: Error) =>
    emit({ ev: 'error', name: command.name, cmd: command.cmd, message: error.message }),
  );
});
lines.on('close', () => process.exit(0));
