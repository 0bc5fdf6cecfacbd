package io.proxygate.adapter.in.http;

import io.proxygate.application.proxy.ProxyUseCase;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.function.Consumer;

/**
 * The API routes served as in production (the lean Jersey application behind its servlet, on every route mapping)
 * by a real Jetty on a loopback port, for adapter tests. {@code extras} adds what a test needs around them (a filter,
 * a stand-in for the admin application).
 */
final class EmbeddedApi implements AutoCloseable {
    private final Server server = new Server();
    private final String base;

    EmbeddedApi(ProxyUseCase proxy, ClientAuth auth, Consumer<ServletContextHandler> extras) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder api = new ServletHolder(new ApiServlet(new ApiApplication(
                new ApiResource(proxy, auth, 1 << 20, DisconnectWatch.NONE))));
        ApiRoutes.mappings().forEach(mapping -> context.addServlet(api, mapping));
        extras.accept(context);
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    String base() {
        return base;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
