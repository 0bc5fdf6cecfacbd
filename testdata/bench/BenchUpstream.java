import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A fast stand-in for OpenAI and Anthropic, for benchmarks only: {@code java BenchUpstream.java PORT}.
 *
 * <p>Answers {@code POST .../chat/completions}, {@code .../responses} and {@code .../messages} (any prefix) with a
 * realistic reply carrying usage, as JSON or, when the body asks for {@code "stream": true}, as server-sent events.
 * The stream's shape comes from the model name, so it survives any gateway unchanged: {@code bench-e50-g20} sends
 * 50 delta events 20 ms apart (defaults: 10 events, no gap). JDK HttpServer on virtual threads: one cheap thread per
 * open stream, so thousands of long streams cost the mock little.
 */
public final class BenchUpstream {
    private static final byte[] CHAT_JSON = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello from the bench upstream.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":7,\"total_tokens\":22}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSES_JSON = ("{\"id\":\"resp_bench\",\"object\":\"response\",\"created_at\":1700000000,"
            + "\"model\":\"gpt-4o-mini\",\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"id\":\"msg_bench\","
            + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
            + "\"text\":\"Hello from the bench upstream.\",\"annotations\":[]}]}],\"usage\":{\"input_tokens\":15,"
            + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":7,"
            + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":22}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGES_JSON = ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Hello from the bench upstream.\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":15,\"output_tokens\":7,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}")
            .getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", BenchUpstream::handle);
        server.start();
        System.out.println("bench upstream on 127.0.0.1:" + server.getAddress().getPort());
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String text = new String(body, StandardCharsets.UTF_8);
            boolean stream = streamRequested(text);
            String model = model(text);
            int events = number(model, "-e", 10);
            int gapMillis = number(model, "-g", 0);
            if (path.endsWith("/chat/completions")) {
                if (stream) {
                    chatStream(exchange, events, gapMillis);
                } else {
                    json(exchange, CHAT_JSON);
                }
            } else if (path.endsWith("/responses")) {
                if (stream) {
                    responsesStream(exchange, events, gapMillis);
                } else {
                    json(exchange, RESPONSES_JSON);
                }
            } else if (path.endsWith("/messages")) {
                if (stream) {
                    messagesStream(exchange, events, gapMillis);
                } else {
                    json(exchange, MESSAGES_JSON);
                }
            } else {
                byte[] notFound = "{\"error\":{\"message\":\"not found\"}}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, notFound.length);
                exchange.getResponseBody().write(notFound);
            }
        } catch (IOException | InterruptedException clientGone) {
            // the benchmark client or gateway hung up: nothing to do
        }
    }

    private static void json(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static OutputStream sse(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void send(OutputStream out, String event, String data) throws IOException {
        String text = (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(int gapMillis) throws InterruptedException {
        if (gapMillis > 0) {
            Thread.sleep(gapMillis);
        }
    }

    private static void responsesStream(HttpExchange exchange, int events, int gap) throws IOException, InterruptedException {
        OutputStream out = sse(exchange);
        send(out, "response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_bench\","
                + "\"object\":\"response\",\"model\":\"gpt-4o-mini\",\"status\":\"in_progress\",\"output\":[]}}");
        for (int i = 0; i < events; i++) {
            pause(gap);
            send(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_bench\","
                    + "\"output_index\":0,\"content_index\":0,\"delta\":\"token" + i + " \"}");
        }
        send(out, "response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_bench\","
                + "\"object\":\"response\",\"created_at\":1700000000,\"model\":\"gpt-4o-mini\",\"status\":\"completed\","
                + "\"output\":[],\"usage\":{\"input_tokens\":15,\"input_tokens_details\":{\"cached_tokens\":0},"
                + "\"output_tokens\":" + events + ",\"output_tokens_details\":{\"reasoning_tokens\":0},"
                + "\"total_tokens\":" + (15 + events) + "}}}");
    }

    private static void messagesStream(HttpExchange exchange, int events, int gap) throws IOException, InterruptedException {
        OutputStream out = sse(exchange);
        send(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":15,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
        send(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (int i = 0; i < events; i++) {
            pause(gap);
            send(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"token" + i + " \"}}");
        }
        send(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        send(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + events + "}}");
        send(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    private static void chatStream(HttpExchange exchange, int events, int gap) throws IOException, InterruptedException {
        OutputStream out = sse(exchange);
        for (int i = 0; i < events; i++) {
            if (i > 0) {
                pause(gap);
            }
            send(out, null, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token" + i
                    + " \"},\"finish_reason\":null}]}");
        }
        send(out, null, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":"
                + events + ",\"total_tokens\":" + (15 + events) + "}}");
        send(out, null, "[DONE]");
    }

    /** Whether the JSON body has {@code "stream": true} at any depth (bench bodies only have it at the top). */
    static boolean streamRequested(String body) {
        int at = body.indexOf("\"stream\"");
        if (at < 0) {
            return false;
        }
        int i = at + 8;
        while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == ':')) {
            i++;
        }
        return body.startsWith("true", i);
    }

    static String model(String body) {
        int at = body.indexOf("\"model\"");
        if (at < 0) {
            return "";
        }
        int open = body.indexOf('"', at + 7);
        int close = open < 0 ? -1 : body.indexOf('"', open + 1);
        return close < 0 ? "" : body.substring(open + 1, close);
    }

    /** The number after {@code marker} in the model name ({@code bench-e50-g20}), or the default. */
    static int number(String model, String marker, int fallback) {
        int at = model.indexOf(marker);
        if (at < 0) {
            return fallback;
        }
        int i = at + marker.length();
        int value = 0;
        boolean any = false;
        while (i < model.length() && Character.isDigit(model.charAt(i))) {
            value = value * 10 + (model.charAt(i) - '0');
            any = true;
            i++;
        }
        return any ? value : fallback;
    }
}
