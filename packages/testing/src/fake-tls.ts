import type { TLSSocket } from 'node:tls';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/**
 * An HTTPS site on 127.0.0.1 with a self-signed certificate for `hostname` (and 127.0.0.1): nothing trusts it
 * unless handed `ca`. Records the TLS server name (SNI) and Host header of each request.
 */
export async function startFakeTlsSite(hostname: string) {
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const seen: { servername: string | undefined; host: string | undefined }[] = [];
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    seen.push({
      servername: (req.socket as TLSSocket).servername || undefined,
      host: req.headers.host,
    });
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Over TLS</title></head></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    /** The certificate, to trust it explicitly. */
    ca: pems.cert,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
