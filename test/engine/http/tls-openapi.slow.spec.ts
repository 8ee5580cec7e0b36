import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { connect, type ConnectionOptions } from 'node:tls';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { fixturePlugin } from '../../support/fixture-paths.js';

function handshake(options: ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(options, () => {
      resolve(socket.getProtocol() ?? 'none');
      socket.end();
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('handshake timed out')));
    socket.on('error', reject);
  });
}

/** Runs `openssl s_client` against the engine (asynchronously: the engine shares this process). */
function opensslClient(flag: string, port: number): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', flag, '-connect', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', (error) =>
      reject(new Error(`openssl is needed (.ci/run installs it): ${error}`)),
    );
    child.on('close', (status) => resolve({ status: status ?? -1, stdout }));
  });
}

describe('TLS', () => {
  let engine: TestEngine;
  let port: number;

  before(async () => {
    engine = await startTestEngine();
    port = Number(new URL(engine.url).port);
  });
  after(() => engine?.stop());

  it('speaks TLS 1.3 with a certificate valid for 127.0.0.1', async () => {
    const protocol = await handshake({ host: '127.0.0.1', port, ca: engine.cert });
    expect(protocol).to.equal('TLSv1.3');
    expect(new X509Certificate(engine.cert).subjectAltName).to.contain('IP Address:127.0.0.1');
  });

  it('refuses a client that offers nothing newer than TLS 1.2', async () => {
    const attempt = handshake({ host: '127.0.0.1', port, ca: engine.cert, maxVersion: 'TLSv1.2' });
    const failure = await attempt.then(
      () => 'connected',
      (error: Error) => error.message,
    );
    expect(failure).not.to.equal('connected');
  });

  it('refuses openssl s_client -tls1_2 and accepts -tls1_3', async () => {
    const old = await opensslClient('-tls1_2', port);
    expect(old.status).not.to.equal(0);
    const current = await opensslClient('-tls1_3', port);
    expect(current.status).to.equal(0);
    expect(current.stdout).to.contain('TLSv1.3');
  });

  it('keeps its self-signed certificate across restarts', async () => {
    const again = await startTestEngine({ dataDir: engine.dataDir });
    try {
      expect(again.cert).to.equal(engine.cert);
    } finally {
      await again.stop();
    }
  });
});

describe('GET /api/v1/openapi.json', () => {
  let engine: TestEngine;
  let document: Record<string, unknown>;

  before(async () => {
    engine = await startTestEngine({ plugins: [fixturePlugin('echo')] });
    document = (await engine.request('/api/v1/openapi.json')).json as Record<string, unknown>;
  });
  after(() => engine?.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it('documents the engine routes and the plugins routes from their schemas', () => {
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths).to.include.keys('/health', '/ready', '/metrics', '/api/v1/openapi.json');
    const post = paths['/api/v1/plugins/echo/echo']?.post;
    expect(post?.operationId).to.equal('echoPost');
    const body = post?.requestBody as { content: Record<string, { schema: unknown }> };
    expect(body.content['application/json']?.schema).to.deep.include({
      type: 'object',
      required: ['name', 'count'],
    });
    const item = paths['/api/v1/plugins/echo/items/{id}']?.get;
    expect(item?.parameters).to.deep.include({
      name: 'id',
      in: 'path',
      required: true,
      schema: {
        type: 'string',
        format: 'uuid',
        pattern: (item?.parameters as Array<{ schema: { pattern: string } }>)[0]?.schema.pattern,
      },
    });
  });
});
