/** A permission of the group matrix, with its value where no group says otherwise. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly byDefault: boolean;
}

const entry = (id: string, title: string, byDefault = false): CatalogueEntry => ({
  id,
  title,
  byDefault,
});

/** The built-in permissions; plugins add theirs through their manifests. */
export const BUILT_IN_PERMISSIONS: readonly CatalogueEntry[] = [
  entry('chat', 'Chat', true),
  entry('clipboard-sync', 'Clipboard synchronisation'),
  entry('screen-sharing', 'Screen sharing with users and end users'),
  entry('deploy-scripts', 'Deploy scripts'),
  entry('calling-card', 'Calling card'),
  entry('unattended-access', 'Unattended access'),
  entry('desktop-view', 'Desktop view'),
  entry('file-manager', 'File manager'),
  entry('remote-control', 'Remote control'),
  entry('reboot', 'Reboot'),
  entry('record-sessions', 'Record sessions'),
  entry('request-credentials', 'Request credentials'),
  entry('send-files', 'Send files'),
  entry('receive-files', 'Receive files'),
  entry('send-urls', 'Send URLs'),
  entry('private-sessions', 'Private sessions'),
  entry('screen-capture', 'Screen capture'),
  entry('transfer-sessions', 'Transfer sessions'),
  entry('collaboration', 'Collaboration'),
  entry('single-prompt', 'A single prompt for all permissions'),
  entry('system-information', 'System information'),
];
