/**
 * The x509 client-certificate authenticator (upstream `request/x509` with
 * `CommonNameUserConversion`): the certificate the client presented in the TLS handshake, verified
 * against the client CA by the handshake itself, names the user (CN) and its groups (each O).
 *
 * A connection without a client certificate has no credential here. A certificate that does not
 * chain to the client CA, has expired, or is not for client authentication (ExtendedKeyUsage
 * without clientAuth) is an {@link AuthenticationError}; a certificate without a CN authenticates
 * nobody, as upstream.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { AuthenticationError, type RequestAuthenticator } from './types.js';

const clientAuthOID = '1.3.6.1.5.5.7.3.2';

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function x509Authenticator(): RequestAuthenticator {
  return {
    name: 'x509',
    async authenticate(req: IncomingMessage) {
      const socket = req.socket as TLSSocket;
      if (!socket.encrypted || typeof socket.getPeerCertificate !== 'function') return undefined;
      const cert = socket.getPeerCertificate();
      if (!cert || Object.keys(cert).length === 0) return undefined;
      if (!socket.authorized) {
        throw new AuthenticationError(
          `verifying certificate ${cert.serialNumber ?? ''} failed: ${String(socket.authorizationError ?? 'unknown authority')}`,
        );
      }
      const usages = (cert as { ext_key_usage?: string[] }).ext_key_usage;
      if (usages && !usages.includes(clientAuthOID)) {
        throw new AuthenticationError('certificate is not valid for client authentication');
      }
      const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
      const cn = values(subject.CN)[0];
      if (!cn) return undefined;
      return { user: { username: cn, groups: values(subject.O) } };
    },
  };
}
