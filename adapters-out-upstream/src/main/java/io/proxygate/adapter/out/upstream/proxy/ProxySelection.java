package io.proxygate.adapter.out.upstream.proxy;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.OutboundProxy;

import java.net.URI;
import java.util.Optional;

/**
 * Which outbound proxy a call leaves through: the credential's own (from its pool file), else the configured or
 * environment default for the target. Calls made for no credential (price table, Vertex) pass an empty one.
 */
@FunctionalInterface
public interface ProxySelection {
    ProxySelection DIRECT = (credential, target) -> OutboundProxy.DIRECT;

    OutboundProxy select(Optional<CredentialId> credential, URI target);
}
