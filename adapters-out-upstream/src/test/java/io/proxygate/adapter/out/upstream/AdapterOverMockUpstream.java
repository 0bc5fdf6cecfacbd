package io.proxygate.adapter.out.upstream;

import io.proxygate.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;

/** Tests of the adapter against a fresh mock upstream each: the adapter is built by the test, both closed after. */
abstract class AdapterOverMockUpstream {
    protected MockUpstream mock;
    protected HttpUpstreamAdapter adapter;

    @BeforeEach
    void startMock() throws IOException {
        mock = new MockUpstream();
    }

    @AfterEach
    void closeAdapterAndMock() {
        if (adapter != null) {
            adapter.close();
        }
        mock.close();
    }

    protected HttpUpstreamAdapter adapter(UpstreamSettings.Builder settings) {
        adapter = new HttpUpstreamAdapter(settings.build());
        return adapter;
    }
}
