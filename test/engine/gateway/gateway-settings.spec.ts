import { expect } from 'chai';
import { loadSettings } from '../../../engine/config/load-settings.js';
import { isTetherError } from '../../../engine/errors.js';
import { OriginPolicy } from '../../../engine/gateway/origin-policy.js';

function configError(flags: Record<string, unknown>): string {
  try {
    loadSettings({ flags, env: {} });
  } catch (error) {
    expect(isTetherError(error, 'TETHER_E_CONFIG'), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('gateway settings', () => {
  it('defaults to 25 s pings, 1 MiB + 256 messages and no extra origins', () => {
    const settings = loadSettings({ env: {} });
    expect(settings.gatewayPingSeconds).to.equal(25);
    expect(settings.gatewayMaxFrameBytes).to.equal(1024 * 1024 + 256);
    expect(settings.gatewayOrigins).to.deep.equal([]);
  });

  it('refuses a ping interval above 30 s or below 1 s', () => {
    expect(configError({ gatewayPingSeconds: '31' })).to.match(/gatewayPingSeconds/);
    expect(configError({ gatewayPingSeconds: '0' })).to.match(/gatewayPingSeconds/);
    expect(
      loadSettings({ flags: { gatewayPingSeconds: '30' }, env: {} }).gatewayPingSeconds,
    ).to.equal(30);
  });

  it('takes origins only as a browser sends them', () => {
    const list = 'https://a.example.test, https://b.example.test:8443';
    const settings = loadSettings({ flags: { gatewayOrigins: list }, env: {} });
    expect(settings.gatewayOrigins).to.deep.equal([
      'https://a.example.test',
      'https://b.example.test:8443',
    ]);
    for (const bad of [
      'https://a.example.test/',
      'https://a.example.test/path',
      'a.example.test',
      '*',
      'http://console.example.test',
    ]) {
      expect(configError({ gatewayOrigins: bad }), bad).to.match(/gatewayOrigins/);
    }
    const local = loadSettings({ flags: { gatewayOrigins: 'http://localhost:5173' }, env: {} });
    expect(local.gatewayOrigins).to.deep.equal(['http://localhost:5173']);
  });
});

describe('OriginPolicy', () => {
  it("names the engine's own origins, with localhost on loopback", () => {
    expect(OriginPolicy.ownOrigins('127.0.0.1', 8443)).to.deep.equal([
      'https://127.0.0.1:8443',
      'https://localhost:8443',
    ]);
    expect(OriginPolicy.ownOrigins('10.0.0.5', 443)).to.deep.equal(['https://10.0.0.5']);
    expect(OriginPolicy.ownOrigins('::1', 9000)[0]).to.equal('https://[::1]:9000');
  });

  it('compares whole origins, never prefixes', () => {
    const policy = new OriginPolicy(['https://console.example.test']);
    expect(policy.allows(undefined)).to.equal(true);
    expect(policy.allows('https://console.example.test')).to.equal(true);
    expect(policy.allows('https://CONSOLE.example.test')).to.equal(true);
    expect(policy.allows('https://console.example.test.evil.test')).to.equal(false);
    expect(policy.allows('http://console.example.test')).to.equal(false);
    expect(policy.allows('null')).to.equal(false);
    expect(policy.allows('not a url')).to.equal(false);
  });
});
