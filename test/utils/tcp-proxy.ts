import { type AddressInfo, createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of the test database, so a test can take the database "down"
 * (refuse and cut every connection) and bring it back without touching the real server, or slow
 * every reply down.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  delayMs = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A started proxy in front of the server `databaseUrl` names, and that URL rewritten to go through it. */
  static async inFrontOf(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(databaseUrl);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    return { proxy, url: TcpProxy.urlThrough(databaseUrl, proxy.port) };
  }

  /** Returns `url` rewritten to go through this proxy. */
  static urlThrough(url: string, port: number): string {
    const rewritten = new URL(url);
    rewritten.hostname = '127.0.0.1';
    rewritten.port = String(port);
    return rewritten.toString();
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => (this.delayMs > 0 ? setTimeout(() => client.write(chunk), this.delayMs) : client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Cuts every open connection and stops listening: to the app, the database is gone. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
