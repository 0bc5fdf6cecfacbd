package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A client speaking the OpenAI Responses API (Codex CLI, the openai SDKs, OpenCode) served by Anthropic Messages
 * (Claude OAuth accounts or Anthropic API keys).
 *
 * <p>Free-form (custom) tools become Anthropic tools with one string field, {@code input}; their calls go back as
 * {@code custom_tool_call} items. Tools in a namespace become plain Anthropic tools (named {@code namespace__name} only
 * when two would clash). Both need the {@link ReplyContext} of {@link #translate}; without it (the plain
 * {@link WireTranslation} methods) every call goes back as a {@code function_call}, which Codex also accepts for
 * {@code apply_patch} because the field is named {@code input}. Anthropic thinking goes back as a reasoning item whose
 * summary is the thinking text and whose {@code encrypted_content} carries the signature, so the next turn can replay
 * it; OpenAI's own encrypted reasoning cannot be replayed to Anthropic and is dropped with a note.
 */
public final class ResponsesToMessages implements RequestAwareTranslation {
    static final String FREEFORM_FIELD = "input";
    static final String THINKING_PREFIX = "anthropic-thinking:";
    static final String REDACTED_PREFIX = "anthropic-redacted-thinking:";

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return ErrorShapes.openAiBody(ErrorShapes.openAiErrorFromAnthropic(status, upstreamBody));
    }

    @Override
    public EventTranslator stream(String requestedModel, ReplyContext context) {
        return new MessagesEventsAsResponses(requestedModel, context);
    }

    // ---------------------------------------------------------------- request

    /** The request, what its reply needs to know, and what was approximated. */
    @Override
    public TranslatedRequest translate(byte[] clientBody, String servedModel) throws Untranslatable {
        ObjectNode in = Json.requestObject(clientBody);
        refuseStatefulFeatures(in);
        AnthropicRequestBuilder b = new AnthropicRequestBuilder();
        b.systemText(in.get("instructions"));

        Set<String> freeform = new HashSet<>();
        Map<String, ReplyContext.NamespacedTool> namespaced = new HashMap<>();
        ArrayNode tools = tools(in.get("tools"), freeform, namespaced);
        Map<String, String> upstreamNameOf = new HashMap<>();
        for (var e : namespaced.entrySet()) {
            upstreamNameOf.put(e.getValue().namespace() + "\u0000" + e.getValue().name(), e.getKey());
        }

        JsonNode input = in.get("input");
        if (input == null || input.isNull()) {
            throw new Untranslatable("the request has no input");
        }
        if (input.isTextual()) {
            b.text("user", input);
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                inputItem(item, b, upstreamNameOf);
            }
        } else {
            throw new Untranslatable("input must be a string or a list of items");
        }
        if (b.messages.isEmpty()) {
            throw new Untranslatable("the request has no user or assistant input to send");
        }

        ObjectNode out = Json.object();
        out.put("model", servedModel);
        JsonNode maxOut = in.get("max_output_tokens");
        int maxTokens = maxOut != null && maxOut.canConvertToInt() ? maxOut.intValue()
                : AnthropicRequestBuilder.defaultMaxTokens(servedModel);
        out.put("max_tokens", maxTokens);

        ObjectNode toolChoice = toolChoice(in.get("tool_choice"), upstreamNameOf);
        toolChoice = AnthropicRequestBuilder.withParallelToolUse(toolChoice, in.get("parallel_tool_calls"),
                tools != null);

        int budget = thinkingBudget(in.get("reasoning"), maxTokens, toolChoice, b);
        b.writeConversation(out, tools, toolChoice);
        if (budget > 0) {
            out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
            if (in.has("temperature") || in.has("top_p")) {
                b.notes.add("temperature/top_p dropped: Anthropic allows neither with thinking on");
            }
        } else {
            copyNumber(in, "temperature", out, "temperature");
            copyNumber(in, "top_p", out, "top_p");
        }
        JsonNode stream = in.get("stream");
        if (stream != null && stream.isBoolean()) {
            out.put("stream", stream.booleanValue());
        }
        textOptions(in.get("text"), b);
        if (in.has("metadata") && !in.get("metadata").isEmpty()) {
            b.notes.add("metadata dropped: Anthropic accepts only a user id there");
        }
        return new TranslatedRequest(Json.bytes(out, clientBody.length), new ReplyContext(freeform, namespaced, false),
                b.notes);
    }

    private static void refuseStatefulFeatures(ObjectNode in) throws Untranslatable {
        if (has(in, "previous_response_id")) {
            throw new Untranslatable("previous_response_id needs OpenAI's stored responses; a translated request "
                    + "must carry its whole history in input (Codex does so with store=false)");
        }
        if (has(in, "conversation")) {
            throw new Untranslatable("conversation objects are stored by OpenAI and cannot be served by Anthropic");
        }
        if (has(in, "prompt")) {
            throw new Untranslatable("stored prompt templates (prompt) are OpenAI-only");
        }
        JsonNode background = in.get("background");
        if (background != null && background.asBoolean(false)) {
            throw new Untranslatable("background responses are OpenAI-only");
        }
    }

    private static boolean has(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v != null && !v.isNull();
    }

    private static void copyNumber(JsonNode in, String from, ObjectNode out, String to) {
        JsonNode v = in.get(from);
        if (v != null && v.isNumber()) {
            out.set(to, v);
        }
    }

    private static void textOptions(JsonNode text, AnthropicRequestBuilder b) throws Untranslatable {
        if (text == null || !text.isObject()) {
            return;
        }
        String format = text.path("format").path("type").asText("text");
        if (!"text".equals(format)) {
            throw new Untranslatable("text.format " + format + " (structured output) has no faithful Anthropic "
                    + "Messages equivalent");
        }
        if (text.has("verbosity")) {
            b.notes.add("text.verbosity dropped: Anthropic has no verbosity control");
        }
    }

    private static int thinkingBudget(JsonNode reasoning, int maxTokens, ObjectNode toolChoice,
                                      AnthropicRequestBuilder b) {
        if (reasoning == null || !reasoning.isObject()) {
            return 0;
        }
        // A reasoning object without an effort asks for the model's default effort, which is medium.
        String effort = reasoning.path("effort").asText("medium");
        int budget = AnthropicRequestBuilder.thinkingBudget(effort, maxTokens);
        if (budget == 0) {
            return 0;
        }
        if (toolChoice != null) {
            String t = toolChoice.get("type").textValue();
            if ("any".equals(t) || "tool".equals(t)) {
                b.notes.add("thinking off: Anthropic does not think when a tool call is forced");
                return 0;
            }
        }
        if (b.continuesToolLoopWithoutThinking()) {
            b.notes.add("thinking off: the tool loop's last assistant turn carries no Anthropic thinking block");
            return 0;
        }
        return budget;
    }

    private static ArrayNode tools(JsonNode tools, Set<String> freeform,
                                   Map<String, ReplyContext.NamespacedTool> namespaced) throws Untranslatable {
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return null;
        }
        // Count plain names first so that a namespaced tool keeps its short name unless it would clash.
        Map<String, Integer> nameCount = new HashMap<>();
        for (JsonNode t : tools) {
            if ("namespace".equals(t.path("type").asText())) {
                for (JsonNode inner : t.path("tools")) {
                    nameCount.merge(inner.path("name").asText(), 1, Integer::sum);
                }
            } else {
                nameCount.merge(t.path("name").asText(), 1, Integer::sum);
            }
        }
        ArrayNode out = Json.array();
        for (JsonNode t : tools) {
            String type = t.path("type").asText();
            if ("namespace".equals(type)) {
                String ns = t.path("name").asText();
                for (JsonNode inner : t.path("tools")) {
                    String name = inner.path("name").asText();
                    String upstreamName = nameCount.get(name) > 1 ? ns + "__" + name : name;
                    namespaced.put(upstreamName, new ReplyContext.NamespacedTool(ns, name));
                    out.add(tool(inner, upstreamName, freeform));
                }
            } else {
                out.add(tool(t, t.path("name").asText(), freeform));
            }
        }
        return out;
    }

    private static ObjectNode tool(JsonNode t, String upstreamName, Set<String> freeform) throws Untranslatable {
        String type = t.path("type").asText();
        ObjectNode a = Json.object();
        a.put("name", upstreamName);
        switch (type) {
            case "function" -> {
                if (t.has("description")) {
                    a.set("description", t.get("description"));
                }
                JsonNode params = t.get("parameters");
                a.set("input_schema", Json.isObject(params) ? params
                        : Json.object().put("type", "object").set("properties", Json.object()));
            }
            case "custom" -> {
                freeform.add(upstreamName);
                StringBuilder d = new StringBuilder(t.path("description").asText(""));
                JsonNode format = t.get("format");
                if (format != null && "grammar".equals(format.path("type").asText())) {
                    d.append("\n\nPass the raw text as `input`. It must follow this ")
                            .append(format.path("syntax").asText("")).append(" grammar:\n")
                            .append(format.path("definition").asText(""));
                } else {
                    d.append("\n\nPass the raw free-form text as `input`.");
                }
                a.put("description", d.toString());
                ObjectNode schema = a.putObject("input_schema").put("type", "object");
                schema.putObject("properties").putObject(FREEFORM_FIELD).put("type", "string")
                        .put("description", "The tool's free-form input, verbatim.");
                schema.putArray("required").add(FREEFORM_FIELD);
                schema.put("additionalProperties", false);
            }
            default -> throw new Untranslatable(serverToolRefusal(type));
        }
        return a;
    }

    static String serverToolRefusal(String type) {
        String hint = type.startsWith("web_search")
                ? " (Codex: set web_search = \"disabled\" in its config.toml)" : "";
        return "the " + (type.isEmpty() ? "untyped" : type) + " tool runs on OpenAI's servers and has no equivalent "
                + "on the Anthropic account serving this model; remove it from the request" + hint;
    }

    private static ObjectNode toolChoice(JsonNode choice, Map<String, String> upstreamNameOf) throws Untranslatable {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return AnthropicRequestBuilder.toolChoiceForMode(choice.textValue());
        }
        String type = choice.path("type").asText();
        if ("function".equals(type) || "custom".equals(type)) {
            String name = choice.path("name").asText();
            String ns = Json.text(choice, "namespace");
            String upstream = ns == null ? name : upstreamNameOf.getOrDefault(ns + "\u0000" + name, name);
            return Json.object().put("type", "tool").put("name", upstream);
        }
        throw new Untranslatable("tool_choice " + type + " has no Anthropic equivalent");
    }

    private static void inputItem(JsonNode item, AnthropicRequestBuilder b, Map<String, String> upstreamNameOf)
            throws Untranslatable {
        String type = item.path("type").asText("message");
        switch (type) {
            case "message" -> message(item, b);
            case "function_call" -> {
                ObjectNode use = Json.object().put("type", "tool_use");
                use.put("id", AnthropicRequestBuilder.toolId(callId(item)));
                String name = item.path("name").asText();
                String ns = Json.text(item, "namespace");
                use.put("name", ns == null ? name : upstreamNameOf.getOrDefault(ns + "\u0000" + name, name));
                use.set("input", arguments(item.path("arguments").asText("{}"), name));
                b.block("assistant", use);
            }
            case "custom_tool_call" -> {
                ObjectNode use = Json.object().put("type", "tool_use");
                use.put("id", AnthropicRequestBuilder.toolId(callId(item)));
                use.put("name", item.path("name").asText());
                JsonNode freeformInput = item.get("input");
                use.putObject("input").set(FREEFORM_FIELD, freeformInput != null && freeformInput.isTextual()
                        ? freeformInput : Json.NODES.textNode(""));
                b.block("assistant", use);
            }
            case "function_call_output", "custom_tool_call_output" -> {
                ObjectNode result = Json.object().put("type", "tool_result");
                result.put("tool_use_id", AnthropicRequestBuilder.toolId(callId(item)));
                JsonNode output = item.get("output");
                if (output != null && output.isArray()) {
                    ArrayNode content = result.putArray("content");
                    for (JsonNode part : output) {
                        ObjectNode block = contentPart(part);
                        if (block != null) {
                            content.add(block);
                        }
                    }
                    if (content.isEmpty()) {
                        result.remove("content");
                    }
                } else if (output != null && output.isTextual()) {
                    JsonNode text = Json.nonEmptyText(output);
                    if (text != null) {
                        result.set("content", text);
                    }
                } else if (output != null && !output.isNull()) {
                    result.put("content", Json.string(output));
                }
                b.block("user", result);
            }
            case "reasoning" -> reasoning(item, b);
            case "item_reference" -> throw new Untranslatable("item_reference points at OpenAI's stored items; send "
                    + "the items themselves");
            case "web_search_call", "file_search_call", "code_interpreter_call", "image_generation_call" ->
                // The record of a search OpenAI ran in an earlier turn: its results were never in the input, only
                // the answer that followed, which stays. Dropping it lets a session started on OpenAI continue.
                b.notes.add("a past " + type + " record was dropped (its results were OpenAI-internal)");
            case "compaction", "compaction_summary" -> throw new Untranslatable("this conversation was compacted by "
                    + "OpenAI (an encrypted compaction item) and cannot continue on Anthropic; start a new session");
            default -> throw new Untranslatable("input item " + type + " comes from an OpenAI server-side tool and "
                    + "cannot be replayed to Anthropic");
        }
    }

    private static String callId(JsonNode item) throws Untranslatable {
        String id = Json.text(item, "call_id");
        if (id == null || id.isEmpty()) {
            throw new Untranslatable("a tool call or tool output without call_id cannot be matched on Anthropic");
        }
        return id;
    }

    private static JsonNode arguments(String json, String name) throws Untranslatable {
        if (json.isBlank()) {
            return Json.object();
        }
        JsonNode parsed = Json.parse(json);
        if (parsed == null || !parsed.isObject()) {
            throw new Untranslatable("the arguments of the call to " + name + " are not a JSON object; Anthropic "
                    + "takes tool input as an object");
        }
        return parsed;
    }

    private static void message(JsonNode item, AnthropicRequestBuilder b) throws Untranslatable {
        String role = item.path("role").asText("user");
        JsonNode content = item.get("content");
        if ("system".equals(role) || "developer".equals(role)) {
            boolean leading = b.messages.isEmpty();
            if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    if (leading) {
                        b.systemText(part.get("text"));
                    } else {
                        b.text("user", part.get("text"));
                    }
                }
            } else if (leading) {
                b.systemText(content);
            } else {
                b.text("user", content);
            }
            if (!leading) {
                // Anthropic has one system prompt, at the top; a later instruction travels as user text.
                b.notes.add("a " + role + " message after the conversation started was sent as user text");
            }
            return;
        }
        String to = "assistant".equals(role) ? "assistant" : "user";
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            b.text(to, content);
            return;
        }
        for (JsonNode part : content) {
            ObjectNode block = contentPart(part);
            if (block != null) {
                b.block(to, block);
            }
        }
    }

    /** One content part as an Anthropic block; null for an empty text. */
    private static ObjectNode contentPart(JsonNode part) throws Untranslatable {
        String type = part.path("type").asText();
        switch (type) {
            case "input_text", "output_text", "text" -> {
                JsonNode text = Json.nonEmptyText(part.get("text"));
                return text == null ? null : Json.object().put("type", "text").set("text", text);
            }
            case "refusal" -> {
                String text = part.path("refusal").asText("");
                return text.isEmpty() ? null : Json.object().put("type", "text").put("text", text);
            }
            case "input_image" -> {
                if (part.has("file_id") && !part.hasNonNull("image_url")) {
                    throw new Untranslatable("input_image by file_id refers to OpenAI's file store; send the image "
                            + "as a URL or data URL");
                }
                return AnthropicRequestBuilder.image(Json.text(part, "image_url"));
            }
            case "input_file" -> {
                return AnthropicRequestBuilder.document(Json.text(part, "file_data"), Json.text(part, "filename"));
            }
            default -> throw new Untranslatable("content part " + type + " has no Anthropic equivalent");
        }
    }

    private static void reasoning(JsonNode item, AnthropicRequestBuilder b) {
        String sealed = Json.text(item, "encrypted_content");
        if (sealed != null && sealed.startsWith(THINKING_PREFIX)) {
            StringBuilder text = new StringBuilder();
            for (JsonNode s : item.path("summary")) {
                text.append(s.path("text").asText(""));
            }
            ObjectNode block = Json.object().put("type", "thinking");
            block.put("thinking", text.toString());
            block.put("signature", sealed.substring(THINKING_PREFIX.length()));
            b.block("assistant", block);
        } else if (sealed != null && sealed.startsWith(REDACTED_PREFIX)) {
            b.block("assistant", Json.object().put("type", "redacted_thinking")
                    .put("data", sealed.substring(REDACTED_PREFIX.length())));
        } else {
            b.notes.add("a reasoning item from OpenAI was dropped: its encrypted reasoning only OpenAI can read");
        }
    }

    // ---------------------------------------------------------------- reply

    @Override
    public byte[] reply(byte[] upstreamBody, String requestedModel, ReplyContext context) {
        JsonNode msg = Json.parse(new String(upstreamBody, java.nio.charset.StandardCharsets.UTF_8));
        if (msg == null || !msg.isObject()) {
            return error(502, upstreamBody);
        }
        if ("error".equals(msg.path("type").asText())) {
            return error(500, upstreamBody);
        }
        ResponseBuilder r = new ResponseBuilder(msg.path("id").asText("msg"), requestedModel, context);
        int index = 0;
        for (JsonNode block : msg.path("content")) {
            r.addBlock(block, index++);
        }
        r.usage.read(msg.get("usage"));
        return Json.bytes(r.finished(msg.path("stop_reason").asText("end_turn")));
    }

    /** Builds Responses output items and the response object from Anthropic content blocks. */
    static final class ResponseBuilder {
        final String base;
        final String responseId;
        final String model;
        final ReplyContext context;
        final ArrayNode output = Json.array();
        final AnthropicUsage usage = new AnthropicUsage();
        final long createdAt = java.time.Instant.now().getEpochSecond();

        ResponseBuilder(String messageId, String model, ReplyContext context) {
            this.base = messageId.startsWith("msg_") ? messageId.substring(4) : messageId;
            this.responseId = "resp_" + base;
            this.model = model;
            this.context = context;
        }

        String itemId(String prefix, int index) {
            return prefix + "_" + base + "_" + index;
        }

        void addBlock(JsonNode block, int index) {
            switch (block.path("type").asText()) {
                case "text" -> output.add(messageItem(itemId("msg", index), block.path("text").asText(""),
                        "completed"));
                case "thinking" -> output.add(reasoningItem(itemId("rs", index), block.path("thinking").asText(""),
                        THINKING_PREFIX + block.path("signature").asText("")));
                case "redacted_thinking" -> output.add(reasoningItem(itemId("rs", index), null,
                        REDACTED_PREFIX + block.path("data").asText("")));
                case "tool_use" -> output.add(toolCallItem(block.path("id").asText(), block.path("name").asText(),
                        block.get("input"), index, "completed"));
                default -> {
                    // Server-side tool blocks cannot occur: requests with server tools are refused.
                }
            }
        }

        static ObjectNode messageItem(String id, String text, String status) {
            ObjectNode item = Json.object();
            item.put("id", id).put("type", "message").put("status", status).put("role", "assistant");
            ArrayNode content = item.putArray("content");
            if (text != null) {
                content.add(outputText(text));
            }
            return item;
        }

        static ObjectNode outputText(String text) {
            ObjectNode part = Json.object().put("type", "output_text").put("text", text);
            part.putArray("annotations");
            part.putArray("logprobs");
            return part;
        }

        static ObjectNode reasoningItem(String id, String summary, String sealed) {
            ObjectNode item = Json.object();
            item.put("id", id).put("type", "reasoning");
            ArrayNode s = item.putArray("summary");
            if (summary != null) {
                s.addObject().put("type", "summary_text").put("text", summary);
            }
            item.put("encrypted_content", sealed);
            return item;
        }

        ObjectNode toolCallItem(String callId, String upstreamName, JsonNode input, int index, String status) {
            ObjectNode item = Json.object();
            if (context.freeformTools().contains(upstreamName)) {
                item.put("id", itemId("ctc", index)).put("type", "custom_tool_call").put("status", status);
                item.put("call_id", callId).put("name", upstreamName);
                item.put("input", input == null ? "" : input.path(FREEFORM_FIELD).asText(""));
                return item;
            }
            item.put("id", itemId("fc", index)).put("type", "function_call").put("status", status);
            item.put("call_id", callId);
            ReplyContext.NamespacedTool ns = context.namespacedTools().get(upstreamName);
            if (ns != null) {
                item.put("name", ns.name()).put("namespace", ns.namespace());
            } else {
                item.put("name", upstreamName);
            }
            item.put("arguments", input == null || input.isNull() ? "{}" : Json.string(input));
            return item;
        }

        ObjectNode response(String status) {
            ObjectNode r = Json.object();
            r.put("id", responseId).put("object", "response").put("created_at", createdAt).put("status", status);
            r.putNull("error");
            r.putNull("incomplete_details");
            r.putNull("instructions");
            r.putNull("max_output_tokens");
            r.put("model", model);
            r.set("output", output);
            r.put("parallel_tool_calls", true);
            r.putNull("previous_response_id");
            r.putObject("reasoning").putNull("effort").putNull("summary");
            r.put("store", false);
            r.putNull("temperature");
            r.putObject("text").putObject("format").put("type", "text");
            r.put("tool_choice", "auto");
            r.putArray("tools");
            r.putNull("top_p");
            r.put("truncation", "disabled");
            r.putNull("usage");
            r.putObject("metadata");
            return r;
        }

        /** The final response object for Anthropic's stop reason. */
        ObjectNode finished(String stopReason) {
            String incomplete = switch (stopReason) {
                case "max_tokens", "model_context_window_exceeded" -> "max_output_tokens";
                case "refusal" -> "content_filter";
                default -> null;
            };
            ObjectNode r = response(incomplete == null ? "completed" : "incomplete");
            if (incomplete != null) {
                r.putObject("incomplete_details").put("reason", incomplete);
            }
            r.set("usage", usage.asResponses());
            return r;
        }
    }

    // ---------------------------------------------------------------- stream

    /** Anthropic Messages SSE in, Responses SSE out, frame by frame. */
    static final class MessagesEventsAsResponses extends JsonEventTranslator {
        private final String requestedModel;
        private final ReplyContext context;
        private ResponseBuilder r;
        private int sequence;
        private String stopReason = "end_turn";
        /** Per Anthropic block index: what the open output item is. */
        private final Map<Integer, OpenItem> open = new HashMap<>();

        MessagesEventsAsResponses(String requestedModel, ReplyContext context) {
            this.requestedModel = requestedModel;
            this.context = context;
        }

        private static final class OpenItem {
            final String kind;
            final String itemId;
            final int outputIndex;
            final String callId;
            final String name;
            final StringBuilder text = new StringBuilder();
            String signature = "";
            final FreeformInputDecoder freeform;

            OpenItem(String kind, String itemId, int outputIndex, String callId, String name, boolean freeform) {
                this.kind = kind;
                this.itemId = itemId;
                this.outputIndex = outputIndex;
                this.callId = callId;
                this.name = name;
                this.freeform = freeform ? new FreeformInputDecoder(FREEFORM_FIELD) : null;
            }
        }

        @Override
        protected void event(String type, JsonNode e, java.util.function.Consumer<byte[]> out) {
            switch (type) {
                case "message_start" -> start(e.path("message"), out);
                case "content_block_start" -> blockStart(e.path("index").asInt(), e.path("content_block"), out);
                case "content_block_delta" -> blockDelta(e.path("index").asInt(), e.path("delta"), out);
                case "content_block_stop" -> blockStop(e.path("index").asInt(), out);
                case "message_delta" -> {
                    String reason = Json.text(e.path("delta"), "stop_reason");
                    if (reason != null) {
                        stopReason = reason;
                    }
                    ensureStarted(out);
                    r.usage.read(e.get("usage"));
                }
                case "message_stop" -> {
                    ensureStarted(out);
                    ObjectNode response = r.finished(stopReason);
                    String status = response.get("status").textValue();
                    emit(out, "completed".equals(status) ? "response.completed" : "response.incomplete",
                            Json.object().set("response", response));
                    finished = true;
                }
                case "error" -> fail(ErrorShapes.openAiErrorFromAnthropicEvent(e), out);
                default -> {
                    // ping and unknown events carry nothing for the client
                }
            }
        }

        @Override
        public void end(boolean clean, java.util.function.Consumer<byte[]> out) {
            if (!finished) {
                fail(ErrorShapes.openAiStreamEnded(clean, "message"), out);
            }
        }

        private void fail(ObjectNode error, java.util.function.Consumer<byte[]> out) {
            ensureStarted(out);
            ObjectNode response = r.response("failed");
            ObjectNode err = response.putObject("error");
            err.set("code", error.get("code"));
            err.set("message", error.get("message"));
            response.set("usage", r.usage.asResponses());
            emit(out, "response.failed", Json.object().set("response", response));
            finished = true;
        }

        private void start(JsonNode message, java.util.function.Consumer<byte[]> out) {
            if (r != null) {
                return;
            }
            r = new ResponseBuilder(message.path("id").asText("msg"), requestedModel, context);
            r.usage.read(message.get("usage"));
            ObjectNode created = r.response("in_progress");
            created.set("output", Json.array());
            emit(out, "response.created", Json.object().set("response", created));
            emit(out, "response.in_progress", Json.object().set("response", created));
        }

        private void ensureStarted(java.util.function.Consumer<byte[]> out) {
            if (r == null) {
                start(Json.object().put("id", "msg_unknown"), out);
            }
        }

        private void blockStart(int index, JsonNode block, java.util.function.Consumer<byte[]> out) {
            ensureStarted(out);
            int outputIndex = r.output.size() + open.size();
            switch (block.path("type").asText()) {
                case "text" -> {
                    OpenItem item = new OpenItem("text", r.itemId("msg", index), outputIndex, null, null, false);
                    open.put(index, item);
                    added(item, ResponseBuilder.messageItem(item.itemId, null, "in_progress"), out);
                    ObjectNode part = event(item).put("content_index", 0);
                    part.set("part", ResponseBuilder.outputText(""));
                    emit(out, "response.content_part.added", part);
                    String initial = block.path("text").asText("");
                    if (!initial.isEmpty()) {
                        textDelta(item, initial, out);
                    }
                }
                case "thinking", "redacted_thinking" -> {
                    boolean redacted = "redacted_thinking".equals(block.path("type").asText());
                    OpenItem item = new OpenItem(redacted ? "redacted" : "thinking", r.itemId("rs", index),
                            outputIndex, null, null, false);
                    if (redacted) {
                        item.signature = block.path("data").asText("");
                    }
                    open.put(index, item);
                    ObjectNode added = Json.object().put("id", item.itemId).put("type", "reasoning");
                    added.putArray("summary");
                    added(item, added, out);
                    if (!redacted) {
                        ObjectNode part = event(item).put("summary_index", 0);
                        part.putObject("part").put("type", "summary_text").put("text", "");
                        emit(out, "response.reasoning_summary_part.added", part);
                    }
                }
                case "tool_use" -> {
                    String upstreamName = block.path("name").asText();
                    boolean freeform = context.freeformTools().contains(upstreamName);
                    String callId = block.path("id").asText();
                    ObjectNode shell = r.toolCallItem(callId, upstreamName, null, index, "in_progress");
                    if (freeform) {
                        shell.put("input", "");
                    } else {
                        shell.put("arguments", "");
                    }
                    OpenItem item = new OpenItem(freeform ? "custom" : "function", shell.get("id").textValue(),
                            outputIndex, callId, upstreamName, freeform);
                    open.put(index, item);
                    added(item, shell, out);
                }
                default -> {
                    // not produced for translated requests (server tools are refused)
                }
            }
        }

        private void blockDelta(int index, JsonNode delta, java.util.function.Consumer<byte[]> out) {
            OpenItem item = open.get(index);
            if (item == null) {
                return;
            }
            switch (delta.path("type").asText()) {
                case "text_delta" -> textDelta(item, delta.path("text").asText(""), out);
                case "thinking_delta" -> {
                    String d = delta.path("thinking").asText("");
                    item.text.append(d);
                    ObjectNode ev = event(item).put("summary_index", 0).put("delta", d);
                    emit(out, "response.reasoning_summary_text.delta", ev);
                }
                case "signature_delta" -> item.signature += delta.path("signature").asText("");
                case "input_json_delta" -> {
                    String d = delta.path("partial_json").asText("");
                    item.text.append(d);
                    if (item.freeform != null) {
                        String decoded = item.freeform.feed(d);
                        if (!decoded.isEmpty()) {
                            emit(out, "response.custom_tool_call_input.delta", event(item).put("delta", decoded));
                        }
                    } else if (!d.isEmpty()) {
                        emit(out, "response.function_call_arguments.delta", event(item).put("delta", d));
                    }
                }
                default -> {
                    // citations and future delta kinds have no Responses counterpart here
                }
            }
        }

        private void textDelta(OpenItem item, String d, java.util.function.Consumer<byte[]> out) {
            item.text.append(d);
            ObjectNode ev = event(item).put("content_index", 0).put("delta", d);
            ev.putArray("logprobs");
            emit(out, "response.output_text.delta", ev);
        }

        private void blockStop(int index, java.util.function.Consumer<byte[]> out) {
            OpenItem item = open.remove(index);
            if (item == null) {
                return;
            }
            ObjectNode done;
            switch (item.kind) {
                case "text" -> {
                    String text = item.text.toString();
                    ObjectNode ev = event(item).put("content_index", 0).put("text", text);
                    ev.putArray("logprobs");
                    emit(out, "response.output_text.done", ev);
                    ObjectNode part = event(item).put("content_index", 0);
                    part.set("part", ResponseBuilder.outputText(text));
                    emit(out, "response.content_part.done", part);
                    done = ResponseBuilder.messageItem(item.itemId, text, "completed");
                }
                case "thinking" -> {
                    String text = item.text.toString();
                    emit(out, "response.reasoning_summary_text.done",
                            event(item).put("summary_index", 0).put("text", text));
                    ObjectNode part = event(item).put("summary_index", 0);
                    part.putObject("part").put("type", "summary_text").put("text", text);
                    emit(out, "response.reasoning_summary_part.done", part);
                    done = ResponseBuilder.reasoningItem(item.itemId, text, THINKING_PREFIX + item.signature);
                }
                case "redacted" -> done = ResponseBuilder.reasoningItem(item.itemId, null,
                        REDACTED_PREFIX + item.signature);
                default -> {
                    String json = item.text.isEmpty() ? "{}" : item.text.toString();
                    JsonNode input = Json.parse(json);
                    done = r.toolCallItem(item.callId, item.name, input, index, "completed");
                    if (item.freeform == null && input != null) {
                        // The arguments exactly as their deltas spelled them, so the two agree for accumulators.
                        done.put("arguments", json);
                    }
                    if (item.freeform != null) {
                        emit(out, "response.custom_tool_call_input.done",
                                event(item).put("input", done.get("input").textValue()));
                    } else {
                        emit(out, "response.function_call_arguments.done",
                                event(item).put("arguments", done.get("arguments").textValue()));
                    }
                }
            }
            ObjectNode ev = Json.object().put("output_index", item.outputIndex);
            ev.set("item", done);
            emit(out, "response.output_item.done", ev);
            r.output.add(done);
        }

        private void added(OpenItem item, ObjectNode shell, java.util.function.Consumer<byte[]> out) {
            ObjectNode ev = Json.object().put("output_index", item.outputIndex);
            ev.set("item", shell);
            emit(out, "response.output_item.added", ev);
        }

        private static ObjectNode event(OpenItem item) {
            return Json.object().put("item_id", item.itemId).put("output_index", item.outputIndex);
        }

        private void emit(java.util.function.Consumer<byte[]> out, String type, ObjectNode body) {
            ObjectNode framed = Json.object().put("type", type).put("sequence_number", sequence++);
            framed.setAll(body);
            out.accept(Json.namedFrame(type, framed));
        }
    }
}
