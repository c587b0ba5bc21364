package dev.signet.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request over a plain socket with exactly the headers given (the JDK HttpClient
 * will not send an arbitrary {@code Host}). For Host header injection tests.
 */
public final class RawHttp {

    public record Response(int status, String head, String body) {
        public String all() {
            return head + "\r\n\r\n" + body;
        }

        /** The first value of the header field {@code name} (any case), trimmed. */
        public java.util.Optional<String> header(String name) {
            String prefix = name.toLowerCase(java.util.Locale.ROOT) + ":";
            return head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst();
        }
    }

    private RawHttp() {}

    public static Response get(int port, String path, Map<String, String> headers) {
        return send(port, "GET", path, headers, "");
    }

    /** A request with a body (sent as is, with its Content-Length); the target is written exactly as given. */
    public static Response send(int port, String method, String path, Map<String, String> headers, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        if (!body.isEmpty()) {
            req.append("Content-Length: ").append(content.length).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        byte[] head = req.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return raw(port, all);
    }

    /** Sends {@code request} exactly as given (its request line, version and headers are the caller's) and reads one response. */
    public static Response raw(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (java.net.SocketException e) {
                // the server may answer and close before reading all of a request it refuses (too large): read its answer
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            // Read the head, then exactly Content-Length bytes: the server may keep the connection open.
            while (!buf.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                buf.write(b);
            }
            String head = buf.toString(StandardCharsets.ISO_8859_1).strip();
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Response(status, head, answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
