package io.proxygate.bootstrap.fidelity;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mock upstream over a plain socket, so that it sees the request as ProxyGate put it on the wire: header fields in
 * order and spelling (the JDK's HttpServer keeps neither), body bytes as sent. Answers each API in its own stream
 * shape with the text "pong".
 */
public final class CapturingUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final List<WireRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public CapturingUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public List<WireRequest> requests() {
        return List.copyOf(requests);
    }

    public void clear() {
        requests.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream())) {
            OutputStream out = socket.getOutputStream();
            Optional<WireRequest> next;
            while ((next = WireRequest.read(in)).isPresent()) {
                WireRequest request = next.get();
                requests.add(request);
                answer(request, out);
            }
        } catch (IOException e) {
            // the relay closed the connection
        }
    }

    private static void answer(WireRequest request, OutputStream out) throws IOException {
        String path = request.path();
        if (path.endsWith("/count_tokens")) {
            reply(out, "application/json", "{\"input_tokens\":12}");
        } else if (path.endsWith("/messages")) {
            boolean stream = request.bodyText().contains("\"stream\":true");
            reply(out, stream ? "text/event-stream" : "application/json", stream ? messagesStream() : messageJson());
        } else if (path.endsWith("/models")) {
            reply(out, "application/json", "{\"object\":\"list\",\"data\":[],\"models\":[]}");
        } else if (path.contains("usage")) {
            reply(out, "application/json", "{}");
        } else if (path.endsWith("/chat/completions")) {
            reply(out, "application/json", chatJson());
        } else if (path.endsWith("/responses")) {
            boolean stream = path.contains("/codex/") || request.bodyText().contains("\"stream\":true");
            reply(out, stream ? "text/event-stream" : "application/json",
                    stream ? responsesStream() : responseObject("completed", "[" + ITEM + "]"));
        } else {
            byte[] body = "{\"error\":{\"message\":\"no mock\"}}".getBytes(StandardCharsets.UTF_8);
            write(out, 404, "application/json", body);
        }
    }

    private static void reply(OutputStream out, String contentType, String body) throws IOException {
        write(out, 200, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, int status, String contentType, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static final String ITEM = "{\"type\":\"message\",\"id\":\"msg_pg\",\"status\":\"completed\","
            + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"pong\",\"annotations\":[]}]}";

    private static String responseObject(String status, String output) {
        return "{\"id\":\"resp_pg\",\"object\":\"response\",\"created_at\":1700000000,\"model\":\"gpt-5\","
                + "\"status\":\"" + status + "\",\"output\":" + output + ",\"parallel_tool_calls\":true,"
                + "\"tool_choice\":\"auto\",\"tools\":[],\"usage\":{\"input_tokens\":20,\"input_tokens_details\":"
                + "{\"cached_tokens\":0},\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":0},"
                + "\"total_tokens\":22}}";
    }

    private static String responsesStream() {
        return "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                + responseObject("in_progress", "[]") + "}\n\n"
                + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
                + "\"sequence_number\":1,\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_pg\","
                + "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}\n\n"
                + "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\","
                + "\"sequence_number\":2,\"item_id\":\"msg_pg\",\"output_index\":0,\"content_index\":0,"
                + "\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                + "\"sequence_number\":3,\"item_id\":\"msg_pg\",\"output_index\":0,\"content_index\":0,"
                + "\"delta\":\"pong\"}\n\n"
                + "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\","
                + "\"sequence_number\":4,\"item_id\":\"msg_pg\",\"output_index\":0,\"content_index\":0,"
                + "\"text\":\"pong\"}\n\n"
                + "event: response.content_part.done\ndata: {\"type\":\"response.content_part.done\","
                + "\"sequence_number\":5,\"item_id\":\"msg_pg\",\"output_index\":0,\"content_index\":0,"
                + "\"part\":{\"type\":\"output_text\",\"text\":\"pong\",\"annotations\":[]}}\n\n"
                + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\","
                + "\"sequence_number\":6,\"output_index\":0,\"item\":" + ITEM + "}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":7,"
                + "\"response\":" + responseObject("completed", "[" + ITEM + "]") + "}\n\n";
    }

    private static String messageJson() {
        return "{\"id\":\"msg_pg\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"pong\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":2}}";
    }

    private static String messagesStream() {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_pg\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"pong\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    private static String chatJson() {
        return "{\"id\":\"chatcmpl-pg\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-5\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"pong\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,"
                + "\"total_tokens\":6}}";
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
