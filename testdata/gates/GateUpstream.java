// Fake upstream for the ported gate scripts, run as a single-file program: java GateUpstream.java PHASE PORT
// It answers like the Go original's fake upstreams (testdata/phase*_gate.sh), one behaviour per phase.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class GateUpstream {
    public static void main(String[] args) throws IOException {
        String phase = args[0];
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (phase.equals("translate")) {
                    translate(exchange, body);
                } else if (phase.equals("translate-claude")) {
                    translateClaude(exchange, body);
                } else {
                    handle(phase, exchange);
                }
            }
        });
        server.start();
    }

    static void handle(String phase, HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String auth = header(ex, "Authorization");
        switch (phase) {
            case "1", "5" -> {
                if (path.endsWith("/compact")) {
                    json(ex, "{\"id\":\"cmp_1\",\"object\":\"response.compaction\",\"output\":[{\"type\":"
                            + "\"compaction\",\"encrypted_content\":\"MIGRATE_COMPACT_PASS\"}]}");
                } else if (path.endsWith("/messages")) {
                    json(ex, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                            + "\"content\":[{\"type\":\"text\",\"text\":\"MIGRATE_MSG_PASS\"}],\"stop_reason\":\"end_turn\","
                            + "\"usage\":{\"input_tokens\":12,\"output_tokens\":8}}");
                } else if (path.endsWith("/chat/completions")) {
                    json(ex, chat("MIGRATE_CHAT_PASS"));
                } else if (path.endsWith("/wham/usage") || path.endsWith("/api/oauth/usage")) {
                    json(ex, "{}");
                } else {
                    // The migration gate checks which ChatGPT account served a pinned conversation.
                    sse(ex, "resp_gate", phase.equals("1") ? "PHASE_1_PASS"
                            : "MIGRATE_RESPONSES_PASS account=" + header(ex, "ChatGPT-Account-Id"), 100, 50, 25, 5, 125);
                }
            }
            case "2" -> {
                if (path.endsWith("/wham/usage")) {
                    json(ex, "{\"plan_type\":\"pro\",\"rate_limit\":{\"limit_reached\":false,"
                            + "\"primary_window\":{\"used_percent\":42.5,\"reset_after_seconds\":900},"
                            + "\"secondary_window\":{\"used_percent\":18.0,\"reset_after_seconds\":3600}}}");
                } else {
                    String account = header(ex, "ChatGPT-Account-Id");
                    sse(ex, "resp_" + (account == null ? "" : account), "ok", 50, 0, 10, 0, 60);
                }
            }
            case "3" -> sse(ex, auth != null && auth.startsWith("Bearer sk-") ? "resp_apikey" : "resp_account", "ok",
                    30, 0, 15, 0, 45);
            case "4" -> {
                if (path.endsWith("/v1/messages")) {
                    json(ex, "{\"id\":\"msg_1\",\"model\":\"claude-3-5-sonnet\",\"content\":[{\"type\":\"text\","
                            + "\"text\":\"MSG_PASS\"}],\"usage\":{\"input_tokens\":12,\"output_tokens\":8}}");
                } else {
                    json(ex, chat("CHAT_PASS"));
                }
            }
            case "clients" -> {
                // Real CLIs: record which credential reached the upstream, answer "pong" in each API's stream shape.
                String key = header(ex, "x-api-key");
                System.out.println("SEEN " + path + " auth=" + auth + " x-api-key=" + key
                        + " account=" + header(ex, "ChatGPT-Account-Id"));
                System.out.flush();
                if (path.endsWith("/count_tokens")) {
                    json(ex, "{\"input_tokens\":12}");
                } else if (path.endsWith("/messages")) {
                    anthropicStream(ex, "pong");
                } else if (path.endsWith("/models")) {
                    json(ex, "{\"models\":[]}");
                } else if (path.contains("usage")) {
                    json(ex, "{}");
                } else {
                    codexStream(ex, "pong");
                }
            }
            default -> throw new IllegalArgumentException("unknown phase " + phase);
        }
    }

    /**
     * A ChatGPT Codex backend that speaks only the Responses API, for clients of the Messages API served through
     * translation: a request offering Claude Code's {@code Read} tool (or OpenCode's {@code read}, when the request asks
     * GATE_ASK) gets a call of it on the file named by GATE_READ_FILE;
     * the request that carries the tool's output gets an answer quoting that output; anything else gets "pong".
     */
    static void translate(HttpExchange ex, String body) throws IOException {
        String path = ex.getRequestURI().getPath();
        System.out.println("SEEN " + path + " auth=" + header(ex, "Authorization") + " x-api-key="
                + header(ex, "x-api-key") + " model=" + stringAfter(body, "\"model\":")
                + " tool_output=" + body.contains("\"function_call_output\""));
        System.out.flush();
        if (path.contains("usage")) {
            json(ex, "{}");
            return;
        }
        if (!path.endsWith("/codex/responses")) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        int output = body.lastIndexOf("\"type\":\"function_call_output\"");
        if (output >= 0) {
            String said = stringAfter(body.substring(output), "\"output\":");
            codexStream(ex, escape("The file says: " + said));
        } else if (body.contains("\"name\":\"Read\"")) {
            // Claude Code's Read tool.
            codexToolCall(ex, "Read", "{\"file_path\":\"" + escape(System.getenv("GATE_READ_FILE")) + "\"}");
        } else if (body.contains("\"name\":\"read\"") && body.contains(String.valueOf(System.getenv("GATE_ASK")))) {
            // OpenCode's read tool, asked for the gate's question (not its title or summary requests).
            codexToolCall(ex, "read", "{\"filePath\":\"" + escape(System.getenv("GATE_READ_FILE")) + "\"}");
        } else {
            codexStream(ex, "pong");
        }
    }

    /**
     * An Anthropic Messages API that knows nothing of the Responses API, for Responses clients (Codex) served through
     * translation: a request offering a shell tool gets a call of it printing GATE_READ_FILE; the request that carries
     * the tool's result gets an answer quoting that result; anything else gets "pong".
     */
    static void translateClaude(HttpExchange ex, String body) throws IOException {
        String path = ex.getRequestURI().getPath();
        java.util.List<String> tools = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"name\":\"([A-Za-z0-9_.-]+)\",\"description\"")
                .matcher(body);
        while (m.find()) {
            tools.add(m.group(1));
        }
        System.out.println("SEEN " + path + " auth=" + header(ex, "Authorization") + " model="
                + stringAfter(body, "\"model\":") + " tools=" + tools
                + " tool_result=" + body.contains("\"type\":\"tool_result\""));
        System.out.flush();
        if (path.contains("usage")) {
            json(ex, "{}");
            return;
        }
        if (!path.endsWith("/v1/messages")) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        int result = body.lastIndexOf("\"type\":\"tool_result\"");
        String file = System.getenv("GATE_READ_FILE");
        if (result >= 0) {
            String rest = body.substring(result);
            int content = rest.indexOf("\"content\":");
            String said = content >= 0 && rest.startsWith("\"", content + 10) ? stringAfter(rest, "\"content\":")
                    : stringAfter(rest, "\"text\":");
            // Clients wrap a tool's output in their own framing (Codex's "Chunk ID: ... Output:", OpenCode's
            // <content> with line numbers): quote the file's text only when it arrived inside the result.
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
            anthropicStream(ex, escape(said.contains(text) ? "The file says: " + text
                    : "The tool result did not carry the file: " + said));
        } else if (tools.contains("read") && body.contains(String.valueOf(System.getenv("GATE_ASK")))) {
            // OpenCode's read tool, asked for the gate's question (not its title or summary requests).
            anthropicToolCall(ex, "read", "{\"filePath\":\"" + escape(file) + "\"}");
        } else if (tools.contains("shell")) {
            anthropicToolCall(ex, "shell", "{\"command\":[\"cat\",\"" + escape(file) + "\"]}");
        } else if (tools.contains("exec_command")) {
            anthropicToolCall(ex, "exec_command", "{\"cmd\":\"cat " + escape(file) + "\"}");
        } else {
            anthropicStream(ex, "pong");
        }
    }

    /** A Messages stream in which the model calls one tool. */
    static void anthropicToolCall(HttpExchange ex, String name, String input) throws IOException {
        String body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_gate_tool\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_gate_shell\",\"name\":\"" + name
                + "\",\"input\":{}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + escape(input) + "\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        sseBody(ex, body);
    }

    /** A Responses stream in which the model calls one function tool. */
    static void codexToolCall(HttpExchange ex, String name, String arguments) throws IOException {
        String args = "\"" + escape(arguments) + "\"";
        String item = "{\"type\":\"function_call\",\"id\":\"fc_gate\",\"call_id\":\"call_gate_read\",\"name\":\""
                + name + "\",\"arguments\":" + args + ",\"status\":\"completed\"}";
        String response = "{\"id\":\"resp_gate_tool\",\"object\":\"response\",\"created_at\":1700000000,"
                + "\"model\":\"gpt-5-codex\",\"status\":\"%s\",\"output\":%s,\"usage\":{\"input_tokens\":40,"
                + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":9,\"output_tokens_details\":"
                + "{\"reasoning_tokens\":0},\"total_tokens\":49}}";
        String body = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
                + String.format(response, "in_progress", "[]") + "}\n\n"
                + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,"
                + "\"item\":{\"type\":\"function_call\",\"id\":\"fc_gate\",\"call_id\":\"call_gate_read\",\"name\":\""
                + name + "\",\"arguments\":\"\",\"status\":\"in_progress\"}}\n\n"
                + "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
                + "\"item_id\":\"fc_gate\",\"output_index\":0,\"delta\":" + args + "}\n\n"
                + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":0,"
                + "\"item\":" + item + "}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":"
                + String.format(response, "completed", "[" + item + "]") + "}\n\n";
        sseBody(ex, body);
    }

    /** The JSON string value that follows {@code key} in {@code json}, unescaped; "" when there is none. */
    static String stringAfter(String json, String key) {
        int at = json.indexOf(key);
        if (at < 0) {
            return "";
        }
        int i = json.indexOf('"', at + key.length());
        if (i < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (i = i + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\' && i + 1 < json.length()) {
                char n = json.charAt(++i);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> sb.append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    static void anthropicStream(HttpExchange ex, String text) throws IOException {
        String body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_gate\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        sseBody(ex, body);
    }

    static void codexStream(HttpExchange ex, String text) throws IOException {
        String item = "{\"type\":\"message\",\"id\":\"msg_gate\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}]}";
        String response = "{\"id\":\"resp_gate\",\"object\":\"response\",\"created_at\":1700000000,\"model\":\"gpt-5\","
                + "\"status\":\"%s\",\"output\":%s,\"usage\":{\"input_tokens\":20,\"input_tokens_details\":"
                + "{\"cached_tokens\":0},\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":0},"
                + "\"total_tokens\":22}}";
        String body = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                + String.format(response, "in_progress", "[]") + "}\n\n"
                + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":1,"
                + "\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_gate\",\"status\":\"in_progress\","
                + "\"role\":\"assistant\",\"content\":[]}}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
                + "\"item_id\":\"msg_gate\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + text + "\"}\n\n"
                + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"sequence_number\":3,"
                + "\"output_index\":0,\"item\":" + item + "}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":4,\"response\":"
                + String.format(response, "completed", "[" + item + "]") + "}\n\n";
        sseBody(ex, body);
    }

    static void sseBody(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    static String chat(String text) {
        return "{\"id\":\"chat_1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"" + text + "\"}}],\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":3,\"total_tokens\":18}}";
    }

    static String header(HttpExchange ex, String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    static void json(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    static void sse(HttpExchange ex, String id, String text, int in, int cached, int out, int reasoning, int total)
            throws IOException {
        String body = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"" + id
                + "\",\"model\":\"gpt-5\",\"status\":\"in_progress\"}}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"" + text
                + "\"}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"" + id
                + "\",\"model\":\"gpt-5\",\"status\":\"completed\",\"usage\":{\"input_tokens\":" + in
                + ",\"input_tokens_details\":{\"cached_tokens\":" + cached + "},\"output_tokens\":" + out
                + ",\"output_tokens_details\":{\"reasoning_tokens\":" + reasoning + "},\"total_tokens\":" + total + "}}}\n\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("openai-model", "gpt-5");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
