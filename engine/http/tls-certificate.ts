import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { Logger } from '../contracts/logger-contract.js';
import { TetherError } from '../errors.js';

/** The engine's TLS identity. */
export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint of the certificate, colon-separated hex. */
  readonly fingerprint: string;
}

/** Where the certificate comes from: configured files, or a self-signed pair in `dataDir`. */
export interface TlsSource {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly dataDir: string;
  /** The host the engine listens on, added to the certificate's names. */
  readonly host: string;
}

const VALID_DAYS = 397;

/** Reads the configured certificate, or makes a self-signed one on first start and keeps it. */
export async function loadTlsIdentity(source: TlsSource, logger: Logger): Promise<TlsIdentity> {
  if (source.certFile && source.keyFile) {
    return identity(await readPem(source.certFile), await readPem(source.keyFile));
  }
  const folder = path.join(source.dataDir, 'tls');
  const certFile = path.join(folder, 'engine-cert.pem');
  const keyFile = path.join(folder, 'engine-key.pem');
  try {
    const existing = identity(await readFile(certFile, 'utf8'), await readFile(keyFile, 'utf8'));
    logger.info({ fingerprint: existing.fingerprint }, 'using the self-signed certificate');
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  const made = await selfSigned(source.host);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFile(keyFile, made.key, { mode: 0o600 });
  await writeFile(certFile, made.cert, { mode: 0o644 });
  logger.info({ fingerprint: made.fingerprint, certFile }, 'made a self-signed certificate');
  return made;
}

async function selfSigned(host: string): Promise<TlsIdentity> {
  const names = new Set(['localhost', '127.0.0.1', '::1', host]);
  const altNames = [...names].map((name) =>
    isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
  );
  const notAfterDate = new Date(Date.now() + VALID_DAYS * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'Tether engine' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return identity(pems.cert, pems.private);
}

function identity(cert: string, key: string): TlsIdentity {
  return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
}

async function readPem(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new TetherError('TETHER_E_CONFIG', `TLS file ${file} cannot be read (${reason})`);
  }
}
