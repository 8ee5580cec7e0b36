import { definePlugin } from '../../sdk/index.js';
import {
  DESKTOP_VIEW,
  REMOTE_CONTROL,
  REMOTE_CONTROL_CHANNEL,
  TILES_CHANNEL,
} from './remote-control-protocol.js';

/**
 * Desktop view and remote control. The engine side only declares the two permissions and the
 * channels: the work happens at the ends, end to end encrypted. The end user's side
 * (RemoteControlHost, in the applet) streams the screen and injects input, each only under the
 * end user's consent; the technician's side (RemoteDesktopViewer) draws and sends input.
 */
export default definePlugin({
  manifest: {
    name: 'remote-control',
    version: '1.0.0',
    description: 'Shows and controls the end user’s desktop',
    engine: '^0.1.0',
    channels: [REMOTE_CONTROL_CHANNEL, TILES_CHANNEL],
    permissions: [
      {
        id: DESKTOP_VIEW,
        title: 'Desktop view',
        description: 'See the end user’s screen',
        consentPrompt: 'Your technician asks to see your screen.',
      },
      {
        id: REMOTE_CONTROL,
        title: 'Remote control',
        description: 'See the end user’s screen and use its pointer and keyboard',
        consentPrompt: 'Your technician asks to see your screen and use your mouse and keyboard.',
      },
    ],
    ui: { title: 'Desktop', technician: 'ui/technician-desktop-panel.js' },
  },
  activate(context) {
    context.logger.info({}, 'remote control ready');
  },
});
