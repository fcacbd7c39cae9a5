package dev.outbox.checker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay in front of a database server that can drop every connection through it at once,
 * resetting both ends: the clients see their connections broken, the server sees its clients gone
 * and rolls their transactions back. Used where the server has no safe way to kill sessions itself.
 */
final class ConnectionCutter implements AutoCloseable {

  private final ServerSocket listener;
  private final int upstreamPort;
  private final List<Socket> open = new ArrayList<>();

  ConnectionCutter(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the relay's port", e);
    }
    Thread acceptor = new Thread(this::accept, "checker-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Resets every connection currently relayed; new connections are accepted as before. */
  synchronized void cutAll() {
    for (Socket socket : open) {
      closeWithReset(socket);
    }
    open.clear();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server;
        try {
          server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        } catch (IOException e) {
          closeWithReset(client);
          continue;
        }
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        synchronized (this) {
          open.add(client);
          open.add(server);
        }
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // cut, or closed by one end
              } finally {
                closeWithReset(from);
                closeWithReset(to);
                forget(from, to);
              }
            },
            "checker-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void forget(Socket a, Socket b) {
    open.remove(a);
    open.remove(b);
  }

  private static void closeWithReset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (SocketException e) {
      // already closed
    } catch (IOException e) {
      // nothing more to do with it
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    cutAll();
  }
}
