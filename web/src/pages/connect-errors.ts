import type { ConnectUIEvent } from '@nangohq/frontend';

type ConnectError = Extract<ConnectUIEvent, { type: 'error' }>['payload'];

/**
 * The Connect UI's `error` event in words an admin can act on. Nango's own text is kept at the end for
 * support; the error types are the frontend SDK's, plus the OAuth callback error the Connect UI reports when
 * the admin cancels on Notion's consent screen.
 */
export function connectErrorMessage({ errorType, errorMessage }: ConnectError): string {
  const lead = LEADS[errorType as string] ?? deniedOrUnknown(errorMessage);
  return errorMessage ? `${lead} (${errorMessage})` : lead;
}

const LEADS: Record<string, string> = {
  window_closed: 'The Notion window was closed before access was granted. Click “Connect Notion” to try again.',
  blocked_by_browser:
    'Your browser blocked the Notion window. Allow pop-ups for this site, or open the connect page in a new tab.',
  missing_connect_session_token: 'The connect session expired. Click “Connect Notion” again.',
  connection_test_failed: 'Notion granted access, but the connection could not be verified. Try again.',
  connection_validation_failed: 'Notion granted access, but the connection could not be verified. Try again.',
  resource_capped: 'The Nango plan’s connection limit is reached. Ask whoever manages Nango to raise it.',
  missing_credentials: 'The Notion integration is not fully set up in Nango (its OAuth app is missing).',
  invalid_host_url: 'The Notion integration is not fully set up in Nango.',
  missing_auth_token: 'The Notion integration is not fully set up in Nango.',
};

function deniedOrUnknown(message: string): string {
  return /access_denied|authorization code/i.test(message)
    ? 'Notion access was not granted: the consent was cancelled or refused. Click “Connect Notion” to try again.'
    : 'Notion could not be connected. Try again in a moment.';
}
