package io.proxygate.adapter.out.upstream.vertex;

import java.io.IOException;

/** Google OAuth access tokens for the Vertex AI API, cached and renewed before they expire. */
public sealed interface GoogleTokenSource permits LibraryTokenSource, GcloudTokenSource {
    /** The scope every token is requested with. */
    String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /** {@code service_account}, {@code authorized_user}, {@code adc} or {@code gcloud}. */
    String method();

    /** A currently valid access token; may block while it is renewed. */
    String accessToken() throws IOException;
}
