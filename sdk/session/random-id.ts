import nacl from 'tweetnacl';

/** 128 random bits as 32 hex digits, for request and message ids. */
export function randomId(): string {
  return Array.from(nacl.randomBytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
}
