package dev.signet.connector;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A callback that passed {@link CallbackCheck}: state bound to this browser, RFC 9207 {@code iss}
 * accepted, no {@code error}, a {@code code} present, in the response mode the connection asked for. The constructor is package-private, so a
 * connector can never be handed an unchecked callback (oauth4webapi's branded parameters).
 */
public final class VerifiedCallback {

    private final String code;
    private final String nonce;
    private final String codeVerifier;
    private final URI callbackUri;
    private final Instant deadline;
    private final Map<String, String> fields;

    VerifiedCallback(String code, String nonce, String codeVerifier, URI callbackUri, Instant deadline, Map<String, String> fields) {
        this.fields = Map.copyOf(fields);
        this.code = code;
        this.nonce = nonce;
        this.codeVerifier = codeVerifier;
        this.callbackUri = callbackUri;
        this.deadline = deadline;
    }

    public String code() {
        return code;
    }

    /** The nonce Signet sent; the upstream ID token must carry it. */
    public String nonce() {
        return nonce;
    }

    public String codeVerifier() {
        return codeVerifier;
    }

    /** The redirect_uri Signet sent, to repeat in the token request (RFC 6749 §4.1.3). */
    public URI callbackUri() {
        return callbackUri;
    }

    /**
     * Another parameter the upstream sent with the callback, besides {@code code}, {@code state} and
     * {@code iss} (e.g. Sign in with Apple's {@code user} JSON, posted only on a user's first sign-in).
     * Unsigned: it came through the browser, so a connector uses it only for what the user may choose
     * anyway (a display name), never for identity.
     */
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** Every upstream call of this step must finish before this instant. */
    public Instant deadline() {
        return deadline;
    }
}
