package io.proxygate.adapter.in.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodiesTest {

    @BeforeAll
    static void loadBrotli() {
        Brotli4jLoader.ensureAvailability();
    }

    @Test
    void decodesBrotliBodiesWithTheMaintainedDecoder() throws Exception {
        byte[] json = "{\"model\":\"gpt-5\",\"input\":\"hello brotli\"}".getBytes(StandardCharsets.UTF_8);
        byte[] packed = Encoder.compress(json);

        byte[] body = RequestBodies.read(new ByteArrayInputStream(packed), "br", 1 << 20, packed.length);

        assertThat(body).isEqualTo(json);
    }

    @Test
    void refusesACorruptBrotliBodyWith400() {
        byte[] garbage = "definitely not brotli".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RequestBodies.read(new ByteArrayInputStream(garbage), "br", 1 << 20, garbage.length))
                .isInstanceOf(RequestBodies.BadRequest.class);
    }

    @Test
    void refusesAnOversizedBrotliBodyWith413() throws Exception {
        byte[] big = new byte[64 * 1024];
        byte[] packed = Encoder.compress(big);

        assertThatThrownBy(() -> RequestBodies.read(new ByteArrayInputStream(packed), "br", 1024, packed.length))
                .isInstanceOf(RequestBodies.PayloadTooLarge.class);
    }
}
