package io.proxygate.adapter.out.upstream.translate;

import java.util.List;

/**
 * A translated request: the upstream body, what its reply needs to know ({@link ReplyContext}), and notes on what was
 * approximated or dropped (for the request log; never a secret, never a body).
 */
public record TranslatedRequest(byte[] body, ReplyContext context, List<String> notes) {
    public TranslatedRequest {
        notes = List.copyOf(notes);
    }
}
