package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.admin.AdminFailure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads admin request bodies ourselves, so every bad body gets the admin API's {@code {"error"}} shape. */
final class Bodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {
    }

    /** At most {@code limit} bytes; more is a 413-worthy error reported as 400 with a clear message. */
    static byte[] read(InputStream in, int limit, String what) {
        if (in == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new AdminFailure(AdminFailure.Kind.INVALID, what + " is larger than " + limit / 1024 + " KiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, "cannot read the request body");
        }
    }

    static JsonNode object(InputStream in, int limit) {
        byte[] bytes = read(in, limit, "the body");
        JsonNode node;
        try {
            node = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, "invalid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, "invalid JSON: expected an object");
        }
        return node;
    }

    static Optional<String> text(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, field + " must be a string");
        }
        return Optional.of(node.asText());
    }
}
