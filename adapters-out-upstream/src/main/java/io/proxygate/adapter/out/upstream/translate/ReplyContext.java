package io.proxygate.adapter.out.upstream.translate;

import java.util.Map;
import java.util.Set;

/**
 * What the reply side of a translation must know about the request it answers, because the upstream's reply does not
 * say it: which upstream tools stand for the client's free-form (custom) tools, which stand for a tool inside a
 * namespace, and whether a Chat client asked for a usage chunk. Immutable; one per request.
 *
 * @param freeformTools   upstream tool names whose calls go back to the client as {@code custom_tool_call}
 * @param namespacedTools upstream tool name to the client's namespace and tool name
 * @param includeUsage    a Chat Completions client sent {@code stream_options.include_usage: true}
 * @param inputTokensEstimate the request's input tokens as estimated from the translated request, for a stream that
 *                        must announce them before the upstream counted them (0 when not estimated)
 */
public record ReplyContext(Set<String> freeformTools, Map<String, NamespacedTool> namespacedTools, boolean includeUsage,
                           long inputTokensEstimate) {
    /** Nothing known: every tool call goes back as a function call, no usage chunk. */
    public static final ReplyContext NONE = new ReplyContext(Set.of(), Map.of(), false);

    public ReplyContext {
        freeformTools = Set.copyOf(freeformTools);
        namespacedTools = Map.copyOf(namespacedTools);
    }

    public ReplyContext(Set<String> freeformTools, Map<String, NamespacedTool> namespacedTools, boolean includeUsage) {
        this(freeformTools, namespacedTools, includeUsage, 0);
    }

    /** Only an estimate of the request's input tokens. */
    static ReplyContext withInputTokensEstimate(long tokens) {
        return new ReplyContext(Set.of(), Map.of(), false, tokens);
    }

    /** A client tool that lives inside a namespace (Codex groups some tools so). */
    public record NamespacedTool(String namespace, String name) {
    }
}
