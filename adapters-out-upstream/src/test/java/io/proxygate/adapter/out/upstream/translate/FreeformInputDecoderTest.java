package io.proxygate.adapter.out.upstream.translate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreeformInputDecoderTest {

    @Test
    void decodesTheFieldWhateverTheFragmentBoundaries() {
        String json = "{\"input\": \"line1\\nsays \\\"hi\\\" \\u00e9\\u4e2d \\\\ end\"}";
        String expected = "line1\nsays \"hi\" é中 \\ end";
        for (int cut1 = 0; cut1 <= json.length(); cut1++) {
            for (int cut2 = cut1; cut2 <= json.length(); cut2 += 3) {
                FreeformInputDecoder d = new FreeformInputDecoder("input");
                String out = d.feed(json.substring(0, cut1)) + d.feed(json.substring(cut1, cut2))
                        + d.feed(json.substring(cut2));
                assertThat(out).as("cuts %d, %d", cut1, cut2).isEqualTo(expected);
            }
        }
    }

    @Test
    void yieldsNothingWhenTheObjectHasAnotherShape() {
        FreeformInputDecoder d = new FreeformInputDecoder("input");
        assertThat(d.feed("{\"patch\": \"x\"}")).isEmpty();
        FreeformInputDecoder notString = new FreeformInputDecoder("input");
        assertThat(notString.feed("{\"input\": 42}")).isEmpty();
    }
}
