package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Chat Completions client (OpenCode's openai-compatible provider, the openai SDKs, scripts) served by Anthropic
 * Messages. Thinking, when the client asked for reasoning effort, is not shown: Chat Completions has no standard place
 * for it.
 */
public final class ChatToMessages implements RequestAwareTranslation {

    @Override
    public byte[] reply(byte[] upstreamBody, String requestedModel, ReplyContext context) {
        JsonNode msg = Json.parse(new String(upstreamBody, StandardCharsets.UTF_8));
        if (msg == null || !msg.isObject() || "error".equals(msg.path("type").asText())) {
            return error(502, upstreamBody);
        }
        String id = chatId(msg.path("id").asText("msg"));
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.array();
        for (JsonNode block : msg.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> {
                    ObjectNode call = calls.addObject();
                    call.put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", Json.string(block.has("input") ? block.get("input") : Json.object()));
                }
                default -> {
                    // thinking has no place in a Chat Completions message
                }
            }
        }
        AnthropicUsage usage = new AnthropicUsage();
        usage.read(msg.get("usage"));
        return Json.bytes(ChatRequests.completion(id, Instant.now().getEpochSecond(), requestedModel, text, calls,
                ChatRequests.finishReasonFromAnthropic(msg.path("stop_reason").asText(null)), usage.asChat()));
    }

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return ErrorShapes.openAiBody(ErrorShapes.openAiErrorFromAnthropic(status, upstreamBody));
    }

    @Override
    public EventTranslator stream(String requestedModel, ReplyContext context) {
        return new MessagesEventsAsChunks(requestedModel, context.includeUsage());
    }

    static String chatId(String messageId) {
        return ChatRequests.chatId(messageId, "msg_");
    }

    // ---------------------------------------------------------------- request

    @Override
    public TranslatedRequest translate(byte[] clientBody, String servedModel) throws Untranslatable {
        ObjectNode in = Json.requestObject(clientBody);
        JsonNode messages = ChatRequests.servableMessages(in);
        AnthropicRequestBuilder b = new AnthropicRequestBuilder();
        for (JsonNode m : messages) {
            message(m, b);
        }
        if (b.messages.isEmpty()) {
            throw new Untranslatable("the request has no user or assistant messages to send");
        }
        ArrayNode tools = tools(in.get("tools"));
        ObjectNode out = Json.object();
        out.put("model", servedModel);
        int max = ChatRequests.maxTokens(in);
        int maxTokens = max > 0 ? max : AnthropicRequestBuilder.defaultMaxTokens(servedModel);
        out.put("max_tokens", maxTokens);
        ObjectNode toolChoice = toolChoice(in.get("tool_choice"));
        toolChoice = AnthropicRequestBuilder.withParallelToolUse(toolChoice, in.get("parallel_tool_calls"),
                tools != null);
        int budget = 0;
        String effort = Json.text(in, "reasoning_effort");
        if (effort != null) {
            budget = AnthropicRequestBuilder.thinkingBudget(effort, maxTokens);
            String forced = toolChoice == null ? "auto" : toolChoice.get("type").textValue();
            if (budget > 0 && ("any".equals(forced) || "tool".equals(forced))) {
                b.notes.add("thinking off: Anthropic does not think when a tool call is forced");
                budget = 0;
            }
            if (budget > 0 && b.continuesToolLoopWithoutThinking()) {
                // Chat history never carries thinking, so a tool loop cannot continue with thinking on.
                b.notes.add("thinking off: Chat history carries no thinking block for the tool loop");
                budget = 0;
            }
        }
        b.writeConversation(out, tools, toolChoice);
        if (budget > 0) {
            out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        } else {
            copyNumber(in, "temperature", out);
            copyNumber(in, "top_p", out);
        }
        JsonNode stop = in.get("stop");
        if (stop != null && !stop.isNull()) {
            ArrayNode seqs = out.putArray("stop_sequences");
            if (stop.isTextual()) {
                seqs.add(stop.textValue());
            } else {
                for (JsonNode s : stop) {
                    seqs.add(s.asText());
                }
            }
        }
        JsonNode stream = in.get("stream");
        if (stream != null && stream.isBoolean()) {
            out.put("stream", stream.booleanValue());
        }
        String user = Json.text(in, "user");
        if (user != null && !user.isEmpty()) {
            out.putObject("metadata").put("user_id", user);
        }
        JsonNode format = in.get("response_format");
        if (format != null && !"text".equals(format.path("type").asText("text"))) {
            throw new Untranslatable("response_format " + format.path("type").asText()
                    + " (structured output) has no faithful Anthropic Messages equivalent");
        }
        for (String ignored : new String[] {"frequency_penalty", "presence_penalty", "seed", "logit_bias"}) {
            if (in.hasNonNull(ignored)) {
                b.notes.add(ignored + " dropped: Anthropic has no such parameter");
            }
        }
        return new TranslatedRequest(Json.bytes(out, clientBody.length), new ReplyContext(Set.of(), Map.of(),
                ChatRequests.includeUsage(in)), b.notes);
    }

    private static void copyNumber(JsonNode in, String field, ObjectNode out) {
        JsonNode v = in.get(field);
        if (v != null && v.isNumber()) {
            out.set(field, v);
        }
    }

    private static void message(JsonNode m, AnthropicRequestBuilder b) throws Untranslatable {
        String role = m.path("role").asText();
        JsonNode content = m.get("content");
        switch (role) {
            case "system", "developer" -> {
                if (b.messages.isEmpty()) {
                    if (content != null && content.isTextual()) {
                        b.systemText(content);
                    } else {
                        b.systemText(ChatRequests.text(content));
                    }
                } else {
                    b.text("user", ChatRequests.text(content));
                    b.notes.add("a " + role + " message after the conversation started was sent as user text");
                }
            }
            case "user" -> {
                if (content == null || content.isTextual()) {
                    b.text("user", content);
                    return;
                }
                for (JsonNode part : content) {
                    String type = part.path("type").asText();
                    switch (type) {
                        case "text" -> b.text("user", part.get("text"));
                        case "image_url" -> {
                            JsonNode url = part.get("image_url");
                            b.block("user", AnthropicRequestBuilder.image(url != null && url.isObject()
                                    ? Json.text(url, "url") : url == null ? null : url.asText()));
                        }
                        case "file" -> {
                            JsonNode file = part.path("file");
                            b.block("user", AnthropicRequestBuilder.document(Json.text(file, "file_data"),
                                    Json.text(file, "filename")));
                        }
                        default -> throw new Untranslatable("content part " + type
                                + " has no Anthropic equivalent");
                    }
                }
            }
            case "assistant" -> {
                if (content != null && content.isArray()) {
                    for (JsonNode part : content) {
                        String t = part.has("refusal") ? part.path("refusal").asText("") : part.path("text").asText("");
                        b.text("assistant", t);
                    }
                } else if (content != null && content.isTextual()) {
                    b.text("assistant", content);
                }
                String refusal = Json.text(m, "refusal");
                if (refusal != null) {
                    b.text("assistant", refusal);
                }
                for (JsonNode call : m.path("tool_calls")) {
                    if (!"function".equals(call.path("type").asText("function"))) {
                        throw new Untranslatable("tool call type " + call.path("type").asText()
                                + " has no Anthropic equivalent");
                    }
                    String id = Json.text(call, "id");
                    if (id == null || id.isEmpty()) {
                        throw new Untranslatable("a tool call without an id cannot be matched on Anthropic");
                    }
                    ObjectNode use = Json.object().put("type", "tool_use").put("id", AnthropicRequestBuilder.toolId(id));
                    String name = call.path("function").path("name").asText();
                    use.put("name", name);
                    String args = call.path("function").path("arguments").asText("");
                    JsonNode input = args.isBlank() ? Json.object() : Json.parse(args);
                    if (input == null || !input.isObject()) {
                        throw new Untranslatable("the arguments of the call to " + name + " are not a JSON object");
                    }
                    use.set("input", input);
                    b.block("assistant", use);
                }
            }
            case "tool" -> {
                String id = Json.text(m, "tool_call_id");
                if (id == null || id.isEmpty()) {
                    throw new Untranslatable("a tool message without tool_call_id cannot be matched on Anthropic");
                }
                ObjectNode result = Json.object().put("type", "tool_result")
                        .put("tool_use_id", AnthropicRequestBuilder.toolId(id));
                if (content != null && content.isTextual()) {
                    JsonNode text = Json.nonEmptyText(content);
                    if (text != null) {
                        result.set("content", text);
                    }
                } else {
                    String text = ChatRequests.text(content);
                    if (!text.isEmpty()) {
                        result.put("content", text);
                    }
                }
                b.block("user", result);
            }
            case "function" -> throw new Untranslatable("the legacy function role cannot be translated; use tool "
                    + "messages with tool_call_id");
            default -> throw new Untranslatable("unknown message role " + role);
        }
    }

    private static ArrayNode tools(JsonNode tools) throws Untranslatable {
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return null;
        }
        ArrayNode out = Json.array();
        for (JsonNode t : tools) {
            if (!"function".equals(t.path("type").asText())) {
                throw new Untranslatable(ResponsesToMessages.serverToolRefusal(t.path("type").asText()));
            }
            JsonNode f = t.path("function");
            ObjectNode a = out.addObject();
            a.put("name", f.path("name").asText());
            if (f.has("description")) {
                a.set("description", f.get("description"));
            }
            JsonNode params = f.get("parameters");
            a.set("input_schema", Json.isObject(params) ? params
                    : Json.object().put("type", "object").set("properties", Json.object()));
        }
        return out;
    }

    private static ObjectNode toolChoice(JsonNode choice) throws Untranslatable {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return AnthropicRequestBuilder.toolChoiceForMode(choice.textValue());
        }
        if ("function".equals(choice.path("type").asText())) {
            return Json.object().put("type", "tool").put("name", choice.path("function").path("name").asText());
        }
        throw new Untranslatable("tool_choice " + choice.path("type").asText() + " has no Anthropic equivalent");
    }

    // ---------------------------------------------------------------- stream

    /** Anthropic Messages SSE in, chat.completion.chunk frames out. */
    static final class MessagesEventsAsChunks extends ChatChunkStream {
        private final AnthropicUsage usage = new AnthropicUsage();
        private final Map<Integer, Integer> toolIndexOfBlock = new HashMap<>();
        private String stopReason;

        MessagesEventsAsChunks(String model, boolean includeUsage) {
            super(model, includeUsage, "message");
        }

        @Override
        protected void event(String type, JsonNode e, Consumer<byte[]> out) {
            switch (type) {
                case "message_start" -> {
                    id = chatId(e.path("message").path("id").asText("msg"));
                    usage.read(e.path("message").get("usage"));
                    out.accept(openingChunk());
                }
                case "content_block_start" -> {
                    JsonNode block = e.path("content_block");
                    if ("tool_use".equals(block.path("type").asText())) {
                        int toolIndex = toolIndexOfBlock.size();
                        toolIndexOfBlock.put(e.path("index").asInt(), toolIndex);
                        out.accept(toolCallStart(toolIndex, block.path("id").asText(), block.path("name").asText()));
                    } else if ("text".equals(block.path("type").asText())
                            && !block.path("text").asText("").isEmpty()) {
                        out.accept(chunk(Json.object().put("content", block.path("text").asText()), null));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode d = e.path("delta");
                    switch (d.path("type").asText()) {
                        case "text_delta" -> out.accept(chunk(Json.object()
                                .put("content", d.path("text").asText("")), null));
                        case "input_json_delta" -> {
                            Integer toolIndex = toolIndexOfBlock.get(e.path("index").asInt());
                            String part = d.path("partial_json").asText("");
                            if (toolIndex != null && !part.isEmpty()) {
                                out.accept(toolCallArguments(toolIndex, part));
                            }
                        }
                        default -> {
                            // thinking, signatures and citations have no Chat Completions counterpart
                        }
                    }
                }
                case "message_delta" -> {
                    stopReason = Json.text(e.path("delta"), "stop_reason");
                    usage.read(e.get("usage"));
                }
                case "message_stop" -> finish(ChatRequests.finishReasonFromAnthropic(stopReason), usage.asChat(), out);
                case "error" -> fail(ErrorShapes.openAiErrorFromAnthropicEvent(e), out);
                default -> {
                    // ping
                }
            }
        }
    }
}
