package io.proxygate.application.auth;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PkceTest {
    @Test
    void challengeIsTheRfc7636S256OfTheVerifier() {
        // RFC 7636, appendix B
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void verifierIsBase64UrlOf32BytesAndStateIsHexOf16Bytes() {
        Pkce pkce = Pkce.secure();
        Pkce.Codes codes = pkce.newCodes();
        assertThat(codes.verifier()).matches("[A-Za-z0-9_-]{43}");
        assertThat(codes.challenge()).isEqualTo(Pkce.challengeOf(codes.verifier())).matches("[A-Za-z0-9_-]{43}");
        assertThat(pkce.newState()).matches("[0-9a-f]{32}");
    }

    @Test
    void theSameSeedGivesTheSameCodesAndFreshCallsDiffer() {
        Pkce a = new Pkce(new Random(42));
        Pkce b = new Pkce(new Random(42));
        Pkce.Codes first = a.newCodes();
        assertThat(b.newCodes()).isEqualTo(first);
        assertThat(a.newState()).isEqualTo(b.newState());
        assertThat(a.newCodes()).isNotEqualTo(first);
    }

    @Test
    void codesNeverPrintTheVerifier() {
        Pkce.Codes codes = Pkce.secure().newCodes();
        assertThat(codes.toString()).doesNotContain(codes.verifier());
    }
}
