package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamException.Kind;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.RequestNotExecutedException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CancellationException;

/** Maps transport exceptions to the port's failure kinds, which drive failover and cooldown decisions. */
final class Failures {
    private Failures() {
    }

    static UpstreamException map(Throwable t, String target, boolean headReceived) {
        if (t instanceof UpstreamException u) {
            return u;
        }
        Kind kind = kind(t, headReceived);
        String detail = t.getMessage() == null ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
        return new UpstreamException(kind, describe(kind) + " (" + target + "): " + detail, t);
    }

    private static Kind kind(Throwable t, boolean headReceived) {
        if (t instanceof CancellationException) {
            return Kind.CANCELLED;
        }
        // A connect timeout means the upstream was never reached: fail over like a refused connection.
        if (t instanceof ConnectTimeoutException || t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof RequestNotExecutedException) {
            return Kind.CONNECT;
        }
        if (t instanceof SSLException) {
            return headReceived ? Kind.RESET : Kind.CONNECT;
        }
        if (t instanceof SocketTimeoutException || t instanceof ConnectionRequestTimeoutException) {
            return Kind.TIMEOUT;
        }
        if (t instanceof HttpException || t instanceof MalformedChunkCodingException) {
            return Kind.PROTOCOL;
        }
        if (t instanceof ConnectionClosedException || t instanceof IOException) {
            return Kind.RESET;
        }
        if (t instanceof IllegalStateException) {
            // The client was shut down under us.
            return Kind.CONNECT;
        }
        return Kind.PROTOCOL;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case CONNECT -> "could not reach upstream";
            case TIMEOUT -> "upstream timed out";
            case RESET -> "upstream connection broke";
            case PROTOCOL -> "upstream protocol error";
            case CANCELLED -> "upstream call cancelled";
        };
    }
}
