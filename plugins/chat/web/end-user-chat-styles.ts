// The chat panel's own styles, adopted as a constructed stylesheet: a panel is one ES module
// and brings no stylesheet file of its own, and the pages' Content-Security-Policy forbids
// inline styles (a constructed sheet is made by the already trusted script, not by markup).
const CSS = `
.euchat { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.euchat-scroll { flex: 1; overflow-y: auto; min-height: 12rem; }
.euchat-lines { list-style: none; margin: 0; padding: 0.75rem; min-height: 100%;
  display: flex; flex-direction: column; gap: 0.5rem; }
.euchat-empty { color: var(--muted, #5b6475); text-align: center; margin: auto; }
.euchat-line { max-width: 85%; padding: 0.45rem 0.7rem; border-radius: 10px;
  background: var(--bg, #f5f6f8); border: 1px solid var(--line, #d9dde5); }
.euchat-mine { align-self: flex-end; background: #e8efff; border-color: #c7d6ff; }
.euchat-theirs { align-self: flex-start; }
.euchat-meta { display: block; font-size: 0.78rem; color: var(--muted, #5b6475); }
.euchat-who { font-weight: 600; overflow-wrap: anywhere; }
.euchat-text { display: block; white-space: pre-wrap; overflow-wrap: anywhere; }
.euchat-tick { display: block; text-align: right; font-size: 0.78rem;
  color: var(--muted, #5b6475); }
.euchat-delivered { color: var(--ok, #2e7d32); }
.euchat-failed { color: var(--danger, #c62828); font-weight: 700; }
.euchat-typing { min-height: 1.3em; margin: 0; padding: 0 0.75rem; font-size: 0.85rem;
  color: var(--muted, #5b6475); }
.euchat-form { display: flex; gap: 0.5rem; padding: 0.75rem;
  border-top: 1px solid var(--line, #d9dde5); }
.euchat-form input { flex: 1; min-width: 0; font-size: 1rem; }
.euchat-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
`;

const adopted = new WeakSet<Document>();

/** Adds the chat styles to `document` once. */
export function adoptChatStyles(document: Document): void {
  if (adopted.has(document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  adopted.add(document);
}
