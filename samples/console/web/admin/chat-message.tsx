/** A stored chat message as the chat plugin gives it back. */
export interface ChatMessage {
  readonly session: string;
  readonly id: string;
  readonly from: 'technician' | 'end-user';
  readonly participantId: string;
  readonly sentAt: string;
  readonly length: number;
  readonly text?: string;
  readonly textOmitted?: true;
  readonly textUnreadable?: true;
  readonly storedBy: string;
  readonly group?: string;
}

/** A message's text, or what stands in for it when the policy left it out or it is lost. */
export function TextOf(props: { readonly message: ChatMessage }) {
  const { message } = props;
  if (message.textOmitted) return <span class="muted">(text not kept by policy)</span>;
  if (message.textUnreadable) return <span class="error">(text can no longer be opened)</span>;
  return <span class="chat-text">{message.text ?? ''}</span>;
}
