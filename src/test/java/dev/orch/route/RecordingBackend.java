package dev.orch.route;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A backend that records every request it receives as one line, {@code METHOD TARGET [body]} (control bytes
 * written {@code \xHH}), and answers each with {@code 200 ok}. Its own small HTTP/1.1 reader takes bodies by
 * Content-Length or chunked, as a backend behind the route would; {@code /slow} answers after a second, {@code
 * /upgrade} answers 101 and then echoes every byte.
 */
final class RecordingBackend implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> seen = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    RecordingBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    Backend backend() {
        return new Backend("127.0.0.1", server.getLocalPort());
    }

    synchronized List<String> seen() {
        return List.copyOf(seen);
    }

    synchronized void clear() {
        seen.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (this) {
                    sockets.add(s);
                }
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (String requestLine = line(in); requestLine != null; requestLine = line(in)) {
                if (requestLine.isEmpty()) {
                    continue;
                }
                long length = 0;
                boolean chunked = false;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(h.indexOf(':') + 1).trim();
                    if (name.equals("content-length")) {
                        length = Long.parseLong(value);
                    } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                        chunked = true;
                    }
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if (chunked) {
                    for (int n = Integer.parseInt(line(in).trim(), 16); n > 0; n = Integer.parseInt(line(in).trim(), 16)) {
                        body.write(in.readNBytes(n));
                        line(in);
                    }
                    while (!line(in).isEmpty()) {} // trailers
                } else {
                    body.write(in.readNBytes((int) length));
                }
                String[] parts = requestLine.split(" ");
                String record = parts[0] + " " + escape(parts[1]) + (body.size() == 0 ? "" : " " + escape(body.toString(StandardCharsets.ISO_8859_1)));
                synchronized (this) {
                    seen.add(record);
                }
                if (parts[1].startsWith("/upgrade")) {
                    // 101, then an echo of raw bytes: what the route tunnels after an upgrade
                    out.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.transferTo(out);
                    return;
                }
                if (parts[1].startsWith("/slow")) {
                    Thread.sleep(1_000);
                }
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the route closed the connection, or sent what this reader cannot take (recorded as far as it got)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line without its CRLF (ISO-8859-1, every byte kept), or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) {
                return sb.isEmpty() ? null : sb.toString();
            }
            if (c == '\n') {
                int last = sb.length() - 1;
                return last >= 0 && sb.charAt(last) == '\r' ? sb.substring(0, last) : sb.toString();
            }
            sb.append((char) c);
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (SocketException e) {
                    // already closed
                }
            }
        }
    }
}
