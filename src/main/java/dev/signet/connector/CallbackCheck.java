package dev.signet.connector;

import dev.signet.Ids;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks every callback passes before any connector sees it, the same for every kind:
 *
 * <ol>
 *   <li>{@code state} equals the value bound to this browser (RFC 6749 §10.12, login CSRF);
 *   <li>the callback came in the response mode the connection asked for: a query string
 *       (RFC 6749 §4.1.2) or, for {@link FormPostCallbacks}, a form POST (OAuth 2.0 Form Post
 *       Response Mode §2), so a code cannot be replayed through the other channel;
 *   <li>{@code iss} per RFC 9207 §2.4, for error responses too: present and different → reject;
 *       absent while the upstream advertises the parameter → reject; absent and not advertised →
 *       accept;
 *   <li>{@code error} from the upstream becomes {@code upstream.denied} (RFC 6749 §4.1.2.1);
 *   <li>{@code code} is present.
 * </ol>
 */
public final class CallbackCheck {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private CallbackCheck() {}

    /** {@code posted}: the parameters came as a form POST body rather than a query string. */
    public static VerifiedCallback verify(Connector connector, Map<String, String> params, boolean posted, Optional<String> browserState,
            String nonce, String codeVerifier, URI callbackUri, Instant deadline) {
        return verify(connector, params, posted, browserState, nonce, codeVerifier, callbackUri, deadline, expectation -> {});
    }

    /**
     * As above, handing the connection's {@link IssuerExpectation} to {@code expected} once it is
     * known (the corpus records what the connection expected when the exchange happened).
     */
    public static VerifiedCallback verify(Connector connector, Map<String, String> params, boolean posted, Optional<String> browserState,
            String nonce, String codeVerifier, URI callbackUri, Instant deadline, java.util.function.Consumer<IssuerExpectation> expected) {
        String id = connector.id();
        String state = params.getOrDefault("state", "");
        if (state.isEmpty() || browserState.isEmpty() || !Ids.sameHash(state, browserState.get())) {
            throw UpstreamException.of(Reason.UPSTREAM_STATE_MISMATCH, id,
                    "This sign-in did not start in this browser, or it was already completed.",
                    "state parameter does not match the state cookie");
        }
        if (posted != FormPostCallbacks.of(connector)) {
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, id, "The provider answered in an unexpected way.",
                    "callback arrived as " + (posted ? "a form POST" : "a GET with a query string") + " but the connection asked for "
                            + (posted ? "the query response mode" : "response_mode=form_post"));
        }
        IssuerExpectation expectation = connector.issuer();
        expected.accept(expectation);
        return verify(id, expectation, params, code -> new VerifiedCallback(code, nonce, codeVerifier, callbackUri, deadline,
                fields(params)));
    }

    private static Map<String, String> fields(Map<String, String> params) {
        Map<String, String> fields = new HashMap<>(params);
        fields.keySet().removeAll(List.of("code", "state", "iss"));
        return fields;
    }

    private static VerifiedCallback verify(String id, IssuerExpectation expected, Map<String, String> params,
            java.util.function.Function<String, VerifiedCallback> verified) {
        String iss = params.get("iss");
        if (iss != null && expected.issuer().isEmpty()) {
            throw UpstreamException.of(Reason.UPSTREAM_ISSUER_MISMATCH, id,
                    "The provider sent an issuer this connection cannot check.",
                    "iss received but the connection has no issuer configured: expected '', received '" + printable(iss)
                            + "' (set issuer to that value if it is the upstream's)");
        }
        if (iss != null && !expected.accepts(iss)) {
            throw UpstreamException.of(Reason.UPSTREAM_ISSUER_MISMATCH, id,
                    "The provider that answered is not the one this sign-in was sent to.",
                    "iss mismatch: expected '" + expected.issuer() + "', received '" + printable(iss) + "'");
        }
        if (iss == null && expected.issParameterAdvertised()) {
            throw UpstreamException.of(Reason.UPSTREAM_ISSUER_MISSING, id,
                    "The provider's answer lacks the issuer it promised to send.",
                    "iss missing although the upstream advertises authorization_response_iss_parameter_supported; expected '"
                            + expected.issuer() + "'");
        }
        String error = params.get("error");
        if (error != null) {
            throw UpstreamException.of(Reason.UPSTREAM_DENIED, id, "The sign-in was cancelled or refused at the provider.",
                    "upstream returned error=" + printable(error));
        }
        String code = params.get("code");
        if (code == null || code.isEmpty()) {
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, id, "The provider's answer is incomplete.",
                    "callback has no 'code' parameter");
        }
        return verified.apply(code);
    }

    /** Upstream values are echoed into logs only cut short and without control characters. */
    public static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return CONTROL.matcher(cut).replaceAll("?");
    }
}
