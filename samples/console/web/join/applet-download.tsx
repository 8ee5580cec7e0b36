import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { AppletTicketFile } from '../../../../sdk/session/applet-ticket.js';

/** The file name the applet's instructions use. */
export const TICKET_FILE = 'tether-session.json';

/**
 * The signed session file as a download (a `blob:` link made here, so nothing else is fetched),
 * with the command that runs the applet with it. The download starts once by itself.
 */
export function AppletDownload({ file }: { file: AppletTicketFile }) {
  const url = useMemo(
    () => URL.createObjectURL(new Blob([JSON.stringify(file)], { type: 'application/json' })),
    [file],
  );
  const link = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    link.current?.click();
    link.current?.focus();
    return () => URL.revokeObjectURL(url);
  }, [url]);

  const until = new Date(file.ticket.expiresAt).toLocaleString();
  return (
    <section class="card stack applet-download" aria-labelledby="applet-title">
      <h1 id="applet-title">Your session file is ready</h1>
      <p>
        <a ref={link} class="button primary wide" href={url} download={TICKET_FILE}>
          Save {TICKET_FILE}
        </a>
      </p>
      <ol class="steps">
        <li>
          Save <strong>{TICKET_FILE}</strong> (your browser may have done it already).
        </li>
        <li>
          In the folder where you saved it, run:
          <pre class="command">
            <code>tether-applet --ticket {TICKET_FILE}</code>
          </pre>
        </li>
        <li>Compare the security code the applet shows with the one your technician reads.</li>
      </ol>
      <p class="notice warn">
        Keep this file to yourself: it lets whoever holds it join this session as you. It works
        until {until}, and only while the session is open.
      </p>
    </section>
  );
}
