package io.proxygate.application.port.out;

/**
 * Claude on Google Vertex AI: whether it can be used, its status for admins, and calls to it. The adapter owns the
 * URL, the Google access token and the Vertex-specific body rewrite.
 */
public interface VertexPort {
    /**
     * True when a project and location are configured and a source of Google credentials was found. Cheap: no
     * network, so it can be asked on every request.
     */
    boolean usable();

    /** Full status for admins; may fetch an access token to prove the credentials work. */
    VertexStatus status();

    /** Starts the call without waiting; failures (including a failed token fetch) surface from the call. */
    UpstreamCall open(VertexRequest request);
}
