package io.proxygate.adapter.out.upstream.fetch;

import io.proxygate.adapter.out.upstream.proxy.ProxiedClients;
import io.proxygate.domain.credential.OutboundProxy;
import io.proxygate.adapter.out.upstream.ProxyGateUserAgent;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small JSON-document GET over HttpClient 5 async with a whole-exchange deadline and a body size cap, for the
 * background fetches (price table, usage windows) that read one bounded document and never stream.
 */
public final class BoundedGet implements AutoCloseable {
    /** Status and body of a finished exchange. */
    public record Reply(int status, byte[] body) {
    }

    private final CloseableHttpAsyncClient client;
    private final boolean ownsClient;

    /** Uses (and owns) a new client with a 10 s connect timeout. */
    public BoundedGet() {
        this(newClient(Duration.ofSeconds(10)), true);
    }

    /** Uses a started client owned by the caller. */
    public BoundedGet(CloseableHttpAsyncClient client) {
        this(client, false);
    }

    private BoundedGet(CloseableHttpAsyncClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
    }

    public static CloseableHttpAsyncClient newClient(Duration connectTimeout) {
        return newClient(connectTimeout, OutboundProxy.DIRECT);
    }

    /** A started client whose connections leave through {@code proxy}. */
    public static CloseableHttpAsyncClient newClient(Duration connectTimeout, OutboundProxy proxy) {
        CloseableHttpAsyncClient client = ProxiedClients.configure(HttpAsyncClients.custom(), proxy)
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .build())
                        .build())
                .disableRedirectHandling()
                .setUserAgent(ProxyGateUserAgent.VALUE)
                .build();
        client.start();
        return client;
    }

    /**
     * GETs {@code uri} and returns its status and body, whatever the status.
     *
     * @throws IOException on connection failure, when the whole exchange takes longer than {@code timeout}, or
     *                     when the body exceeds {@code maxBytes}; the message never contains header values
     */
    public Reply get(URI uri, Map<String, String> headers, Duration timeout, long maxBytes) throws IOException {
        AsyncRequestBuilder request = AsyncRequestBuilder.get(uri);
        headers.forEach(request::addHeader);
        AsyncRequestProducer producer = request.build();
        Future<Reply> future = client.execute(producer, new LimitedConsumer(maxBytes), null);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("no complete answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BodyTooLarge tooLarge) {
                throw tooLarge;
            }
            throw new IOException(cause == null ? "request failed" : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close(CloseMode.GRACEFUL);
        }
    }

    /** The body went past the size cap. */
    public static final class BodyTooLarge extends IOException {
        BodyTooLarge(long maxBytes) {
            super("body larger than " + maxBytes + " bytes");
        }
    }

    /** Collects the body into memory and fails the exchange as soon as it grows past the cap. */
    private static final class LimitedConsumer extends AbstractBinResponseConsumer<Reply> {
        private final long maxBytes;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private int status;

        LimitedConsumer(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        protected void start(HttpResponse response, ContentType contentType) throws HttpException, IOException {
            status = response.getCode();
        }

        @Override
        protected int capacityIncrement() {
            return 64 * 1024;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            if (buffer.size() + (long) src.remaining() > maxBytes) {
                throw new BodyTooLarge(maxBytes);
            }
            byte[] chunk = new byte[src.remaining()];
            src.get(chunk);
            buffer.write(chunk);
        }

        @Override
        protected Reply buildResult() {
            return new Reply(status, buffer.toByteArray());
        }

        @Override
        public void releaseResources() {
            buffer = new ByteArrayOutputStream();
        }
    }
}
