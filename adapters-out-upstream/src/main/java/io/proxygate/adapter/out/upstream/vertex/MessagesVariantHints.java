package io.proxygate.adapter.out.upstream.vertex;

import io.proxygate.adapter.out.upstream.VertexMessagesBody;
import io.proxygate.application.port.out.VariantHintsPort;
import io.proxygate.domain.fallback.VariantHints;

/** Reads a Messages body's variant hints for the fallback rules. */
public final class MessagesVariantHints implements VariantHintsPort {
    @Override
    public VariantHints read(byte[] body) {
        return VertexMessagesBody.hints(body);
    }
}
