package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A client speaking the Anthropic Messages API, served by an OpenAI Responses upstream (the ChatGPT Codex backend for
 * ChatGPT accounts, the API for OpenAI keys).
 *
 * <p>What maps: {@code system} to {@code instructions}; each message's text, images, {@code tool_use} and
 * {@code tool_result} blocks to input items in order, tool-call ids kept as {@code call_id}s (so parallel calls
 * pair up); client tools to function tools; {@code tool_choice}; {@code thinking} to {@code reasoning} with a
 * summary. Reasoning comes back as {@code thinking} blocks whose signature carries the upstream's encrypted
 * reasoning, so the next turn hands the same reasoning back. What is dropped, with a log line: sampling parameters
 * the Responses API lacks ({@code top_k}, {@code stop_sequences}), thinking blocks that did not come from a
 * Responses upstream, cache-control marks. What is refused: Anthropic's server-side tools (web search, computer use,
 * code execution, text editor, bash): they would run on Anthropic's servers, which do not take part here.
 */
public final class MessagesToResponses implements RequestAwareTranslation {
    private static final Logger LOG = LoggerFactory.getLogger(MessagesToResponses.class);
    /**
     * Prefix of a thinking block's signature that carries a Responses reasoning item's encrypted content: the
     * client hands thinking blocks back unchanged, so this is how the reasoning survives a round trip.
     */
    static final String SIGNATURE_PREFIX = "pgr1:";
    private static final Set<String> CLIENT_TOOL_TYPES = Set.of("custom");

    /**
     * The translated request, and an estimate of its input tokens for the stream's {@code message_start}: a Responses
     * stream reports its usage only at the end, and Claude Code shows the context's size from
     * {@code message_start} (the upstream's own count follows in {@code message_delta}).
     */
    @Override
    public TranslatedRequest translate(byte[] clientBody, String servedModel) throws Untranslatable {
        byte[] body = request(clientBody, servedModel);
        return new TranslatedRequest(body, ReplyContext.withInputTokensEstimate(inputTokensOf(body)), List.of());
    }

    @Override
    public byte[] reply(byte[] upstreamBody, String requestedModel, ReplyContext context) {
        return reply(upstreamBody, requestedModel);
    }

    @Override
    public EventTranslator stream(String requestedModel, ReplyContext context) {
        return new Stream(requestedModel, context.inputTokensEstimate());
    }

    /** About four characters a token: what {@code count_tokens} answers and {@code message_start} announces. */
    static long inputTokensOf(byte[] translatedRequest) {
        return Math.max(1, (translatedRequest.length + 3) / 4);
    }

    @Override
    public byte[] request(byte[] clientBody, String servedModel) throws Untranslatable {
        // Long strings (prompts, descriptions, tool outputs) stay the body's own bytes and are copied out unchanged.
        ObjectNode in = Json.requestObject(clientBody);
        ObjectNode out = Json.NODES.objectNode();
        out.put("model", servedModel);
        out.set("instructions", systemText(in.path("system")));
        out.set("input", input(in.path("messages")));
        JsonNode tools = in.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            out.set("tools", tools(tools));
            out.set("tool_choice", toolChoice(in.path("tool_choice")));
            out.put("parallel_tool_calls", !in.path("tool_choice").path("disable_parallel_tool_use").asBoolean(false));
        } else if (in.path("tool_choice").path("type").asText("").equals("none")) {
            out.put("tool_choice", "none");
        }
        JsonNode thinking = in.path("thinking");
        String thinkingType = thinking.path("type").asText("");
        if (thinkingType.equals("enabled") || thinkingType.equals("adaptive")) {
            ObjectNode reasoning = out.putObject("reasoning");
            reasoning.put("effort", effort(thinking.path("budget_tokens").asLong(0), thinkingType));
            reasoning.put("summary", "auto");
            // With store:false the reasoning lives only in what the client keeps: ask for it encrypted.
            out.putArray("include").add("reasoning.encrypted_content");
        }
        sessionOf(in.path("metadata").path("user_id")).ifPresent(session -> out.put("prompt_cache_key", session));
        out.put("store", false);
        out.put("stream", in.path("stream").asBoolean(false));
        if (in.path("max_tokens").isNumber()) {
            out.put("max_output_tokens", in.path("max_tokens").asLong());
        }
        List<String> dropped = new ArrayList<>();
        // Reasoning models (gpt-5*, o-series) refuse sampling parameters; others take them as Anthropic meant them.
        boolean sampling = !reasoningModel(servedModel) && !thinkingType.equals("enabled");
        for (String field : List.of("temperature", "top_p")) {
            if (in.path(field).isNumber()) {
                if (sampling) {
                    out.set(field, in.path(field));
                } else {
                    dropped.add(field);
                }
            }
        }
        for (String field : List.of("top_k", "stop_sequences", "context_management", "output_config")) {
            if (in.has(field)) {
                dropped.add(field);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("translation messages → responses: dropped {} (no Responses counterpart)", dropped);
        }
        return Json.bytes(out, clientBody.length);
    }

    /**
     * The session a Claude Code request belongs to ({@code metadata.user_id} is a JSON text with a
     * {@code session_id}), as the Responses API's {@code prompt_cache_key}: Codex sends its own session id there, and
     * requests that share a key share the upstream's prompt cache, which is most of a long session's input.
     */
    static java.util.Optional<String> sessionOf(JsonNode userId) {
        String text = userId.asText("");
        if (!text.startsWith("{")) {
            return java.util.Optional.empty();
        }
        String session = WireJson.parse(text).path("session_id").asText("");
        return session.isEmpty() || session.length() > 64 ? java.util.Optional.empty() : java.util.Optional.of(session);
    }

    /** Whether {@code model} is an OpenAI reasoning model, which takes no temperature or top_p. */
    static boolean reasoningModel(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.startsWith("gpt-5") || m.startsWith("codex") || (m.length() > 1 && m.charAt(0) == 'o'
                && Character.isDigit(m.charAt(1)));
    }

    /** A thinking budget as a reasoning effort: the Responses API has levels, not token budgets. */
    static String effort(long budgetTokens, String type) {
        if (type.equals("adaptive") || budgetTokens <= 0) {
            return "medium";
        }
        return budgetTokens < 4096 ? "low" : budgetTokens < 16384 ? "medium" : "high";
    }

    /** A string node as it is (a raw slice of the body stays raw), anything else as its text. */
    static JsonNode string(JsonNode node) {
        return node.isTextual() ? node : Json.NODES.textNode(node.asText(""));
    }

    private static JsonNode systemText(JsonNode system) {
        if (system.isTextual()) {
            return system;
        }
        if (!system.isArray()) {
            return Json.NODES.textNode("");
        }
        if (system.size() == 1 && system.get(0).path("type").asText("").equals("text")) {
            return string(system.get(0).path("text"));
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : system) {
            if (block.path("type").asText("").equals("text")) {
                if (!sb.isEmpty()) {
                    sb.append("\n\n");
                }
                sb.append(block.path("text").asText(""));
            }
        }
        return Json.NODES.textNode(sb.toString());
    }

    private static ArrayNode input(JsonNode messages) throws Untranslatable {
        ArrayNode items = Json.NODES.arrayNode();
        if (!messages.isArray()) {
            throw new Untranslatable("messages: an array of messages is required");
        }
        int droppedThinking = 0;
        for (JsonNode message : messages) {
            String role = message.path("role").asText("");
            if (role.equals("system")) {
                // A system message between turns (newer Claude Code sends them): the Responses API's developer role.
                role = "developer";
            } else if (!role.equals("user") && !role.equals("assistant")) {
                throw new Untranslatable("messages: role must be user, assistant or system, not \"" + role + "\"");
            }
            boolean assistant = role.equals("assistant");
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                items.add(message(role, List.of(textPart(assistant, content))));
                continue;
            }
            List<ObjectNode> parts = new ArrayList<>();
            for (JsonNode block : content) {
                String type = block.path("type").asText("");
                switch (type) {
                    case "text" -> parts.add(textPart(assistant, block.path("text")));
                    case "image" -> parts.add(imagePart(block));
                    case "document" -> parts.add(documentPart(block));
                    case "tool_use" -> {
                        flush(items, role, parts);
                        ObjectNode call = items.addObject();
                        call.put("type", "function_call");
                        call.put("call_id", block.path("id").asText(""));
                        call.put("name", block.path("name").asText(""));
                        call.put("arguments", argumentsText(block.path("input")));
                    }
                    case "tool_result" -> {
                        flush(items, role, parts);
                        items.add(toolResult(block));
                    }
                    case "thinking" -> {
                        flush(items, role, parts);
                        String signature = block.path("signature").asText("");
                        if (signature.startsWith(SIGNATURE_PREFIX)) {
                            items.add(reasoningItem(block.path("thinking").asText(""),
                                    signature.substring(SIGNATURE_PREFIX.length())));
                        } else {
                            droppedThinking++;
                        }
                    }
                    case "redacted_thinking" -> droppedThinking++;
                    case "server_tool_use", "web_search_tool_result", "code_execution_tool_result",
                         "mcp_tool_use", "mcp_tool_result", "container_upload" -> throw new Untranslatable(
                            "content block type \"" + type + "\" belongs to an Anthropic server-side tool and "
                                    + "cannot be served by an OpenAI upstream");
                    default -> throw new Untranslatable("content block type \"" + type
                            + "\" cannot be translated to the OpenAI Responses API");
                }
            }
            flush(items, role, parts);
        }
        if (droppedThinking > 0) {
            LOG.info("translation messages → responses: dropped {} thinking blocks not made by a Responses upstream",
                    droppedThinking);
        }
        return items;
    }

    /** A tool call's input as the JSON text of a Responses call's arguments. */
    private static String argumentsText(JsonNode input) {
        if (input instanceof RawJsonNode raw) {
            return raw.compactText();
        }
        return Json.string(input.isMissingNode() ? Json.NODES.objectNode() : input);
    }

    private static void flush(ArrayNode items, String role, List<ObjectNode> parts) {
        if (!parts.isEmpty()) {
            items.add(message(role, parts));
            parts.clear();
        }
    }

    private static ObjectNode message(String role, List<ObjectNode> parts) {
        ObjectNode m = Json.NODES.objectNode();
        m.put("type", "message");
        m.put("role", role);
        ArrayNode content = m.putArray("content");
        parts.forEach(content::add);
        return m;
    }

    private static ObjectNode textPart(boolean assistant, String text) {
        return textPart(assistant, Json.NODES.textNode(text));
    }

    private static ObjectNode textPart(boolean assistant, JsonNode text) {
        ObjectNode p = Json.NODES.objectNode();
        p.put("type", assistant ? "output_text" : "input_text");
        p.set("text", string(text));
        return p;
    }

    private static ObjectNode imagePart(JsonNode block) throws Untranslatable {
        JsonNode source = block.path("source");
        ObjectNode p = Json.NODES.objectNode();
        p.put("type", "input_image");
        switch (source.path("type").asText("")) {
            case "base64" -> p.put("image_url", "data:" + source.path("media_type").asText("image/png") + ";base64,"
                    + source.path("data").asText(""));
            case "url" -> p.put("image_url", source.path("url").asText(""));
            default -> throw new Untranslatable("image source type \"" + source.path("type").asText("")
                    + "\" cannot be translated (base64 and url can)");
        }
        p.put("detail", "auto");
        return p;
    }

    private static ObjectNode documentPart(JsonNode block) throws Untranslatable {
        JsonNode source = block.path("source");
        ObjectNode p = Json.NODES.objectNode();
        switch (source.path("type").asText("")) {
            case "base64" -> {
                p.put("type", "input_file");
                p.put("filename", block.path("title").asText("document.pdf"));
                p.put("file_data", "data:" + source.path("media_type").asText("application/pdf") + ";base64,"
                        + source.path("data").asText(""));
            }
            case "text" -> {
                p.put("type", "input_text");
                p.put("text", source.path("data").asText(""));
            }
            case "url" -> {
                p.put("type", "input_file");
                p.put("file_url", source.path("url").asText(""));
            }
            default -> throw new Untranslatable("document source type \"" + source.path("type").asText("")
                    + "\" cannot be translated");
        }
        return p;
    }

    private static ObjectNode toolResult(JsonNode block) throws Untranslatable {
        ObjectNode out = Json.NODES.objectNode();
        out.put("type", "function_call_output");
        out.put("call_id", block.path("tool_use_id").asText(""));
        JsonNode content = block.path("content");
        boolean error = block.path("is_error").asBoolean(false);
        // The Responses API has no error flag on a tool's output: the words say it instead.
        String prefix = error ? "Error: " : "";
        if (content.isTextual() && !error) {
            out.set("output", content);
            return out;
        }
        if (!error && content.isArray() && content.size() == 1
                && content.get(0).path("type").asText("").equals("text")) {
            out.set("output", string(content.get(0).path("text")));
            return out;
        }
        if (content.isTextual() || content.isMissingNode() || content.isNull()) {
            out.put("output", prefix + content.asText(""));
            return out;
        }
        boolean images = false;
        for (JsonNode part : content) {
            images |= part.path("type").asText("").equals("image");
        }
        if (!images) {
            StringBuilder sb = new StringBuilder(prefix);
            for (JsonNode part : content) {
                if (part.path("type").asText("").equals("text")) {
                    if (sb.length() > prefix.length()) {
                        sb.append('\n');
                    }
                    sb.append(part.path("text").asText(""));
                }
            }
            out.put("output", sb.toString());
            return out;
        }
        ArrayNode parts = out.putArray("output");
        if (error) {
            parts.add(textPart(false, "Error:"));
        }
        for (JsonNode part : content) {
            String type = part.path("type").asText("");
            if (type.equals("text")) {
                parts.add(textPart(false, part.path("text")));
            } else if (type.equals("image")) {
                parts.add(imagePart(part));
            }
        }
        return out;
    }

    private static ObjectNode reasoningItem(String summary, String encrypted) {
        ObjectNode r = Json.NODES.objectNode();
        r.put("type", "reasoning");
        ArrayNode s = r.putArray("summary");
        if (!summary.isEmpty()) {
            ObjectNode part = s.addObject();
            part.put("type", "summary_text");
            part.put("text", summary);
        }
        if (!encrypted.isEmpty()) {
            r.put("encrypted_content", encrypted);
        }
        return r;
    }

    private static ArrayNode tools(JsonNode tools) throws Untranslatable {
        ArrayNode out = Json.NODES.arrayNode();
        for (JsonNode tool : tools) {
            String type = tool.path("type").asText("");
            if (!type.isEmpty() && !CLIENT_TOOL_TYPES.contains(type)) {
                throw new Untranslatable("tool \"" + tool.path("name").asText(type) + "\" has type \"" + type
                        + "\", an Anthropic server-side tool: it cannot be served by an OpenAI upstream");
            }
            ObjectNode f = out.addObject();
            f.put("type", "function");
            f.put("name", tool.path("name").asText(""));
            if (tool.hasNonNull("description")) {
                f.set("description", string(tool.path("description")));
            }
            JsonNode schema = tool.path("input_schema");
            f.set("parameters", Json.isObject(schema) ? schema : Json.NODES.objectNode().put("type", "object"));
            // Anthropic schemas are not written for OpenAI's strict mode (every property required, no extras).
            f.put("strict", false);
        }
        return out;
    }

    private static JsonNode toolChoice(JsonNode choice) {
        return switch (choice.path("type").asText("auto")) {
            case "any" -> Json.NODES.textNode("required");
            case "none" -> Json.NODES.textNode("none");
            case "tool" -> Json.NODES.objectNode().put("type", "function")
                    .put("name", choice.path("name").asText(""));
            default -> Json.NODES.textNode("auto");
        };
    }

    // ---- replies ----

    @Override
    public byte[] reply(byte[] upstreamBody, String requestedModel) {
        JsonNode response = WireJson.parse(upstreamBody);
        if (response.has("response") && !response.has("output")) {
            response = response.path("response");
        }
        ObjectNode out = Json.NODES.objectNode();
        out.put("id", messageId(response.path("id").asText("")));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", requestedModel);
        ArrayNode content = out.putArray("content");
        boolean toolUse = false;
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText("")) {
                case "reasoning" -> {
                    String summary = summaryText(item);
                    String encrypted = item.path("encrypted_content").asText("");
                    if (!summary.isEmpty() || !encrypted.isEmpty()) {
                        ObjectNode t = content.addObject();
                        t.put("type", "thinking");
                        t.put("thinking", summary);
                        t.put("signature", encrypted.isEmpty() ? "" : SIGNATURE_PREFIX + encrypted);
                    }
                }
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        String type = part.path("type").asText("");
                        if (type.equals("output_text") || type.equals("refusal")) {
                            ObjectNode t = content.addObject();
                            t.put("type", "text");
                            t.put("text", part.path(type.equals("refusal") ? "refusal" : "text").asText(""));
                        }
                    }
                }
                case "function_call", "custom_tool_call" -> {
                    toolUse = true;
                    ObjectNode t = content.addObject();
                    t.put("type", "tool_use");
                    t.put("id", item.path("call_id").asText(item.path("id").asText("")));
                    t.put("name", item.path("name").asText(""));
                    t.set("input", toolInput(item));
                }
                default -> {
                }
            }
        }
        out.put("stop_reason", stopReason(response, toolUse));
        out.putNull("stop_sequence");
        out.set("usage", usage(response.path("usage")));
        return Json.bytes(out);
    }

    /** A tool call's arguments as the object Anthropic clients expect; a free-form call's text under "input". */
    static JsonNode toolInput(JsonNode item) {
        if (item.path("type").asText("").equals("custom_tool_call")) {
            return Json.NODES.objectNode().put("input", item.path("input").asText(""));
        }
        String arguments = item.path("arguments").asText("");
        JsonNode parsed = arguments.isBlank() ? Json.NODES.objectNode() : WireJson.parse(arguments);
        return parsed.isObject() ? parsed : Json.NODES.objectNode().put("arguments", arguments);
    }

    private static String summaryText(JsonNode reasoning) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : reasoning.path("summary")) {
            if (!sb.isEmpty()) {
                sb.append("\n\n");
            }
            sb.append(part.path("text").asText(""));
        }
        return sb.toString();
    }

    static String messageId(String responseId) {
        return responseId.isEmpty() ? "msg_translated" : responseId.startsWith("msg_") ? responseId
                : "msg_" + responseId;
    }

    static String stopReason(JsonNode response, boolean toolUse) {
        if (toolUse) {
            return "tool_use";
        }
        if (response.path("status").asText("").equals("incomplete")) {
            String reason = response.path("incomplete_details").path("reason").asText("");
            return reason.equals("content_filter") ? "refusal" : "max_tokens";
        }
        return "end_turn";
    }

    /**
     * Responses usage in Anthropic's terms: Anthropic's {@code input_tokens} excludes what came from the cache,
     * OpenAI's includes it; reasoning tokens are part of both sides' output.
     */
    static ObjectNode usage(JsonNode usage) {
        long input = WireJson.count(usage, "input_tokens");
        long cached = WireJson.count(usage.path("input_tokens_details"), "cached_tokens");
        ObjectNode u = Json.NODES.objectNode();
        u.put("input_tokens", Math.max(0, input - cached));
        u.put("cache_creation_input_tokens", 0);
        u.put("cache_read_input_tokens", cached);
        u.put("output_tokens", WireJson.count(usage, "output_tokens"));
        return u;
    }

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        JsonNode body = WireJson.parse(upstreamBody);
        String message = body.path("error").path("message").asText("");
        if (message.isEmpty()) {
            message = body.path("detail").isTextual() ? body.path("detail").asText()
                    : body.path("detail").path("message").asText("");
        }
        if (message.isEmpty() && body.path("message").isTextual()) {
            message = body.path("message").asText();
        }
        if (message.isEmpty()) {
            String raw = new String(upstreamBody, StandardCharsets.UTF_8).strip();
            message = raw.isEmpty() ? "upstream answered " + status : raw.length() > 300 ? raw.substring(0, 300) : raw;
        }
        return anthropicError(errorType(status), message);
    }

    static String errorType(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    static byte[] anthropicError(String type, String message) {
        ObjectNode e = Json.NODES.objectNode();
        e.put("type", "error");
        e.putObject("error").put("type", type).put("message", message);
        return Json.bytes(e);
    }

    /**
     * An estimate of a Messages request's input tokens, for {@code count_tokens} when only an OpenAI upstream can
     * serve (it has no counting endpoint): the translated request's text at about four characters a token.
     */
    public long estimateInputTokens(byte[] clientBody) throws Untranslatable {
        ObjectNode in = WireJson.object(clientBody);
        in.put("model", in.path("model").asText("unknown"));
        return inputTokensOf(request(Json.bytes(in), in.path("model").asText()));
    }

    @Override
    public EventTranslator stream(String requestedModel) {
        return new Stream(requestedModel, 0);
    }

    /**
     * Responses events to Messages events. Each output item becomes content blocks in order: a text part a text
     * block, a function call a tool_use block (its arguments streamed as JSON deltas), a reasoning summary a thinking
     * block. The terminal event becomes message_delta (stop reason, usage) and message_stop.
     */
    static final class Stream implements EventTranslator {
        private final String requestedModel;
        /** What message_start announces as input tokens, before the upstream's count arrives with the end. */
        private final long inputTokensEstimate;
        private boolean started;
        private boolean finished;
        private int nextIndex;
        /** The block open now (Responses streams one output item at a time), -1 when none. */
        private int openIndex = -1;
        private String openKind = "";
        /** A summary part of the open thinking block ended: the next part's text starts after a blank line. */
        private boolean summaryPartEnded;
        private String openItemId = "";
        private boolean argumentsStreamed;
        private boolean toolUse;
        private boolean thinkingNoted;

        Stream(String requestedModel, long inputTokensEstimate) {
            this.requestedModel = requestedModel;
            this.inputTokensEstimate = inputTokensEstimate;
        }

        @Override
        public void event(String name, String data, java.util.function.Consumer<byte[]> out) {
            if (finished) {
                return;
            }
            JsonNode e = WireJson.parse(data);
            String type = name == null || name.equals("message") ? e.path("type").asText("") : name;
            switch (type) {
                case "response.created", "response.in_progress" -> start(e.path("response"), out);
                case "response.output_item.added" -> {
                    start(e.path("response"), out);
                    JsonNode item = e.path("item");
                    String itemType = item.path("type").asText("");
                    if (itemType.equals("function_call") || itemType.equals("custom_tool_call")) {
                        openToolUse(item, out);
                        argumentsStreamed = false;
                    }
                }
                case "response.content_part.added" -> {
                    start(e.path("response"), out);
                    String partType = e.path("part").path("type").asText("");
                    if (partType.equals("output_text") || partType.equals("refusal")) {
                        openText(e.path("item_id").asText(""), out);
                    }
                }
                case "response.output_text.delta", "response.refusal.delta" -> {
                    start(e.path("response"), out);
                    if (!openKind.equals("text")) {
                        openText(e.path("item_id").asText(""), out);
                    }
                    delta("text_delta", "text", e.path("delta").asText(""), out);
                }
                case "response.content_part.done" -> {
                    if (openKind.equals("text")) {
                        close(out);
                    }
                }
                case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" -> {
                    if (openKind.equals("tool_use")) {
                        argumentsStreamed = true;
                        delta("input_json_delta", "partial_json", e.path("delta").asText(""), out);
                    }
                }
                case "response.reasoning_summary_text.delta" -> {
                    start(e.path("response"), out);
                    if (!openKind.equals("thinking")) {
                        openThinking(e.path("item_id").asText(""), out);
                        summaryPartEnded = false;
                    }
                    if (summaryPartEnded) {
                        // Parts are separated, not ended, by a blank line: a trailing one would come back as part
                        // of the summary on the next turn, and grow with every replay.
                        delta("thinking_delta", "thinking", "\n\n", out);
                        summaryPartEnded = false;
                    }
                    delta("thinking_delta", "thinking", e.path("delta").asText(""), out);
                }
                case "response.reasoning_summary_part.done" -> summaryPartEnded = openKind.equals("thinking");
                case "response.output_item.done" -> itemDone(e.path("item"), out);
                case "response.completed", "response.incomplete" -> complete(e.path("response"), out);
                case "response.failed" -> fail(e.path("response").path("error"), out);
                case "error" -> fail(e.has("error") ? e.path("error") : e, out);
                default -> {
                }
            }
        }

        private void itemDone(JsonNode item, java.util.function.Consumer<byte[]> out) {
            String type = item.path("type").asText("");
            switch (type) {
                case "function_call", "custom_tool_call" -> {
                    if (!openKind.equals("tool_use")) {
                        // Announced only when done: open and close the block in one go.
                        openToolUse(item, out);
                    }
                    if (!argumentsStreamed) {
                        delta("input_json_delta", "partial_json", Json.string(toolInput(item)), out);
                    }
                    argumentsStreamed = false;
                    close(out);
                }
                case "reasoning" -> {
                    String encrypted = item.path("encrypted_content").asText("");
                    if (openKind.equals("thinking")) {
                        if (!encrypted.isEmpty()) {
                            delta("signature_delta", "signature", SIGNATURE_PREFIX + encrypted, out);
                        }
                        close(out);
                    } else if (!encrypted.isEmpty()) {
                        // Reasoning without a summary: an empty thinking block keeps it for the next turn.
                        openThinking(item.path("id").asText(""), out);
                        delta("signature_delta", "signature", SIGNATURE_PREFIX + encrypted, out);
                        close(out);
                    } else if (!thinkingNoted) {
                        thinkingNoted = true;
                        LOG.debug("translation responses → messages: reasoning without summary or content dropped");
                    }
                }
                case "message" -> {
                    if (openKind.equals("text")) {
                        close(out);
                    }
                }
                default -> {
                }
            }
        }

        private void start(JsonNode response, java.util.function.Consumer<byte[]> out) {
            if (started) {
                return;
            }
            started = true;
            ObjectNode message = Json.NODES.objectNode();
            message.put("id", messageId(response.path("id").asText("")));
            message.put("type", "message");
            message.put("role", "assistant");
            message.put("model", requestedModel);
            message.putArray("content");
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            ObjectNode usage = message.putObject("usage");
            usage.put("input_tokens", inputTokensEstimate);
            usage.put("cache_creation_input_tokens", 0);
            usage.put("cache_read_input_tokens", 0);
            usage.put("output_tokens", 0);
            ObjectNode event = Json.NODES.objectNode();
            event.put("type", "message_start");
            event.set("message", message);
            out.accept(WireJson.frame("message_start", event));
        }

        private void openText(String itemId, java.util.function.Consumer<byte[]> out) {
            close(out);
            ObjectNode block = Json.NODES.objectNode();
            block.put("type", "text");
            block.put("text", "");
            open("text", itemId, block, out);
        }

        private void open(String kind, String itemId, ObjectNode block, java.util.function.Consumer<byte[]> out) {
            openIndex = nextIndex++;
            openKind = kind;
            openItemId = itemId;
            ObjectNode event = Json.NODES.objectNode();
            event.put("type", "content_block_start");
            event.put("index", openIndex);
            event.set("content_block", block);
            out.accept(WireJson.frame("content_block_start", event));
        }

        /** Closes the open block and opens a tool_use block for a function or custom tool call item. */
        private void openToolUse(JsonNode item, java.util.function.Consumer<byte[]> out) {
            close(out);
            toolUse = true;
            ObjectNode block = Json.NODES.objectNode();
            block.put("type", "tool_use");
            block.put("id", item.path("call_id").asText(item.path("id").asText("")));
            block.put("name", item.path("name").asText(""));
            block.putObject("input");
            open("tool_use", item.path("id").asText(""), block, out);
        }

        /** Closes the open block and opens an empty thinking block for a reasoning item. */
        private void openThinking(String itemId, java.util.function.Consumer<byte[]> out) {
            close(out);
            ObjectNode block = Json.NODES.objectNode();
            block.put("type", "thinking");
            block.put("thinking", "");
            block.put("signature", "");
            open("thinking", itemId, block, out);
        }

        /** A content_block_delta of the open block: {@code {"type": type, field: value}}. */
        private void delta(String type, String field, String value, java.util.function.Consumer<byte[]> out) {
            ObjectNode delta = Json.NODES.objectNode();
            delta.put("type", type);
            delta.put(field, value);
            delta(delta, out);
        }

        private void delta(ObjectNode delta, java.util.function.Consumer<byte[]> out) {
            ObjectNode event = Json.NODES.objectNode();
            event.put("type", "content_block_delta");
            event.put("index", openIndex);
            event.set("delta", delta);
            out.accept(WireJson.frame("content_block_delta", event));
        }

        private void close(java.util.function.Consumer<byte[]> out) {
            if (openIndex < 0) {
                return;
            }
            ObjectNode event = Json.NODES.objectNode();
            event.put("type", "content_block_stop");
            event.put("index", openIndex);
            out.accept(WireJson.frame("content_block_stop", event));
            openIndex = -1;
            openKind = "";
            openItemId = "";
        }

        private void complete(JsonNode response, java.util.function.Consumer<byte[]> out) {
            start(response, out);
            close(out);
            boolean tools = toolUse;
            for (JsonNode item : response.path("output")) {
                String t = item.path("type").asText("");
                tools |= t.equals("function_call") || t.equals("custom_tool_call");
            }
            ObjectNode event = Json.NODES.objectNode();
            event.put("type", "message_delta");
            ObjectNode delta = event.putObject("delta");
            delta.put("stop_reason", stopReason(response, tools));
            delta.putNull("stop_sequence");
            event.set("usage", usage(response.path("usage")));
            out.accept(WireJson.frame("message_delta", event));
            ObjectNode stop = Json.NODES.objectNode();
            stop.put("type", "message_stop");
            out.accept(WireJson.frame("message_stop", stop));
            finished = true;
        }

        private void fail(JsonNode error, java.util.function.Consumer<byte[]> out) {
            String code = error.path("code").asText(error.path("type").asText(""));
            String message = error.path("message").asText("the upstream reported a failure");
            String type = code.toLowerCase(Locale.ROOT).contains("rate_limit") ? "rate_limit_error"
                    : code.toLowerCase(Locale.ROOT).contains("overload") ? "overloaded_error"
                    : code.toLowerCase(Locale.ROOT).contains("invalid") ? "invalid_request_error" : "api_error";
            ObjectNode event = (ObjectNode) WireJson.parse(anthropicError(type, message));
            out.accept(WireJson.frame("error", event));
            finished = true;
        }

        @Override
        public void end(boolean clean, java.util.function.Consumer<byte[]> out) {
            if (finished) {
                return;
            }
            ObjectNode event = (ObjectNode) WireJson.parse(anthropicError("api_error",
                    clean ? "the upstream stream ended before its final event" : "the upstream stream was cut"));
            out.accept(WireJson.frame("error", event));
            finished = true;
        }
    }
}
