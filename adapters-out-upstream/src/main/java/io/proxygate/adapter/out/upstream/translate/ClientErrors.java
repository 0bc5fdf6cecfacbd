package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.domain.credential.Api;

/** An error body in the shape the client's API uses, for refusals made before any upstream is called. */
final class ClientErrors {
    private ClientErrors() {
    }

    static byte[] of(Api clientApi, String type, String message) {
        if (clientApi == Api.MESSAGES) {
            return MessagesToResponses.anthropicError(type, message);
        }
        ObjectNode e = Json.NODES.objectNode();
        ObjectNode error = e.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.putNull("code");
        return Json.bytes(e);
    }
}
