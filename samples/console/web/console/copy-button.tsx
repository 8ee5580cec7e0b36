import { useState } from 'preact/hooks';

/** Copies `text` to the clipboard; says so, or says to copy by hand where that is refused. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      setSaid('Select it and copy by hand');
    }
    setTimeout(() => setSaid(undefined), 2500);
  };
  return (
    <span class="copy">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        Copy
      </button>
      <span class="muted" role="status">
        {said}
      </span>
    </span>
  );
}
