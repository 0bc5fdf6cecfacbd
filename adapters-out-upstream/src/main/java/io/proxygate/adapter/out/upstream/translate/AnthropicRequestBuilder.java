package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles an Anthropic Messages request from OpenAI-style pieces: system blocks, alternating user/assistant
 * messages (consecutive pieces of one role share a message, tool results first as Anthropic requires), images, the
 * thinking budget and the cache breakpoints. Shared by the Responses and the Chat codecs.
 */
final class AnthropicRequestBuilder {
    /** Anthropic's smallest thinking budget. */
    static final int MIN_THINKING_BUDGET = 1024;

    /** The user turn put before a history that starts with the assistant. */
    static final String CONVERSATION_OPENER = "(conversation start)";
    /** The user turn put after a history that ends with the assistant: go on from there. */
    static final String CONTINUE_AFTER_ASSISTANT = "Continue.";

    final ArrayNode system = Json.array();
    final ArrayNode messages = Json.array();
    final List<String> notes = new ArrayList<>();
    private ObjectNode last;

    void systemText(String text) {
        if (text != null && !text.isEmpty()) {
            system.addObject().put("type", "text").put("text", text);
        }
    }

    /** Appends a block to the conversation under {@code role}, opening a new message when the role changes. */
    void block(String role, ObjectNode block) {
        if (last == null || !role.equals(last.get("role").textValue())) {
            last = messages.addObject();
            last.put("role", role);
            last.putArray("content");
        }
        ArrayNode content = (ArrayNode) last.get("content");
        if ("tool_result".equals(block.path("type").textValue())) {
            // Anthropic wants a user turn's tool results before any other block in it.
            int at = 0;
            while (at < content.size() && "tool_result".equals(content.get(at).path("type").textValue())) {
                at++;
            }
            content.insert(at, block);
        } else {
            content.add(block);
        }
    }

    /** A text node (copied as it is, never decoded) as a system block; nothing when empty. */
    void systemText(JsonNode text) {
        JsonNode t = Json.nonEmptyText(text);
        if (t != null) {
            system.addObject().put("type", "text").set("text", t);
        }
    }

    void text(String role, JsonNode text) {
        JsonNode t = Json.nonEmptyText(text);
        if (t != null) {
            ObjectNode b = Json.object();
            b.put("type", "text").set("text", t);
            block(role, b);
        }
    }

    void text(String role, String text) {
        if (text != null && !text.isEmpty()) {
            ObjectNode b = Json.object();
            b.put("type", "text").put("text", text);
            block(role, b);
        }
    }

    boolean lastRoleIs(String role) {
        return last != null && role.equals(last.get("role").textValue());
    }

    /**
     * A tool call id as Anthropic accepts it (letters, digits, {@code _} and {@code -}). Other ids are rewritten the
     * same way for the call and its result, so they still match; a hash of the original keeps rewritten ids apart.
     */
    static String toolId(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                StringBuilder sb = new StringBuilder(id.length() + 9);
                for (int j = 0; j < id.length(); j++) {
                    char d = id.charAt(j);
                    boolean ok = d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d >= '0' && d <= '9' || d == '_'
                            || d == '-';
                    sb.append(ok ? d : '_');
                }
                return sb.append('_').append(Integer.toHexString(id.hashCode())).toString();
            }
        }
        return id;
    }

    /**
     * An image given as a URL (an https URL or a {@code data:} URL) as an Anthropic image block.
     */
    static ObjectNode image(String url) throws Untranslatable {
        if (url == null || url.isEmpty()) {
            throw new Untranslatable("an image without a URL cannot be sent to Anthropic (file ids are OpenAI-only)");
        }
        ObjectNode block = Json.object().put("type", "image");
        ObjectNode source = block.putObject("source");
        if (url.startsWith("data:")) {
            int semi = url.indexOf(';');
            int comma = url.indexOf(',');
            if (semi < 0 || comma < semi || !url.regionMatches(semi, ";base64", 0, 7)) {
                throw new Untranslatable("an image data URL must be base64 (data:<type>;base64,...)");
            }
            source.put("type", "base64").put("media_type", url.substring(5, semi)).put("data", url.substring(comma + 1));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw new Untranslatable("an image URL must be http(s) or a data URL");
        }
        return block;
    }

    /** A PDF given as a data URL as an Anthropic document block; other files have no Anthropic form. */
    static ObjectNode document(String dataUrl, String filename) throws Untranslatable {
        String prefix = "data:application/pdf;base64,";
        if (dataUrl == null || !dataUrl.startsWith(prefix)) {
            throw new Untranslatable("only PDF files given inline (data:application/pdf;base64,...) can be sent to "
                    + "Anthropic; file ids and file URLs are OpenAI-only");
        }
        ObjectNode block = Json.object().put("type", "document");
        block.putObject("source").put("type", "base64").put("media_type", "application/pdf")
                .put("data", dataUrl.substring(prefix.length()));
        if (filename != null) {
            block.put("title", filename);
        }
        return block;
    }

    /**
     * The output budget when the client gave none (Anthropic requires one): the model family's usual ceiling, so a long
     * answer is not cut shorter than on the client's own provider.
     */
    static int defaultMaxTokens(String model) {
        String m = model == null ? "" : model;
        if (m.contains("claude-3-haiku") || m.contains("claude-3-opus")) {
            return 4096;
        }
        if (m.contains("claude-3-5")) {
            return 8192;
        }
        return 32000;
    }

    /**
     * OpenAI's reasoning effort as an Anthropic thinking budget (0 = no thinking). Both count reasoning inside the
     * output limit, so the budget is capped below {@code maxTokens} and dropped when that leaves less than Anthropic's
     * minimum.
     */
    static int thinkingBudget(String effort, int maxTokens) {
        int budget = switch (effort) {
            case "low" -> 4000;
            case "medium" -> 10000;
            case "high" -> 24000;
            case "xhigh" -> 32000;
            default -> 0; // none, minimal
        };
        budget = Math.min(budget, maxTokens - MIN_THINKING_BUDGET);
        return budget < MIN_THINKING_BUDGET ? 0 : budget;
    }

    /**
     * The tool choice with OpenAI's {@code parallel_tool_calls: false} as Anthropic's
     * {@code disable_parallel_tool_use} (which lives in the tool choice, so one is made when the client sent none);
     * unchanged when parallel calls are allowed, there are no tools, or the choice is {@code none}.
     */
    static ObjectNode withParallelToolUse(ObjectNode toolChoice, JsonNode parallelToolCalls, boolean hasTools) {
        if (parallelToolCalls == null || !parallelToolCalls.isBoolean() || parallelToolCalls.booleanValue()
                || !hasTools) {
            return toolChoice;
        }
        ObjectNode choice = toolChoice == null ? Json.object().put("type", "auto") : toolChoice;
        if (!"none".equals(choice.get("type").textValue())) {
            choice.put("disable_parallel_tool_use", true);
        }
        return choice;
    }

    /** An OpenAI {@code tool_choice} mode ({@code auto}, {@code none}, {@code required}) as Anthropic's object. */
    static ObjectNode toolChoiceForMode(String mode) throws Untranslatable {
        return switch (mode) {
            case "auto" -> Json.object().put("type", "auto");
            case "none" -> Json.object().put("type", "none");
            case "required" -> Json.object().put("type", "any");
            default -> throw new Untranslatable("unknown tool_choice " + mode);
        };
    }

    /**
     * With thinking on, Anthropic requires the assistant turn a tool loop continues from to start with its thinking
     * block; history from another provider has none, so thinking must stay off for such a request.
     */
    boolean continuesToolLoopWithoutThinking() {
        int n = messages.size();
        if (n < 2) {
            return false;
        }
        JsonNode lastMsg = messages.get(n - 1);
        JsonNode prev = messages.get(n - 2);
        if (!"user".equals(lastMsg.get("role").textValue()) || !"assistant".equals(prev.get("role").textValue())) {
            return false;
        }
        boolean results = false;
        for (JsonNode b : lastMsg.get("content")) {
            results |= "tool_result".equals(b.path("type").textValue());
        }
        if (!results) {
            return false;
        }
        JsonNode first = prev.get("content").get(0);
        String t = first == null ? "" : first.path("type").asText();
        return !"thinking".equals(t) && !"redacted_thinking".equals(t);
    }

    /**
     * Writes the request's {@code system}, {@code messages}, {@code tools} and {@code tool_choice} (only with tools)
     * into {@code out}, with the cache breakpoints set.
     */
    void writeConversation(ObjectNode out, ArrayNode tools, ObjectNode toolChoice) {
        openAndCloseWithUserTurns();
        cacheBreakpoints(tools);
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        out.set("messages", messages);
        if (tools != null) {
            out.set("tools", tools);
            if (toolChoice != null) {
                out.set("tool_choice", toolChoice);
            }
        }
    }

    /**
     * OpenAI's APIs take a history that starts with an assistant turn (a greeting the application showed) or ends
     * with one (answer after it); Anthropic refuses the first, and reads the second as the start of the answer to
     * continue, which thinking and newer models refuse. A short user turn is added where one is missing, with a note.
     */
    private void openAndCloseWithUserTurns() {
        if (messages.isEmpty()) {
            return;
        }
        if ("assistant".equals(messages.get(0).get("role").textValue())) {
            messages.insert(0, userText(CONVERSATION_OPENER));
            notes.add("a user turn was put first: Anthropic requires the conversation to start with one");
        }
        if ("assistant".equals(messages.get(messages.size() - 1).get("role").textValue())) {
            last = userText(CONTINUE_AFTER_ASSISTANT);
            messages.add(last);
            notes.add("a user turn was added last: the history ended with an assistant turn");
        }
    }

    private static ObjectNode userText(String text) {
        ObjectNode m = Json.object().put("role", "user");
        m.putArray("content").addObject().put("type", "text").put("text", text);
        return m;
    }

    /**
     * Marks the prompt prefix cacheable (tools, system, conversation so far): OpenAI caches prefixes on its own, and
     * without these breakpoints every turn of an agent loop would pay full input price on Anthropic.
     */
    private void cacheBreakpoints(ArrayNode tools) {
        if (tools != null && !tools.isEmpty()) {
            ((ObjectNode) tools.get(tools.size() - 1)).putObject("cache_control").put("type", "ephemeral");
        }
        if (!system.isEmpty()) {
            ((ObjectNode) system.get(system.size() - 1)).putObject("cache_control").put("type", "ephemeral");
        }
        if (!messages.isEmpty()) {
            ArrayNode content = (ArrayNode) messages.get(messages.size() - 1).get("content");
            if (!content.isEmpty()) {
                JsonNode b = content.get(content.size() - 1);
                String type = b.path("type").asText();
                if (!"thinking".equals(type) && !"redacted_thinking".equals(type)) {
                    ((ObjectNode) b).putObject("cache_control").put("type", "ephemeral");
                }
            }
        }
    }
}
