package dev.signet.protocol.authorize;

import dev.signet.ProtocolException;
import dev.signet.ProtocolException.ErrorRedirect;
import dev.signet.Reason;
import dev.signet.config.ClientSettings;
import dev.signet.protocol.Params;
import dev.signet.protocol.Pkce;
import dev.signet.protocol.Scopes;
import dev.signet.tenant.Tenant;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A parsed, validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3).
 * Built only by {@link #parse}, which runs the checks in two phases:
 *
 * <ol>
 *   <li>client and redirect URI: a failure here is shown on a page and never redirected
 *       (RFC 6749 §4.1.2.1, first paragraph);
 *   <li>everything else: a failure is redirected to the verified redirect URI with {@code error},
 *       {@code state} and {@code iss}.
 * </ol>
 */
public record AuthorizeRequest(ClientSettings client, URI redirectUri, Set<String> scopes, Optional<String> state,
        Optional<String> nonce, Optional<String> codeChallenge, boolean promptNone, boolean promptLogin,
        OptionalLong maxAgeSeconds, Optional<String> loginHint, Optional<String> connection, boolean promptConsent,
        boolean formPost) {

    /** Allowed values of {@code prompt} (OIDC Core §3.1.2.1); select_account is accepted as a no-op. */
    /** The largest {@code max_age} accepted (2^31 − 1 s, about 68 years); larger is an {@code invalid_request}. */
    static final long MAX_AGE_LIMIT = Integer.MAX_VALUE;

    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    static final String FORM_POST = "form_post";

    static AuthorizeRequest parse(Tenant tenant, Params p) {
        // Phase 1: page errors.
        String clientId = p.get("client_id").orElseThrow(() -> ProtocolException.of(Reason.UNKNOWN_CLIENT, "client_id is missing"));
        ClientSettings client = tenant.client(clientId).orElseThrow(() ->
                ProtocolException.of(Reason.UNKNOWN_CLIENT, "The application (client_id) is not registered with this Signet."));
        String redirect = p.get("redirect_uri").orElseThrow(() ->
                ProtocolException.of(Reason.REDIRECT_URI_MISMATCH, "redirect_uri is missing (OIDC Core §3.1.2.1 requires it)"));
        if (!client.hasRedirectUri(redirect)) {
            throw ProtocolException.of(Reason.REDIRECT_URI_MISMATCH,
                    "The redirect_uri is not registered for this application; it must match exactly.",
                    "redirect_uri not registered for client " + clientId);
        }
        URI redirectUri = URI.create(redirect);
        Optional<String> state = stateOf(p);
        ErrorRedirect back = new ErrorRedirect(clientId, redirectUri, state, formPostAsked(p, redirectUri));
        try {
            return phase2(client, redirectUri, state, p);
        } catch (ProtocolException e) {
            throw e.redirectTo(back);
        }
    }

    /**
     * OAuth 2.0 Form Post Response Mode §2: the response (a code or an error) is posted to the redirect URI by a
     * page instead of carried in a redirect's query. Read leniently here, for the errors of phase 2 too; only an
     * http(s) redirect URI can take a form's POST (a native app's custom scheme cannot).
     */
    private static boolean formPostAsked(Params p, URI redirectUri) {
        try {
            return p.get("response_mode").filter(FORM_POST::equals).isPresent() && isHttp(redirectUri);
        } catch (ProtocolException repeated) {
            return false;
        }
    }

    private static boolean isHttp(URI u) {
        return "https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme());
    }

    private static Optional<String> stateOf(Params p) {
        try {
            return p.get("state");
        } catch (ProtocolException repeated) {
            return Optional.empty();
        }
    }

    private static AuthorizeRequest phase2(ClientSettings client, URI redirectUri, Optional<String> state, Params p) {
        // Repeated state is an error too; it was read leniently above only to echo it.
        p.get("state");
        // OIDC Core §3.1.2.6: each unsupported way of passing the request has its own error code
        if (p.get("request").isPresent()) {
            throw ProtocolException.of(Reason.REQUEST_NOT_SUPPORTED, "the request parameter is not supported (OIDC Core §6.1)");
        }
        if (p.get("request_uri").isPresent()) {
            throw ProtocolException.of(Reason.REQUEST_URI_NOT_SUPPORTED, "the request_uri parameter is not supported (OIDC Core §6.2)");
        }
        if (p.get("registration").isPresent()) {
            throw ProtocolException.of(Reason.REGISTRATION_NOT_SUPPORTED, "the registration parameter is not supported (OIDC Core §7.2.1)");
        }
        String responseType = p.require("response_type");
        if (!responseType.equals("code")) {
            throw ProtocolException.of(Reason.UNSUPPORTED_RESPONSE_TYPE, "only response_type=code is supported");
        }
        if (!client.allows("authorization_code")) {
            throw ProtocolException.of(Reason.UNAUTHORIZED_CLIENT, "this client may not use the authorization_code grant");
        }
        // OAuth 2.0 Multiple Response Type Encoding Practices §2.1, Form Post Response Mode §2
        Optional<String> responseMode = p.get("response_mode");
        responseMode.filter(m -> !m.equals("query") && !m.equals(FORM_POST)).ifPresent(m -> {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "response_mode must be query or form_post");
        });
        boolean formPost = responseMode.filter(FORM_POST::equals).isPresent();
        if (formPost && !isHttp(redirectUri)) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "response_mode=form_post needs an http(s) redirect_uri");
        }
        Set<String> scopes = Scopes.parse(p.get("scope").orElse(""));
        for (String s : scopes) {
            if (!Scopes.SUPPORTED.contains(s)) {
                throw ProtocolException.of(Reason.INVALID_SCOPE, "unknown scope '" + s + "'");
            }
        }
        if (!scopes.contains(Scopes.OPENID)) {
            throw ProtocolException.of(Reason.INVALID_SCOPE, "scope must include openid");
        }
        Optional<String> challenge = pkce(client, p);
        Set<String> prompt = Scopes.parse(p.get("prompt").orElse(""));
        for (String v : prompt) {
            if (!PROMPTS.contains(v)) {
                throw ProtocolException.of(Reason.INVALID_REQUEST, "unsupported prompt value '" + v + "'");
            }
        }
        if (prompt.contains("none") && prompt.size() > 1) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "prompt=none cannot be combined with other values (OIDC Core §3.1.2.1)");
        }
        OptionalLong maxAge = p.nonNegative("max_age", MAX_AGE_LIMIT);
        return new AuthorizeRequest(client, redirectUri, scopes, state, p.get("nonce"), challenge, prompt.contains("none"),
                prompt.contains("login"), maxAge, p.get("login_hint"), p.get("connection"), prompt.contains("consent"), formPost);
    }

    /** RFC 7636 §4.3; RFC 9700 §2.1.1: required for public clients, S256 only. */
    private static Optional<String> pkce(ClientSettings client, Params p) {
        Optional<String> challenge = p.get("code_challenge");
        Optional<String> method = p.get("code_challenge_method");
        if (challenge.isEmpty()) {
            if (client.isPublic()) {
                throw ProtocolException.of(Reason.INVALID_REQUEST, "code_challenge is required for public clients (PKCE, RFC 7636)");
            }
            if (method.isPresent()) {
                throw ProtocolException.of(Reason.INVALID_REQUEST, "code_challenge_method without code_challenge");
            }
            return Optional.empty();
        }
        // RFC 7636 §4.3: an absent method means "plain", which Signet does not accept.
        if (!method.orElse("plain").equals("S256")) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "code_challenge_method must be S256 (plain is not supported)");
        }
        if (!Pkce.isValidS256Challenge(challenge.get())) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "code_challenge is not a valid S256 challenge");
        }
        return challenge;
    }
}
