// The desktop panel's own styles, adopted as a constructed stylesheet: a panel is one ES
// module with no stylesheet file, and the pages' Content-Security-Policy forbids inline styles.
const CSS = `
.rcp { display: flex; flex-direction: column; gap: 0.5rem; min-height: 0; }
.rcp-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.9rem; }
.rcp-bar label { display: inline-flex; align-items: center; gap: 0.35rem; font-size: 0.9rem; }
.rcp-stats { margin-left: auto; font-size: 0.85rem; color: var(--muted, #5b6475);
  font-variant-numeric: tabular-nums; }
.rcp-note { margin: 0; font-size: 0.9rem; color: var(--muted, #5b6475); }
.rcp-screen { background: #1d2230; border-radius: 6px; display: flex;
  justify-content: center; align-items: center; min-height: 8rem; overflow: hidden; }
.rcp-canvas { display: block; max-width: 100%; max-height: 75vh; height: auto;
  cursor: crosshair; outline: none; }
.rcp-canvas:focus-visible { outline: 3px solid var(--focus, #3b6fe0); outline-offset: -3px; }
.rcp-canvas.rcp-view-only { cursor: default; }
.rcp-canvas[hidden] { display: none; }
`;

const adopted = new WeakSet<Document>();

/** Adds the desktop panel's styles to `document` once. */
export function adoptDesktopStyles(document: Document): void {
  if (adopted.has(document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  adopted.add(document);
}
