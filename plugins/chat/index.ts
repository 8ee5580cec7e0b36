import {
  AuditLog,
  Clock,
  ContentCipher,
  definePlugin,
  HttpRoutes,
  PluginData,
  Sessions,
} from '../../sdk/index.js';
import { registerChatRoutes } from './chat-routes.js';
import { ChatTranscripts } from './chat-transcripts.js';

/**
 * Chat transcripts. Chat itself travels end to end encrypted on the `chat` channel, which the
 * engine never opens; the technician's side reports the messages through this plugin's API,
 * which keeps them sealed under the tenant's key (or only their metadata, when the session's
 * policy omits chat text) for administrators to read back. Chat needs no consent.
 */
export default definePlugin({
  manifest: {
    name: 'chat',
    version: '1.0.0',
    description: 'Stores and serves chat transcripts of support sessions',
    engine: '^0.1.0',
    channels: ['chat'],
    ui: {
      title: 'Chat',
      technician: 'ui/technician-chat-panel.js',
      endUser: 'ui/end-user-chat-panel.js',
    },
    contracts: ['HttpRoutes', 'PluginData', 'ContentCipher', 'Sessions', 'AuditLog', 'Clock'],
  },
  activate(context) {
    const transcripts = new ChatTranscripts(
      context.get<PluginData>(PluginData),
      context.get<ContentCipher>(ContentCipher),
      context.get<Clock>(Clock),
      context.logger,
    );
    return registerChatRoutes({
      routes: context.get<HttpRoutes>(HttpRoutes),
      sessions: context.get<Sessions>(Sessions),
      transcripts,
      audit: context.get<AuditLog>(AuditLog),
      logger: context.logger,
    });
  },
});
