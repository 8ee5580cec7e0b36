/**
 * The Content-Security-Policy of every answer. Pages run only the engine's own scripts and
 * styles, never inline code; they talk only to the engine itself (`'self'` covers the
 * gateway's `wss:` on the same host and port); nothing frames them, and nothing they render
 * can submit a form elsewhere or change the base URL. Tiles and QR codes are `blob:` and
 * `data:` images.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
