package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Chat Completions client served by the OpenAI Responses API (the Codex backend for ChatGPT accounts, the API for
 * OpenAI keys). Leading system and developer messages become {@code instructions}; reasoning is not shown, as Chat
 * Completions has no place for it, but its tokens are counted in the usage details.
 */
public final class ChatToResponses implements RequestAwareTranslation {

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return ErrorShapes.openAiBody(ErrorShapes.openAiErrorFromOpenAi(status, upstreamBody));
    }

    @Override
    public EventTranslator stream(String requestedModel, ReplyContext context) {
        return new ResponsesEventsAsChunks(requestedModel, context.includeUsage());
    }

    static String chatId(String responseId) {
        return ChatRequests.chatId(responseId, "resp_");
    }

    // ---------------------------------------------------------------- request

    @Override
    public TranslatedRequest translate(byte[] clientBody, String servedModel) throws Untranslatable {
        ObjectNode in = Json.requestObject(clientBody);
        JsonNode messages = ChatRequests.servableMessages(in);
        java.util.List<String> notes = new java.util.ArrayList<>();
        ObjectNode out = Json.object();
        out.put("model", servedModel);
        StringBuilder instructions = new StringBuilder();
        ArrayNode input = Json.array();
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (("system".equals(role) || "developer".equals(role)) && input.isEmpty()) {
                String text = ChatRequests.text(m.get("content"));
                if (!text.isEmpty()) {
                    if (!instructions.isEmpty()) {
                        instructions.append("\n\n");
                    }
                    instructions.append(text);
                }
                continue;
            }
            inputItems(m, role, input);
        }
        if (!instructions.isEmpty()) {
            out.put("instructions", instructions.toString());
        }
        out.set("input", input);
        JsonNode tools = in.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode t = out.putArray("tools");
            for (JsonNode tool : tools) {
                if (!"function".equals(tool.path("type").asText())) {
                    throw new Untranslatable("tool type " + tool.path("type").asText() + " cannot be translated");
                }
                JsonNode f = tool.path("function");
                ObjectNode r = t.addObject().put("type", "function").put("name", f.path("name").asText());
                if (f.has("description")) {
                    r.set("description", f.get("description"));
                }
                r.set("parameters", f.has("parameters") ? f.get("parameters")
                        : Json.object().put("type", "object").set("properties", Json.object()));
                // Chat's strict defaults to false, the Responses API's to true: keep the client's meaning.
                r.put("strict", f.path("strict").asBoolean(false));
            }
            JsonNode choice = in.get("tool_choice");
            if (choice != null && choice.isTextual()) {
                out.set("tool_choice", choice);
            } else if (choice != null && "function".equals(choice.path("type").asText())) {
                out.putObject("tool_choice").put("type", "function")
                        .put("name", choice.path("function").path("name").asText());
            }
            JsonNode parallel = in.get("parallel_tool_calls");
            if (parallel != null && parallel.isBoolean()) {
                out.set("parallel_tool_calls", parallel);
            }
        }
        int max = ChatRequests.maxTokens(in);
        if (max > 0) {
            out.put("max_output_tokens", max);
        }
        for (String f : new String[] {"temperature", "top_p"}) {
            JsonNode v = in.get(f);
            if (v != null && v.isNumber()) {
                out.set(f, v);
            }
        }
        String effort = Json.text(in, "reasoning_effort");
        if (effort != null) {
            out.putObject("reasoning").put("effort", effort);
        }
        JsonNode format = in.get("response_format");
        if (format != null && format.isObject()) {
            String type = format.path("type").asText("text");
            if ("json_schema".equals(type)) {
                JsonNode schema = format.path("json_schema");
                ObjectNode f = out.putObject("text").putObject("format").put("type", "json_schema");
                f.put("name", schema.path("name").asText("response"));
                if (schema.has("description")) {
                    f.set("description", schema.get("description"));
                }
                f.set("schema", schema.path("schema"));
                f.put("strict", schema.path("strict").asBoolean(false));
            } else if ("json_object".equals(type)) {
                out.putObject("text").putObject("format").put("type", "json_object");
            }
        }
        JsonNode stop = in.get("stop");
        if (stop != null && !stop.isNull() && !(stop.isArray() && stop.isEmpty())) {
            throw new Untranslatable("stop sequences have no Responses API equivalent");
        }
        JsonNode stream = in.get("stream");
        if (stream != null && stream.isBoolean()) {
            out.put("stream", stream.booleanValue());
        }
        out.put("store", false);
        for (String ignored : new String[] {"frequency_penalty", "presence_penalty", "seed", "logit_bias", "user"}) {
            if (in.hasNonNull(ignored)) {
                notes.add(ignored + " dropped: the Responses API has no such parameter");
            }
        }
        return new TranslatedRequest(Json.bytes(out, clientBody.length), new ReplyContext(Set.of(), Map.of(),
                ChatRequests.includeUsage(in)), notes);
    }

    private static void inputItems(JsonNode m, String role, ArrayNode input) throws Untranslatable {
        JsonNode content = m.get("content");
        switch (role) {
            case "system", "developer" -> message(input, "developer", "input_text", ChatRequests.text(content));
            case "user" -> {
                if (content == null || content.isTextual()) {
                    message(input, "user", "input_text", content == null ? "" : content.textValue());
                    return;
                }
                ObjectNode msg = Json.object().put("type", "message").put("role", "user");
                ArrayNode parts = msg.putArray("content");
                for (JsonNode part : content) {
                    String type = part.path("type").asText();
                    switch (type) {
                        case "text" -> parts.addObject().put("type", "input_text")
                                .put("text", part.path("text").asText(""));
                        case "image_url" -> {
                            JsonNode url = part.get("image_url");
                            ObjectNode img = parts.addObject().put("type", "input_image");
                            if (url != null && url.isObject()) {
                                img.put("image_url", url.path("url").asText());
                                img.put("detail", url.path("detail").asText("auto"));
                            } else {
                                img.put("image_url", url == null ? "" : url.asText()).put("detail", "auto");
                            }
                        }
                        case "file" -> {
                            JsonNode file = part.path("file");
                            ObjectNode f = parts.addObject().put("type", "input_file");
                            for (String k : new String[] {"file_id", "file_data", "filename"}) {
                                if (file.has(k)) {
                                    f.set(k, file.get(k));
                                }
                            }
                        }
                        default -> throw new Untranslatable("content part " + type + " cannot be translated");
                    }
                }
                input.add(msg);
            }
            case "assistant" -> {
                String text = content != null && content.isArray() ? ChatRequests.text(content)
                        : content != null && content.isTextual() ? content.textValue() : "";
                if (m.hasNonNull("refusal")) {
                    text = text + m.get("refusal").asText();
                }
                message(input, "assistant", "output_text", text);
                for (JsonNode call : m.path("tool_calls")) {
                    ObjectNode fc = input.addObject().put("type", "function_call");
                    fc.put("call_id", call.path("id").asText());
                    fc.put("name", call.path("function").path("name").asText());
                    fc.put("arguments", call.path("function").path("arguments").asText("{}"));
                }
            }
            case "tool" -> {
                ObjectNode out = input.addObject().put("type", "function_call_output");
                out.put("call_id", m.path("tool_call_id").asText());
                out.put("output", ChatRequests.text(content));
            }
            case "function" -> throw new Untranslatable("the legacy function role cannot be translated; use tool "
                    + "messages with tool_call_id");
            default -> throw new Untranslatable("unknown message role " + role);
        }
    }

    private static void message(ArrayNode input, String role, String partType, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        ObjectNode msg = input.addObject().put("type", "message").put("role", role);
        msg.putArray("content").addObject().put("type", partType).put("text", text);
    }

    // ---------------------------------------------------------------- reply

    @Override
    public byte[] reply(byte[] upstreamBody, String requestedModel, ReplyContext context) {
        JsonNode r = Json.parse(new String(upstreamBody, StandardCharsets.UTF_8));
        if (r != null && r.has("response") && !r.has("output")) {
            r = r.get("response");
        }
        if (r == null || !r.isObject() || r.hasNonNull("error") && !r.has("output")) {
            return error(502, upstreamBody);
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.array();
        for (JsonNode item : r.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        if ("output_text".equals(part.path("type").asText())) {
                            text.append(part.path("text").asText(""));
                        } else if ("refusal".equals(part.path("type").asText())) {
                            text.append(part.path("refusal").asText(""));
                        }
                    }
                }
                case "function_call" -> {
                    ObjectNode call = calls.addObject();
                    call.put("id", item.path("call_id").asText()).put("type", "function");
                    call.putObject("function").put("name", item.path("name").asText())
                            .put("arguments", item.path("arguments").asText("{}"));
                }
                default -> {
                    // reasoning has no place in a Chat Completions message
                }
            }
        }
        return Json.bytes(ChatRequests.completion(chatId(r.path("id").asText("resp")),
                r.path("created_at").asLong(Instant.now().getEpochSecond()), requestedModel, text, calls,
                finishReason(r, !calls.isEmpty()), chatUsage(r.get("usage"))));
    }

    static String finishReason(JsonNode response, boolean toolCalls) {
        if (toolCalls) {
            return "tool_calls";
        }
        if ("incomplete".equals(response.path("status").asText())) {
            return "content_filter".equals(response.path("incomplete_details").path("reason").asText())
                    ? "content_filter" : "length";
        }
        return "stop";
    }

    static ObjectNode chatUsage(JsonNode usage) {
        ObjectNode u = Json.object();
        long in = usage == null ? 0 : usage.path("input_tokens").asLong(0);
        long out = usage == null ? 0 : usage.path("output_tokens").asLong(0);
        u.put("prompt_tokens", in);
        u.put("completion_tokens", out);
        u.put("total_tokens", usage == null ? in + out : usage.path("total_tokens").asLong(in + out));
        u.putObject("prompt_tokens_details").put("cached_tokens",
                usage == null ? 0 : usage.path("input_tokens_details").path("cached_tokens").asLong(0));
        u.putObject("completion_tokens_details").put("reasoning_tokens",
                usage == null ? 0 : usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
        return u;
    }

    // ---------------------------------------------------------------- stream

    /** Responses SSE in, chat.completion.chunk frames out. */
    static final class ResponsesEventsAsChunks extends ChatChunkStream {
        /** Function-call item id to its tool_calls index. */
        private final Map<String, Integer> toolIndex = new HashMap<>();
        private final Set<String> argumentsStreamed = new HashSet<>();
        private final Set<String> textStreamed = new HashSet<>();
        private boolean started;

        ResponsesEventsAsChunks(String model, boolean includeUsage) {
            super(model, includeUsage, "response");
        }

        @Override
        protected void event(String type, JsonNode e, Consumer<byte[]> out) {
            switch (type) {
                case "response.created", "response.in_progress" -> start(e.path("response"), out);
                case "response.output_text.delta" -> {
                    start(null, out);
                    textStreamed.add(e.path("item_id").asText());
                    out.accept(chunk(Json.object().put("content", e.path("delta").asText("")), null));
                }
                case "response.output_item.added" -> {
                    JsonNode item = e.path("item");
                    if ("function_call".equals(item.path("type").asText())) {
                        start(null, out);
                        toolStart(item, out);
                    }
                }
                case "response.function_call_arguments.delta" -> {
                    Integer index = toolIndex.get(e.path("item_id").asText());
                    String d = e.path("delta").asText("");
                    if (index != null && !d.isEmpty()) {
                        argumentsStreamed.add(e.path("item_id").asText());
                        out.accept(toolCallArguments(index, d));
                    }
                }
                case "response.output_item.done" -> {
                    start(null, out);
                    JsonNode item = e.path("item");
                    String itemId = item.path("id").asText();
                    String itemType = item.path("type").asText();
                    if ("function_call".equals(itemType)) {
                        Integer index = toolIndex.get(itemId);
                        if (index == null) {
                            index = toolStart(item, out);
                        }
                        String args = item.path("arguments").asText("");
                        if (!argumentsStreamed.contains(itemId) && !args.isEmpty()) {
                            out.accept(toolCallArguments(index, args));
                        }
                    } else if ("message".equals(itemType) && !textStreamed.contains(itemId)) {
                        // Some upstreams send a message whole, without deltas.
                        StringBuilder text = new StringBuilder();
                        for (JsonNode part : item.path("content")) {
                            text.append(part.path("text").asText(""));
                        }
                        if (!text.isEmpty()) {
                            out.accept(chunk(Json.object().put("content", text.toString()), null));
                        }
                    }
                }
                case "response.completed", "response.incomplete" -> {
                    start(null, out);
                    JsonNode response = e.path("response");
                    finish(finishReason(response, !toolIndex.isEmpty()), chatUsage(response.get("usage")), out);
                }
                case "response.failed" -> {
                    JsonNode err = e.path("response").path("error");
                    ObjectNode error = Json.object();
                    error.put("message", err.path("message").asText("the upstream response failed"));
                    error.put("type", "api_error");
                    error.putNull("param");
                    error.set("code", err.has("code") ? err.get("code") : Json.NODES.nullNode());
                    fail(error, out);
                }
                case "error" -> {
                    ObjectNode error = Json.object();
                    error.put("message", e.path("message").asText(e.path("error").path("message").asText("")));
                    error.put("type", "api_error");
                    error.putNull("param");
                    error.set("code", e.has("code") ? e.get("code") : Json.NODES.nullNode());
                    fail(error, out);
                }
                default -> {
                    // reasoning, content-part bookkeeping and rate-limit events have no Chat counterpart
                }
            }
        }

        private void start(JsonNode response, Consumer<byte[]> out) {
            if (started) {
                return;
            }
            started = true;
            id = chatId(response == null ? "resp_unknown" : response.path("id").asText("resp_unknown"));
            if (response != null && response.path("created_at").canConvertToLong()) {
                created = response.path("created_at").asLong();
            }
            out.accept(openingChunk());
        }

        private int toolStart(JsonNode item, Consumer<byte[]> out) {
            int index = toolIndex.size();
            toolIndex.put(item.path("id").asText(), index);
            out.accept(toolCallStart(index, item.path("call_id").asText(), item.path("name").asText()));
            return index;
        }
    }
}
