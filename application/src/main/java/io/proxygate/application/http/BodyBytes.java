package io.proxygate.application.http;

/**
 * Looking into a request body as bytes: the cheap check that decides whether a body needs parsing at all, so the
 * common body (one without the marker) is never parsed.
 */
public final class BodyBytes {
    private BodyBytes() {
    }

    /** Whether {@code marker} occurs anywhere in {@code body}. */
    public static boolean contains(byte[] body, byte[] marker) {
        outer:
        for (int i = 0; i <= body.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
