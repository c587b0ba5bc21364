package dev.signet.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shapes of Signet's error responses, asserted exactly. */
final class ProtocolAssertions {

    private static final Pattern REASON = Pattern.compile("<code id=\"reason\">([^<]*)</code>");
    private static final Pattern CORRELATION = Pattern.compile("<code id=\"correlation-id\">([^<]*)</code>");

    private ProtocolAssertions() {}

    /**
     * An error shown on a Signet page, never redirected (RFC 6749 §4.1.2.1, first paragraph): the
     * status, no Location, the reason code, and the correlation id both on the page and in the header.
     */
    static void assertErrorPage(HttpResponse<String> r, int status, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Location")).as("an error page must not redirect").isEmpty();
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(group(REASON, r.body())).isEqualTo(reason);
        String correlation = group(CORRELATION, r.body());
        assertThat(correlation).isNotBlank();
        assertThat(r.headers().firstValue("X-Correlation-Id")).contains(correlation);
    }

    /**
     * An authorization error sent back to the client (RFC 6749 §4.1.2.1) with {@code iss} (RFC 9207
     * §2) and the request's state; {@code redirectUri} is the registered URI it must start from.
     * Returns the redirect's query.
     */
    static Map<String, String> assertErrorRedirect(HttpResponse<String> r, SignetHarness signet, URI redirectUri, String error,
            Optional<String> state) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        URI location = Browser.location(r);
        assertThat(location.toString()).startsWith(redirectUri.toString() + (redirectUri.getRawQuery() == null ? "?" : "&"));
        assertThat(location.getRawFragment()).isNull();
        Map<String, String> q = Browser.query(location);
        assertThat(q).containsEntry("error", error).containsEntry("iss", signet.issuer().toString()).doesNotContainKey("code");
        if (state.isPresent()) {
            assertThat(q).containsEntry("state", state.get());
        } else {
            assertThat(q).doesNotContainKey("state");
        }
        return q;
    }

    /** An RFC 6749 §5.2 JSON error from the token endpoint (or RFC 6750 from userinfo). */
    static void assertOAuthError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(RelyingParty.json(r).path("error").asString()).as(r.body()).isEqualTo(error);
    }

    private static String group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as("pattern " + p + " in " + body).isTrue();
        return m.group(1);
    }
}
