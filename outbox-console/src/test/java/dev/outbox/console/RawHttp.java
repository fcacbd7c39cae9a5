package dev.outbox.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written on a socket to the console on 127.0.0.1: {@code java.net.http} will not send a
 * {@code Host} of the caller's choosing, and a DNS-rebinding page sends exactly that.
 */
final class RawHttp {

  record Response(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
          return line.substring(name.length() + 1).strip();
        }
      }
      return "";
    }
  }

  private RawHttp() {}

  static Response send(
      int port, String method, String path, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    if (!body.isEmpty()) {
      request.append("Content-Type: application/json\r\n");
    }
    request.append("Content-Length: ").append(content.length).append("\r\n");
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      byte[] raw = readAll(socket.getInputStream());
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = text.substring(0, end);
      byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
      int status = Integer.parseInt(head.split(" ")[1]);
      boolean chunked =
          new Response(status, head, "").header("Transfer-Encoding").equals("chunked");
      return new Response(
          status, head, new String(chunked ? unchunk(rest) : rest, StandardCharsets.UTF_8));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int line = at;
      while (chunked[line] != '\r') {
        line++;
      }
      String size = new String(chunked, at, line - at, StandardCharsets.ISO_8859_1).strip();
      int length = Integer.parseInt(size, 16);
      if (length == 0) {
        return body.toByteArray();
      }
      body.write(chunked, line + 2, length);
      at = line + 2 + length + 2;
    }
  }
}
