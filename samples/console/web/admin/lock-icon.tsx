/** A small padlock, drawn in the text colour; decorative, since labels say "locked" in words. */
export function LockIcon() {
  return (
    <svg class="lock" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
      <path fill="currentColor" d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" />
    </svg>
  );
}
