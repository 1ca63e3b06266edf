/**
 * Authenticators, as upstream's `authenticator.Request` and `authenticator.Token`.
 *
 * Contract: an authenticator resolves `undefined` when the request carries no credential of its
 * kind (so the next one may try), resolves a user when the credential is good, and throws an
 * {@link AuthenticationError} when the credential is of its kind but wrong (expired, forged,
 * unknown, revoked). A request whose credentials all fail is 401; the reason is logged, never
 * sent to the client.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../user.js';

export interface AuthenticationResult {
  user: UserInfo;
  /** The audiences the credential is valid for, when it names any (bound tokens). */
  audiences?: string[];
}

/** Authenticates a request from something other than a bearer token (client certificates). */
export interface RequestAuthenticator {
  readonly name: string;
  authenticate(req: IncomingMessage): Promise<AuthenticationResult | undefined>;
}

/** Authenticates a bearer token. `audiences` default to the server's API audiences. */
export interface TokenAuthenticator {
  readonly name: string;
  authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult | undefined>;
}

/** A credential that is present but not good. The message is for the server log only. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/**
 * Runs token authenticators in order: the first user wins; when none accepts the token, throws
 * the errors collected (or "invalid bearer token" when none recognised it).
 */
export async function authenticateToken(
  authenticators: readonly TokenAuthenticator[],
  token: string,
  audiences?: string[],
): Promise<AuthenticationResult> {
  const errors: string[] = [];
  for (const a of authenticators) {
    try {
      const res = await a.authenticateToken(token, audiences);
      if (res) return res;
    } catch (err) {
      errors.push(`[${a.name}] ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new AuthenticationError(errors.length ? errors.join(', ') : 'invalid bearer token');
}
