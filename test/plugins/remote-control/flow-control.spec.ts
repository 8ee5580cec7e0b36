import { expect } from 'chai';
import { FlowControl } from '../../../plugins/remote-control/flow-control.js';

function clocked() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FlowControl', () => {
  it('has room for two frames in flight and no more', () => {
    const clock = clocked();
    const flow = new FlowControl({ quality: 70, fps: 30 }, clock.now);
    expect(flow.hasRoom()).to.equal(true);
    flow.sent(1, 1000);
    flow.sent(2, 1000);
    expect(flow.hasRoom()).to.equal(false);
    flow.displayed(1);
    expect(flow.hasRoom()).to.equal(true);
  });

  it('bounds the bytes in flight too', () => {
    const flow = new FlowControl({ quality: 70, fps: 30 }, clocked().now, {
      frames: 10,
      bytes: 5000,
    });
    flow.sent(1, 3000);
    flow.grew(1, 2500);
    expect(flow.hasRoom()).to.equal(false);
    expect(flow.displayed(1)).to.be.a('number');
    expect(flow.hasRoom()).to.equal(true);
  });

  it('takes an acknowledgement as covering every earlier frame', () => {
    const flow = new FlowControl({ quality: 70, fps: 30 }, clocked().now);
    flow.sent(1, 10);
    flow.sent(2, 10);
    flow.displayed(2);
    expect(flow.framesInFlight).to.equal(0);
    expect(flow.displayed(1)).to.equal(undefined);
  });

  it('frees the room of a frame that failed, without counting it as displayed', () => {
    const flow = new FlowControl({ quality: 70, fps: 30 }, clocked().now);
    flow.sent(1, 10);
    flow.sent(2, 10);
    flow.abandon(1);
    expect(flow.hasRoom()).to.equal(true);
    expect(flow.displayed(1)).to.equal(undefined);
    expect(flow.framesInFlight).to.equal(1);
  });

  it('spaces frames by the frame rate', () => {
    const clock = clocked();
    const flow = new FlowControl({ quality: 70, fps: 20 }, clock.now);
    expect(flow.delayMs()).to.equal(0);
    flow.sent(1, 10);
    expect(flow.delayMs()).to.equal(50);
    clock.advance(30);
    expect(flow.delayMs()).to.equal(20);
  });

  it('lowers frame rate, then quality, then frame rate on a link that keeps frames waiting', () => {
    const clock = clocked();
    const flow = new FlowControl({ quality: 70, fps: 30 }, clock.now);
    const seen: [number, number][] = [];
    for (let second = 0; second < 10; second++) {
      flow.sent(2 * second + 1, 10);
      flow.sent(2 * second + 2, 10);
      flow.blocked();
      clock.advance(1000);
      flow.displayed(2 * second + 2);
      seen.push([flow.quality, flow.fps]);
    }
    expect(seen.slice(0, 4)).to.deep.equal([
      [70, 24],
      [70, 19],
      [70, 15],
      [60, 15],
    ]);
    expect(seen[6]).to.deep.equal([30, 15]);
    expect(seen[7]).to.deep.equal([30, 11]);
  });

  it('climbs back to the technician’s limits on a fast link, never past them', () => {
    const clock = clocked();
    const flow = new FlowControl({ quality: 70, fps: 30 }, clock.now);
    flow.setLimits({ quality: 40, fps: 10 });
    expect([flow.quality, flow.fps]).to.deep.equal([40, 10]);
    flow.setLimits({ quality: 60, fps: 15 });
    for (let i = 1; i <= 20; i++) {
      flow.sent(i, 10);
      clock.advance(10);
      flow.displayed(i);
      clock.advance(1000);
    }
    expect([flow.quality, flow.fps]).to.deep.equal([60, 15]);
  });
});
