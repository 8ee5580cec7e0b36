import { expect } from 'chai';
import { inject, injectable } from 'inversify';
import 'reflect-metadata';
import { Bus } from '../../../engine/contracts/bus-contract.js';
import { Clock } from '../../../engine/contracts/clock-contract.js';
import { HttpRoutes } from '../../../engine/contracts/http-routes-contract.js';
import { Logger } from '../../../engine/contracts/logger-contract.js';
import type { PluginContext } from '../../../engine/contracts/plugin-contract.js';
import { Storage } from '../../../engine/contracts/storage-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import {
  candidate,
  eventually,
  manifest,
  okRoute,
  recording,
  testHost,
} from './plugin-host-fixtures.js';

const stateOf = (host: ReturnType<typeof testHost>['host'], name: string) =>
  host.report().find((status) => status.name === name);

describe('PluginHost', () => {
  it('activates plugins after the plugins they require and stops them in reverse', async () => {
    const log: string[] = [];
    const { host } = testHost();
    await host.start([
      recording('c', log, { requires: { b: '^1.0.0' } }),
      recording('b', log, { requires: { a: '1.x' } }),
      recording('a', log),
    ]);
    await host.stop();
    expect(log).to.deep.equal([
      'activate a',
      'activate b',
      'activate c',
      'deactivate c',
      'deactivate b',
      'deactivate a',
    ]);
  });

  it('leaves out a plugin whose dependency is missing, and its dependents', async () => {
    const log: string[] = [];
    const { host } = testHost();
    await host.start([
      recording('needy', log, { requires: { absent: '^1.0.0' } }),
      recording('needier', log, { requires: { needy: '^1.0.0' } }),
      recording('fine', log),
    ]);
    expect(log).to.deep.equal(['activate fine']);
    expect(stateOf(host, 'needy')?.state).to.equal('left-out');
    expect(stateOf(host, 'needy')?.error?.code).to.equal('TETHER_E_PLUGIN_DEPENDENCY_MISSING');
    expect(stateOf(host, 'needy')?.error?.message).to.contain('absent');
    expect(stateOf(host, 'needier')?.state).to.equal('left-out');
  });

  it('leaves out a plugin whose dependency has a version outside the range', async () => {
    const { host } = testHost();
    await host.start([
      recording('old', [], { version: '1.4.0' }),
      recording('picky', [], { requires: { old: '^2.0.0' } }),
    ]);
    expect(stateOf(host, 'picky')?.error?.message).to.contain('needs old ^2.0.0, found 1.4.0');
    expect(stateOf(host, 'old')?.state).to.equal('active');
  });

  it('leaves out plugins that need each other in a cycle', async () => {
    const { host } = testHost();
    await host.start([
      recording('egg', [], { requires: { hen: '*' } }),
      recording('hen', [], { requires: { egg: '*' } }),
      recording('fox', []),
    ]);
    expect(stateOf(host, 'egg')?.error?.code).to.equal('TETHER_E_PLUGIN_DEPENDENCY_CYCLE');
    expect(stateOf(host, 'hen')?.error?.code).to.equal('TETHER_E_PLUGIN_DEPENDENCY_CYCLE');
    expect(stateOf(host, 'fox')?.state).to.equal('active');
  });

  it('reports a plugin whose activate throws and undoes its registrations', async () => {
    const { host, api } = testHost();
    const thrower = candidate({
      manifest: manifest('thrower', { contracts: ['HttpRoutes'] }),
      activate(context) {
        context.get<HttpRoutes>(HttpRoutes).register(okRoute('/half'));
        throw new Error('database on fire');
      },
    });
    const log: string[] = [];
    await host.start([
      thrower,
      recording('after', log, { requires: { thrower: '*' } }),
      recording('other', log),
    ]);
    expect(stateOf(host, 'thrower')?.state).to.equal('failed');
    expect(stateOf(host, 'thrower')?.error?.code).to.equal('TETHER_E_PLUGIN_ACTIVATE_FAILED');
    expect(stateOf(host, 'thrower')?.error?.message).to.contain('database on fire');
    expect(api.list().map((route) => route.fullPath)).to.deep.equal([]);
    expect(stateOf(host, 'after')?.state).to.equal('left-out');
    expect(log).to.deep.equal(['activate other']);
  });

  it('gives up on an activate that hangs, and undoes what it registers late', async () => {
    const { host, api } = testHost({ activateTimeoutMs: 100 });
    let context: PluginContext | undefined;
    let release: () => void = () => undefined;
    const hanging = candidate({
      manifest: manifest('hanging', { contracts: ['HttpRoutes'] }),
      async activate(given) {
        context = given;
        given.get<HttpRoutes>(HttpRoutes).register(okRoute('/early'));
        await new Promise<void>((resolve) => (release = resolve));
        return { dispose: () => undefined };
      },
    });
    const started = Date.now();
    await host.start([hanging, recording('next', [])]);
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(stateOf(host, 'hanging')?.error?.code).to.equal('TETHER_E_PLUGIN_ACTIVATE_TIMEOUT');
    expect(stateOf(host, 'next')?.state).to.equal('active');
    expect(api.list()).to.have.length(0);
    expect(context?.signal.aborted).to.equal(true);

    const late = () => context?.get<HttpRoutes>(HttpRoutes).register(okRoute('/late'));
    expect(late)
      .to.throw()
      .that.satisfies((e: unknown) => isTetherError(e, 'TETHER_E_PLUGIN_DISPOSED'));
    expect(api.list()).to.have.length(0);
    release();
  });

  it('disposes routes, bus subscriptions and tracked things when it stops', async () => {
    const { host, api, bus } = testHost();
    const seen: string[] = [];
    let tracked = 0;
    const busy = candidate({
      manifest: manifest('busy', { contracts: ['HttpRoutes', 'Bus'] }),
      async activate(context) {
        context.get<HttpRoutes>(HttpRoutes).register(okRoute('/one'));
        await context.get<Bus>(Bus).subscribe('topic', (message) => {
          seen.push(String(message));
        });
        context.track({ dispose: () => void (tracked += 1) });
      },
    });
    await host.start([busy]);
    expect(api.list().map((route) => route.fullPath)).to.deep.equal(['/api/v1/plugins/busy/one']);
    await bus.publish('topic', 'before');
    await eventually(() => seen.length === 1);

    await host.stop();
    await bus.publish('topic', 'after');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).to.deep.equal(['before']);
    expect(api.list()).to.have.length(0);
    expect(tracked).to.equal(1);
    expect(stateOf(host, 'busy')?.state).to.equal('stopped');
  });

  it('still disposes a plugin whose deactivate hangs, within the limit', async () => {
    const { host, api } = testHost({ deactivateTimeoutMs: 100 });
    await host.start([
      candidate({
        manifest: manifest('stubborn', { contracts: ['HttpRoutes'] }),
        activate: (context) => context.get<HttpRoutes>(HttpRoutes).register(okRoute('/x')),
        deactivate: () => new Promise<void>(() => undefined),
      }),
    ]);
    const started = Date.now();
    await host.stop();
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(api.list()).to.have.length(0);
  });

  it('gives a plugin nothing it did not declare, not even through its container', async () => {
    let context: PluginContext | undefined;
    const { host, root } = testHost();
    root.bind(Storage).toConstantValue({} as never);
    await host.start([
      candidate({
        manifest: manifest('modest', { contracts: ['Clock'] }),
        activate: (given) => void (context = given),
      }),
    ]);
    expect(context?.get<Clock>(Clock).now()).to.be.instanceOf(Date);
    for (const token of [Bus, Storage, Logger, HttpRoutes]) {
      expect(context?.container.isBound(token), String(token.description)).to.equal(false);
      const undeclared = () => context?.get(token);
      expect(undeclared)
        .to.throw()
        .that.satisfies((e: unknown) => isTetherError(e, 'TETHER_E_PLUGIN_UNDECLARED_CONTRACT'));
    }
  });

  it('fails a plugin that declares a contract no module provides', async () => {
    const { host } = testHost();
    await host.start([recording('mailing', [], { contracts: ['Mailer'] })]);
    expect(stateOf(host, 'mailing')?.error?.code).to.equal('TETHER_E_CONTRACT_UNAVAILABLE');
    expect(stateOf(host, 'mailing')?.error?.message).to.contain('Mailer');
  });

  it('lets a plugin bind its own classes, injected with the contracts it declared', async () => {
    @injectable()
    class Stamp {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      year(): number {
        return this.clock.now().getUTCFullYear();
      }
    }
    let year = 0;
    const { host } = testHost();
    await host.start([
      candidate({
        manifest: manifest('stamping', { contracts: ['Clock'] }),
        activate(context) {
          context.container.bind(Stamp).toSelf();
          year = context.container.get(Stamp).year();
        },
      }),
    ]);
    expect(year).to.equal(new Date().getUTCFullYear());
  });

  it('skips disabled plugins, refuses duplicates and plugins for another engine', async () => {
    const log: string[] = [];
    const { host } = testHost({ disabled: ['sleepy'] });
    const first = recording('twin', log);
    const second = { ...recording('twin', log), location: 'test:elsewhere' };
    await host.start([
      recording('sleepy', log),
      first,
      second,
      recording('future', log, { engine: '^9.0.0' }),
    ]);
    expect(log).to.deep.equal(['activate twin']);
    expect(stateOf(host, 'sleepy')?.state).to.equal('disabled');
    const codes = host.report().map((status) => status.error?.code);
    expect(codes).to.include('TETHER_E_PLUGIN_DUPLICATE');
    expect(stateOf(host, 'future')?.error?.code).to.equal('TETHER_E_PLUGIN_ENGINE_RANGE');
  });
});
