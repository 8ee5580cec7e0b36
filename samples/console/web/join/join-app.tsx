import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { AppletTicketFile } from '../../../../sdk/session/applet-ticket.js';
import type { JoinedSession } from '../../../../sdk/session/joined-session.js';
import { AppletDownload } from './applet-download.js';
import { CodeForm } from './code-form.js';
import {
  joinInBrowser,
  joinProblem,
  joinWithApplet,
  takeCodeFromFragment,
  type JoinProblem,
  type JoinRequest,
} from './join-api.js';
import { JoinChoice, type JoinWay } from './join-choice.js';
import { savedJoin } from './saved-join.js';
import { SessionScreen } from './session-screen.js';

type Screen =
  | { readonly kind: 'code'; readonly problem?: JoinProblem }
  | { readonly kind: 'choice'; readonly request: JoinRequest; readonly busy?: JoinWay }
  | { readonly kind: 'applet'; readonly file: AppletTicketFile }
  | { readonly kind: 'browser'; readonly joined: JoinedSession };

/**
 * The end user's pages: the code and name, the choice between chatting here and the applet,
 * then the session or the download. The code is used up only by the way chosen, since a code
 * works once.
 */
export function JoinApp() {
  const [typed, setTyped] = useState(() => ({ code: takeCodeFromFragment(), name: '' }));
  const [screen, setScreen] = useState<Screen>(() => {
    const saved = savedJoin.load();
    return saved ? { kind: 'browser', joined: saved } : { kind: 'code' };
  });

  const choose = async (request: JoinRequest, way: JoinWay) => {
    setScreen({ kind: 'choice', request, busy: way });
    try {
      if (way === 'applet')
        return setScreen({ kind: 'applet', file: await joinWithApplet(request) });
      const joined = await joinInBrowser(request);
      savedJoin.save(joined);
      setScreen({ kind: 'browser', joined });
    } catch (error) {
      setScreen({ kind: 'code', problem: joinProblem(error) });
    }
  };

  switch (screen.kind) {
    case 'browser':
      return <SessionScreen joined={screen.joined} />;
    case 'applet':
      return (
        <Shell>
          <AppletDownload file={screen.file} />
        </Shell>
      );
    case 'choice':
      return (
        <Shell>
          <JoinChoice
            name={screen.request.name}
            busy={screen.busy}
            onChoose={(way) => void choose(screen.request, way)}
            onBack={() => setScreen({ kind: 'code' })}
          />
        </Shell>
      );
    case 'code':
      return (
        <Shell>
          <CodeForm
            initial={typed}
            problem={screen.problem}
            onContinue={(request) => {
              setTyped(request);
              setScreen({ kind: 'choice', request });
            }}
          />
        </Shell>
      );
  }
}

function Shell({ children }: { children: ComponentChildren }) {
  return (
    <>
      <header class="topbar">
        <img class="brand-mark" src="/assets/tether.svg" alt="" width={24} height={24} />
        <span class="brand">Tether support</span>
      </header>
      <main class="join-shell">{children}</main>
    </>
  );
}
