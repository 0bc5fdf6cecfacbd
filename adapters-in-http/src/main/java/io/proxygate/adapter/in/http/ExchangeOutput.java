package io.proxygate.adapter.in.http;

import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ResponseSink;
import io.proxygate.domain.credential.Api;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An upstream reply on its way to the client: Jersey writes the status and headers, then calls {@link #write}, which
 * relays the body chunk by chunk. Event streams are flushed after every chunk, so each SSE event leaves as it
 * arrives; a JSON reply is one message and leaves in one write when it fits the response buffer. The credential and
 * the client key's slot are released when the relay ends, however it ends.
 */
final class ExchangeOutput implements StreamingOutput {
    static final String EVENT_STREAM = "text/event-stream";
    /** An SSE comment: clients ignore it, and writing it tells us whether the client is still there. */
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Api api;
    private final ProxyExchange exchange;
    private final ClientKeyService.Ticket ticket;
    private final HttpServletResponse servletResponse;
    private final boolean flushEachChunk;

    private ExchangeOutput(Api api, ProxyExchange exchange, ClientKeyService.Ticket ticket,
                           HttpServletResponse servletResponse, boolean flushEachChunk) {
        this.api = api;
        this.exchange = exchange;
        this.ticket = ticket;
        this.servletResponse = servletResponse;
        this.flushEachChunk = flushEachChunk;
    }

    /** The upstream's status and the headers a browser-facing origin may relay, with the body still to stream. */
    static Response reply(Api api, ProxyExchange exchange, ClientKeyService.Ticket ticket,
                          HttpServletResponse servletResponse) {
        Response.ResponseBuilder reply = Response.status(exchange.status());
        String contentType = null;
        for (Map.Entry<String, String> field : exchange.headers().fields()) {
            String name = field.getKey();
            if (name.equalsIgnoreCase("Content-Type")) {
                contentType = OriginSafeHeaders.contentType(field.getValue());
            } else if (name.equalsIgnoreCase("Vary")) {
                reply.header(name, ApiCors.vary(servletResponse, field.getValue()));
            } else if (!name.equalsIgnoreCase("Content-Length") && OriginSafeHeaders.relayed(name)) {
                reply.header(name, field.getValue());
            }
        }
        if (contentType != null) {
            reply.header("Content-Type", contentType);
        }
        reply.header("X-Content-Type-Options", OriginSafeHeaders.NOSNIFF);
        reply.header("Content-Security-Policy", OriginSafeHeaders.SANDBOX_CSP);
        return reply.entity(new ExchangeOutput(api, exchange, ticket, servletResponse, !isJson(contentType))).build();
    }

    /** A stream already committed as a 200 event stream that can only end with one error event. */
    static Response errorEvent(byte[] event) {
        StreamingOutput body = out -> {
            out.write(event);
            out.flush();
        };
        return Response.ok(body, EVENT_STREAM).build();
    }

    @Override
    public void write(OutputStream out) {
        Sink sink = new Sink(out);
        try {
            exchange.relayTo(sink);
            // A cut event stream has been answered with an error event (flushed, so committed) by the relay.
            if (!sink.ended && !servletResponse.isCommitted()) {
                // The upstream cut a reply still in our buffer: an error beats a truncated body that looks whole.
                Map<String, String> cors = ApiCors.carried(servletResponse);
                servletResponse.reset();
                cors.forEach(servletResponse::setHeader);
                ApiErrorReplies.send(servletResponse, api, 502, "api_error", "upstream reply was cut short",
                        Optional.empty());
            }
        } catch (IOException clientGone) {
            // The client went away: the exchange cancelled the upstream and recorded it; nothing to answer.
        } finally {
            exchange.close();
            ticket.close();
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** Writes each chunk to Jersey's entity stream, flushing it at once when the reply may be a stream. */
    private final class Sink implements ResponseSink {
        private final OutputStream out;
        private boolean wrote;
        private boolean ended;

        Sink(OutputStream out) {
            this.out = out;
        }

        /**
         * Completes the reply before the request-log insert that follows: the client has its answer (Jetty sets
         * the length of a buffered one) while the row is written.
         */
        /** A stream's final usage is counted: the key's slot goes back before the client sees the end. */
        @Override
        public void counted() {
            ticket.close();
        }

        @Override
        public void end() throws IOException {
            ended = true;
            // The reply is counted by now: its client key's slot and reservation go back before the client has the
            // last byte, so a client that sends its next request at once finds the slot free.
            ticket.close();
            if (wrote) {
                // Jersey's entity stream writes straight through (no length buffer), so every byte is in the
                // servlet stream already; closing that one, not flushing, lets Jetty send a buffered reply whole.
                servletResponse.getOutputStream().close();
            }
        }

        @Override
        public void write(ByteBuffer chunk) throws IOException {
            wrote = true;
            if (chunk.hasArray()) {
                out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                chunk.position(chunk.limit());
            } else {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
            if (flushEachChunk) {
                out.flush();
            }
        }

        @Override
        public void keepAlive() throws IOException {
            wrote = true;
            out.write(KEEP_ALIVE);
            out.flush();
        }

        @Override
        public void streamError(String errorType, String message) throws IOException {
            wrote = true;
            out.write(ApiErrors.streamEvent(api, errorType, message));
            out.flush();
        }
    }
}
