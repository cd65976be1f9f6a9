import { useState } from 'react';
import type { OutboxMessage } from '../../../src/contracts/trust-center.ts';
import { Notice } from './states.tsx';

/** What happened to a magic-link email, with the link to copy when no mail server sent it. */
export function MagicLinkMessage({ message }: { message: OutboxMessage }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!message.link) return;
    await navigator.clipboard.writeText(message.link);
    setCopied(true);
  };
  return (
    <Notice kind={message.error ? 'error' : 'success'}>
      {message.sentAt ? (
        <>
          Email sent to <strong>{message.toEmail}</strong>.
        </>
      ) : message.error ? (
        <>
          The email to <strong>{message.toEmail}</strong> could not be sent: {message.error}
        </>
      ) : (
        <>
          No mail server is configured, so the email to <strong>{message.toEmail}</strong> waits in the outbox. Send
          them this link yourself:
        </>
      )}
      {message.link && !message.sentAt && (
        <div className="copy-row">
          <input readOnly value={message.link} aria-label="Magic link" onFocus={(e) => e.target.select()} />
          <button type="button" className="btn btn-small" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
    </Notice>
  );
}
