import type { Desktop } from '../../engine/contracts/desktop-contract.js';
import { PERMISSION_ID_PATTERN } from '../../engine/contracts/permission-contract.js';
import {
  RemoteControlHost,
  type HostActivity,
} from '../../plugins/remote-control/remote-control-host.js';
import {
  encodeMessage,
  parseTechnicianMessage,
  REMOTE_CONTROL_CHANNEL,
} from '../../plugins/remote-control/remote-control-protocol.js';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/node-crypto-backend.js';
import { ChatChannel, type SentChat } from '../../sdk/session/chat-channel.js';
import type { ChatOutbox } from '../../sdk/session/chat-outbox.js';
import { EndUserConsent, type ConsentQuestion } from '../../sdk/session/end-user-consent.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { silentSessionLogger } from '../../sdk/session/session-logger.js';
import {
  SessionClient,
  type SessionClosed,
  type SessionPeer,
} from '../../sdk/session/session-client.js';
import type { AppletCommand, AppletTerminal } from './applet-terminal.js';
import type { JoinedSession } from './join-session.js';
import { printable } from './printable.js';
import { systemInformation } from './system-information.js';

/** The channel and permission of the one action the applet performs: system information. */
export const SYSTEM_INFORMATION = 'system-information';

const HELP = [
  'Type a line to chat with your technician.',
  '/allow, /deny      answer the question on screen',
  '/grants            what you have allowed',
  '/revoke PERMISSION withdraw a permission',
  '/sas               the code to compare with your technician',
  '/end               end the session',
].join('\n');

/**
 * The end user's side of one session in the terminal: chat, consent questions, the system
 * information action (only when the technician's signed certificate carries the permission and
 * the end user granted it), revocation and ending. Resolves once the session is over.
 */
export class AppletSession {
  private readonly client: SessionClient;
  private readonly consent: EndUserConsent;
  private readonly chat: ChatChannel;
  private readonly remoteControl: RemoteControlHost | undefined;

  constructor(
    joined: JoinedSession,
    private readonly terminal: AppletTerminal,
    ca: string | undefined,
    desktop?: Desktop,
    outbox?: ChatOutbox,
  ) {
    this.client = new SessionClient({
      url: joined.gatewayUrl,
      engineKey: joined.engineKey,
      sessionId: joined.sessionId,
      credentials: {
        kind: 'end-user',
        participantId: joined.participantId,
        secret: joined.secret,
      },
      expectedPeerRole: 'technician',
      webSocket: nodeWebSocketFactory(ca === undefined ? {} : { ca }),
      backend: nodeAsyncCryptoBackend,
    });
    this.consent = new EndUserConsent(this.client, {
      ask: (question) => this.askConsent(question),
      askSinglePrompt: ({ technician, permissions }) =>
        terminal.ask(
          `${nameOf(technician)} asks for these permissions at once: ${permissions.join(', ')}.` +
            ' Allow them all?',
        ),
    });
    // The chat's warnings (an outbox it cannot read or write) are the end user's to see.
    const warn = (fields: { err?: unknown }, line: string) =>
      terminal.print(fields.err === undefined ? line : `${line}: ${String(fields.err)}`);
    const logger = { ...silentSessionLogger, warn };
    this.chat = new ChatChannel(this.client, { logger, ...(outbox ? { outbox } : {}) });
    this.remoteControl =
      desktop &&
      new RemoteControlHost({
        client: this.client,
        consent: this.consent,
        desktop,
        onActivity: (activity) => terminal.print(activityLine(activity)),
      });
  }

  /** Connects and runs until the session ends; resolves with how it ended. */
  async run(): Promise<SessionClosed> {
    const ended = new Promise<SessionClosed>((resolve) => this.client.on('closed', resolve));
    this.listen();
    this.terminal.onCommand((command) => this.onCommand(command));
    this.terminal.onEnd(() => this.client.closed ?? this.client.end());
    try {
      await this.client.connect();
      this.terminal.print('connected; waiting for your technician (type /help for commands)');
    } catch {
      // The client is closed now, and `ended` says why.
    }
    const closed = await ended;
    await this.remoteControl?.dispose();
    this.consent.dispose();
    this.chat.dispose();
    return closed;
  }

  private listen(): void {
    const { client, terminal } = this;
    client.on('peer-joined', ({ peer, change }) => {
      const verb = change === 'new' ? 'joined' : 'is back';
      terminal.print(`${nameOf(peer)} ${verb}; check code ${peer.sas}`);
    });
    client.on('peer-left', ({ participantId, gone }) => {
      terminal.print(
        `technician ${participantId} ${gone ? 'left the session' : 'lost connection'}`,
      );
    });
    client.on('state', ({ state, reason }) => {
      terminal.print(`session ${state}${reason ? ` (${reason})` : ''}`);
    });
    client.on('reconnecting', ({ delayMs }) => terminal.print(`reconnecting in ${delayMs} ms`));
    this.chat.on('message', (message) => {
      terminal.print(`[technician] ${printable(message.text)}`);
    });
    this.chat.on('typing', ({ typing }) => typing && terminal.print('technician is typing'));
    this.chat.on('resent', (sent) => {
      terminal.print(`sending again: ${printable(sent.text)}`);
      this.reportDelivery(sent);
    });
    client.onChannel(SYSTEM_INFORMATION, (body, from) => void this.systemInformation(body, from));
    if (!this.remoteControl) {
      client.onChannel(REMOTE_CONTROL_CHANNEL, (body, from) => this.noDesktop(body, from));
    }
  }

  /** Without --desktop there is no screen to show: a start is refused, so nobody waits. */
  private noDesktop(body: Uint8Array, from: string): void {
    if (parseTechnicianMessage(body)?.type !== 'start') return;
    this.terminal.print(`technician ${from} asked to see your screen; no display is offered`);
    const refusal = encodeMessage({ type: 'refused', what: 'view', why: 'failed' });
    this.client.send(from, REMOTE_CONTROL_CHANNEL, refusal).catch(() => undefined);
  }

  private async askConsent(question: ConsentQuestion): Promise<boolean> {
    const said = printable(question.prompt, 200);
    const yes = await this.terminal.ask(
      `${nameOf(question.technician)} says: "${said}"\n? and asks for: ${question.permission}`,
    );
    this.terminal.print(`${yes ? 'granted' : 'denied'} ${question.permission}`);
    return yes;
  }

  private async systemInformation(body: Uint8Array, from: string): Promise<void> {
    const id = requestId(body);
    if (id === undefined) return;
    if (!this.consent.isAllowed(from, SYSTEM_INFORMATION)) {
      this.terminal.print(`refused ${SYSTEM_INFORMATION} to ${from}: not allowed`);
      await this.reply(from, { type: 'refused', id, why: 'not-allowed' });
      return;
    }
    this.terminal.print(`sent ${SYSTEM_INFORMATION} to ${from}`);
    await this.reply(from, { type: 'result', id, info: { ...systemInformation() } });
  }

  private async reply(to: string, value: { [key: string]: string | object }): Promise<void> {
    await this.client
      .sendJson(to, SYSTEM_INFORMATION, value as never)
      .catch(() => this.terminal.print('the answer could not be sent'));
  }

  private onCommand(command: AppletCommand): void {
    switch (command.kind) {
      case 'chat':
        return this.sendChat(command.text);
      case 'end':
        this.terminal.print('ending the session');
        return this.client.end();
      case 'revoke':
        if (!PERMISSION_ID_PATTERN.test(command.permission)) {
          return this.terminal.print(`${printable(command.permission, 100)} is no permission`);
        }
        void this.consent.revoke(command.permission);
        return this.terminal.print(`revoked ${command.permission}`);
      case 'grants':
        return this.terminal.print(this.grantsLine());
      case 'sas':
        return this.printSas();
      case 'help':
        return this.terminal.print(HELP);
      case 'unknown':
        return this.terminal.print(`unknown command ${command.text}; type /help`);
    }
  }

  private sendChat(text: string): void {
    this.reportDelivery(this.chat.send(text));
  }

  private reportDelivery({ id, delivered }: SentChat): void {
    delivered.then(
      () => this.terminal.print(`delivered ${id}`),
      (error: Error) => this.terminal.print(`not delivered: ${error.message}`),
    );
  }

  private grantsLine(): string {
    const granted = this.client
      .peers()
      .flatMap((peer) =>
        peer.permissions
          .filter((permission) => this.consent.isAllowed(peer.participantId, permission))
          .map((permission) => `${permission} (${peer.participantId})`),
      );
    return granted.length === 0 ? 'you have allowed nothing' : `allowed: ${granted.join(', ')}`;
  }

  private printSas(): void {
    const peers = this.client.peers();
    if (peers.length === 0) return this.terminal.print('no technician yet');
    for (const peer of peers) this.terminal.print(`code with ${nameOf(peer)}: ${peer.sas}`);
  }
}

function activityLine(activity: HostActivity): string {
  const who = `technician ${activity.technician}`;
  switch (activity.kind) {
    case 'viewing':
      return `${who} is viewing your screen (/revoke desktop-view or remote-control to stop)`;
    case 'stopped':
      return `${who} no longer sees your screen (${activity.why})`;
    case 'refused':
      return `refused ${activity.what === 'view' ? 'screen view' : 'input'} to ${who}: not allowed`;
  }
}

function nameOf(peer: SessionPeer): string {
  return `technician ${peer.participantId}`;
}

function requestId(body: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as { type?: unknown; id?: unknown };
    if (value.type !== 'request' || typeof value.id !== 'string' || value.id.length > 64) return;
    return value.id;
  } catch {
    return undefined;
  }
}
