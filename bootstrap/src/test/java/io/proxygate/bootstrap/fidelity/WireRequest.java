package io.proxygate.bootstrap.fidelity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 request exactly as it crossed the wire: request line, header fields in their order and spelling, and
 * the body bytes (de-chunked when the sender chunked it).
 */
public record WireRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    public WireRequest {
        headers = List.copyOf(headers);
    }

    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The next request on {@code in}, or empty at a clean end of stream. */
    public static Optional<WireRequest> read(InputStream in) throws IOException {
        String requestLine = line(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = line(in);
        }
        if (requestLine == null) {
            return Optional.empty();
        }
        String[] parts = requestLine.split(" ", 3);
        if (parts.length < 3) {
            throw new IOException("not an HTTP request line: " + requestLine);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String field;
        while ((field = line(in)) != null && !field.isEmpty()) {
            int colon = field.indexOf(':');
            headers.add(Map.entry(field.substring(0, colon), field.substring(colon + 1).trim()));
        }
        long length = -1;
        boolean chunked = false;
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("content-length")) {
                length = Long.parseLong(h.getValue().trim());
            } else if (h.getKey().equalsIgnoreCase("transfer-encoding")
                    && h.getValue().toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body;
        if (chunked) {
            body = chunks(in);
        } else if (length > 0) {
            body = in.readNBytes((int) length);
        } else {
            body = new byte[0];
        }
        return Optional.of(new WireRequest(parts[0], parts[1], headers, body));
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("stream ended inside a chunked body");
            }
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = line(in)) != null && !trailer.isEmpty()) {
                    // trailers are not compared
                }
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }
}
