package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ResponseSink;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** An upstream reply played from a script: the status, the headers given, and a body the script writes. */
final class ScriptedExchange implements ProxyExchange {
    interface Script {
        void play(ResponseSink sink) throws IOException, InterruptedException;
    }

    private final int status;
    private final Headers headers;
    private final Script script;
    final CountDownLatch closed = new CountDownLatch(1);

    @SafeVarargs
    ScriptedExchange(int status, String contentType, Script script, Map.Entry<String, String>... extra) {
        this.status = status;
        Headers h = contentType == null ? Headers.EMPTY : Headers.EMPTY.with("Content-Type", contentType);
        for (Map.Entry<String, String> field : extra) {
            h = h.with(field.getKey(), field.getValue());
        }
        this.headers = h;
        this.script = script;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public boolean eventStream() {
        return headers.first("Content-Type").map(t -> t.startsWith("text/event-stream")).orElse(false);
    }

    @Override
    public void relayTo(ResponseSink sink) throws IOException {
        try {
            script.play(sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
