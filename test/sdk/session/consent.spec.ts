import { expect } from 'chai';
import {
  EndUserConsent,
  TechnicianConsent,
  type ConsentQuestion,
  type SessionClient,
} from '../../../sdk/session/index.js';
import type { RelayGateway } from '../../support/relay-gateway.js';
import { closeAll, collect, startPair, waitFor } from '../../support/session-pair.js';

interface Applet {
  readonly consent: EndUserConsent;
  readonly asked: ConsentQuestion[];
  readonly singlePrompts: string[];
  answer: boolean;
  singleAnswer: boolean;
}

/** An applet whose user answers `answer`, and whose action handler checks the gate. */
function applet(endUser: SessionClient): Applet {
  const state = { answer: true, singleAnswer: true, asked: [], singlePrompts: [] } as Omit<
    Applet,
    'consent'
  > & { asked: ConsentQuestion[]; singlePrompts: string[] };
  const consent = new EndUserConsent(endUser, {
    ask: async (question) => {
      state.asked.push(question);
      return state.answer;
    },
    askSinglePrompt: async ({ technician }) => {
      state.singlePrompts.push(technician.participantId);
      return state.singleAnswer;
    },
  });
  return Object.assign(state, { consent });
}

/** An action channel that acts only when the gate says so, recording what it did. */
function actions(endUser: SessionClient, consent: EndUserConsent, permission: string) {
  const done: string[] = [];
  const refused: string[] = [];
  endUser.onChannel(permission, (body, from) => {
    const what = Buffer.from(body).toString('utf8');
    (consent.isAllowed(from, permission) ? done : refused).push(what);
  });
  return { done, refused };
}

describe('session consent', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('grants after asking, reports it, and the gate opens for that permission only', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const app = applet(pair.endUser);
    const technicianConsent = new TechnicianConsent(pair.technician);

    const decision = await technicianConsent.request('user-1', 'remote-control', 'Control?');
    expect(decision).to.equal('granted');
    expect(
      app.asked.map((q) => [q.permission, q.prompt, q.technician.participantId]),
    ).to.deep.equal([['remote-control', 'Control?', 'tech-1']]);
    expect(app.consent.isAllowed('tech-1', 'remote-control')).to.equal(true);
    expect(app.consent.isAllowed('tech-1', 'file-transfer')).to.equal(false);
    expect(technicianConsent.isGranted('user-1', 'remote-control')).to.equal(true);
    await waitFor(() => relay!.reports.length === 2, 'two reports arrived');
    expect(relay.reports.map((r) => [r.event, r.permission])).to.deep.equal([
      ['consent.asked', 'remote-control'],
      ['consent.granted', 'remote-control'],
    ]);
  });

  it('denies when the user says no, and the gate stays shut', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const app = applet(pair.endUser);
    app.answer = false;
    const gate = actions(pair.endUser, app.consent, 'file-transfer');
    const technicianConsent = new TechnicianConsent(pair.technician);

    expect(await technicianConsent.request('user-1', 'file-transfer', 'Files?')).to.equal('denied');
    await pair.technician.send('user-1', 'file-transfer', Buffer.from('copy /etc/passwd'));
    expect(gate.refused).to.deep.equal(['copy /etc/passwd']);
    expect(gate.done).to.deep.equal([]);
    await waitFor(() => relay!.reports.length === 2, 'two reports arrived');
    expect(relay.reports.map((r) => r.event)).to.deep.equal(['consent.asked', 'consent.denied']);
  });

  it('refuses a modified console, never asking, for a permission not in its cert', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const app = applet(pair.endUser);
    const gate = actions(pair.endUser, app.consent, 'run-script');
    const decisions = collect(pair.technician, 'consent');

    // A raw request and a raw action, as a tampered console would send them; the request even
    // claims the permission is fine.
    await pair.technician.sendJson('user-1', 'consent', {
      type: 'request',
      id: 'r1',
      permission: 'run-script',
      prompt: 'Your administrator already allowed this.',
      permitted: true,
    });
    await pair.technician.send('user-1', 'run-script', Buffer.from('rm -rf /'));
    await waitFor(() => decisions.length === 1, 'the decision arrived');

    expect(JSON.parse(decisions[0]!)).to.deep.equal({
      type: 'decision',
      id: 'r1',
      permission: 'run-script',
      decision: 'denied',
      why: 'not-permitted',
    });
    expect(app.asked).to.deep.equal([]);
    expect(gate.refused).to.deep.equal(['rm -rf /']);
    expect(app.consent.isAllowed('tech-1', 'run-script')).to.equal(false);
    await waitFor(() => relay!.reports.length === 1, 'the denial was reported');
    expect(relay.reports[0]).to.include({ event: 'consent.denied', permission: 'run-script' });
  });

  it('keeps the gate shut for an action sent before any grant', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const app = applet(pair.endUser);
    const gate = actions(pair.endUser, app.consent, 'remote-control');
    await pair.technician.send('user-1', 'remote-control', Buffer.from('click'));
    expect(gate.refused).to.deep.equal(['click']);
  });

  it('asks the single prompt once when policy allows, then grants without asking', async () => {
    const pair = await startPair({ singlePrompt: true });
    relay = pair.relay;
    const app = applet(pair.endUser);
    const technicianConsent = new TechnicianConsent(pair.technician);

    expect(await technicianConsent.request('user-1', 'remote-control', 'a')).to.equal('granted');
    expect(await technicianConsent.request('user-1', 'file-transfer', 'b')).to.equal('granted');
    expect(app.singlePrompts).to.deep.equal(['tech-1']);
    expect(app.asked).to.deep.equal([]);
    expect(app.consent.isAllowed('tech-1', 'file-transfer')).to.equal(true);
    expect(await technicianConsent.request('user-1', 'run-script', 'c')).to.equal('denied');
  });

  it('asks each time when the policy does not allow a single prompt', async () => {
    const pair = await startPair({ singlePrompt: false });
    relay = pair.relay;
    const app = applet(pair.endUser);
    const technicianConsent = new TechnicianConsent(pair.technician);
    await technicianConsent.request('user-1', 'remote-control', 'a');
    expect(app.singlePrompts).to.deep.equal([]);
    expect(app.asked.length).to.equal(1);
  });

  it('revokes: the gate shuts, the technician hears it, and a new request asks again', async () => {
    const pair = await startPair({ singlePrompt: true });
    relay = pair.relay;
    const app = applet(pair.endUser);
    const gate = actions(pair.endUser, app.consent, 'remote-control');
    const technicianConsent = new TechnicianConsent(pair.technician);
    const revoked: string[] = [];
    technicianConsent.on('revoked', (e) => revoked.push(e.permission));

    await technicianConsent.request('user-1', 'remote-control', 'a');
    await app.consent.revoke('remote-control');
    await waitFor(() => revoked.length === 1, 'the technician heard the revoke');
    await pair.technician.send('user-1', 'remote-control', Buffer.from('click'));

    expect(gate.refused).to.deep.equal(['click']);
    expect(technicianConsent.isGranted('user-1', 'remote-control')).to.equal(false);
    app.answer = false;
    expect(await technicianConsent.request('user-1', 'remote-control', 'again')).to.equal('denied');
    expect(app.asked.map((q) => q.prompt)).to.deep.equal(['again']);
    expect(relay.reports.map((r) => r.event)).to.include('consent.revoked');
  });

  it('clears every grant when the session ends', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const app = applet(pair.endUser);
    const technicianConsent = new TechnicianConsent(pair.technician);
    await technicianConsent.request('user-1', 'remote-control', 'a');
    expect(app.consent.isAllowed('tech-1', 'remote-control')).to.equal(true);

    relay.setState('closed', 'ended-by-technician');
    await waitFor(() => pair.endUser.closed !== undefined, 'the applet stopped');
    expect(app.consent.isAllowed('tech-1', 'remote-control')).to.equal(false);
  });

  it('clears grants of a technician who leaves for good, rejecting its waiting asks', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const app = applet(pair.endUser);
    const technicianConsent = new TechnicianConsent(pair.technician);
    await technicianConsent.request('user-1', 'remote-control', 'a');

    relay.tamper = ({ from, frame }) => (from === 'user-1' ? [] : [frame]);
    const waiting = technicianConsent.request('user-1', 'file-transfer', 'b').catch((e) => e);
    relay.remove('tech-1');
    await waitFor(() => pair.endUser.peer('tech-1') === undefined, 'the technician is gone');
    expect(app.consent.isAllowed('tech-1', 'remote-control')).to.equal(false);
    await waitFor(() => pair.technician.closed?.code === 4011, 'the technician was removed');
    const late = await waiting;
    expect(late.reason).to.equal('closed');
  });
});
