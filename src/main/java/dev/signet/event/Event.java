package dev.signet.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A fact that happened. {@link #type()} is the stable name receivers switch on; {@link #data()}
 * holds the event's own fields (never secrets: ids, not tokens).
 */
public sealed interface Event {

    String tenant();

    String type();

    Optional<String> userId();

    Optional<String> connection();

    Map<String, String> data();

    record SignInSucceeded(String tenant, String user, String via, String sessionId) implements Event {
        public String type() { return "signin.succeeded"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.of(via); }
        public Map<String, String> data() { return Map.of("session_id", sessionId); }
    }

    /** {@code reason} is the stable reason code (Reason.code()). */
    record SignInFailed(String tenant, String via, String reason) implements Event {
        public String type() { return "signin.failed"; }
        public Optional<String> userId() { return Optional.empty(); }
        public Optional<String> connection() { return Optional.of(via); }
        public Map<String, String> data() { return Map.of("reason", reason); }
    }

    record UserCreated(String tenant, String user, String via) implements Event {
        public String type() { return "user.created"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.of(via); }
        public Map<String, String> data() { return Map.of(); }
    }

    record SessionCreated(String tenant, String user, String via, String sessionId) implements Event {
        public String type() { return "session.created"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.of(via); }
        public Map<String, String> data() { return Map.of("session_id", sessionId); }
    }

    record SessionRevoked(String tenant, String user, String sessionId, String why) implements Event {
        public String type() { return "session.revoked"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.empty(); }
        public Map<String, String> data() { return Map.of("session_id", sessionId, "why", why); }
    }

    /**
     * A client that received tokens in a session that ended must be told (Back-Channel Logout 1.0
     * §2.5); one event per client, so each is retried and dead-lettered on its own. {@code issuer}:
     * the issuer the session's tokens were issued under (its domain), when the ending knows it (§2.4:
     * the logout token's {@code iss}); an operator's revocation does not, and the default domain's is used.
     */
    record BackchannelLogout(String tenant, String user, String clientId, String sessionId, Optional<String> issuer) implements Event {
        public static final String TYPE = "logout.backchannel";
        public String type() { return TYPE; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.empty(); }
        public Map<String, String> data() {
            Map<String, String> m = ordered("client_id", clientId, "session_id", sessionId);
            issuer.ifPresent(i -> m.put("iss", i));
            return m;
        }
    }

    /** The user approved scopes for a client (OIDC Core §3.1.2.4); {@code scopes} space-separated. */
    record ConsentGiven(String tenant, String user, String clientId, String scopes) implements Event {
        public String type() { return "consent.given"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.empty(); }
        public Map<String, String> data() { return ordered("client_id", clientId, "scopes", scopes); }
    }

    record TokensIssued(String tenant, String user, String clientId, String grantId, String grantType) implements Event {
        public String type() { return "tokens.issued"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.empty(); }
        public Map<String, String> data() { return ordered("client_id", clientId, "grant_id", grantId, "grant_type", grantType); }
    }

    record TokensRevoked(String tenant, String user, String clientId, String grantId, String why) implements Event {
        public String type() { return "tokens.revoked"; }
        public Optional<String> userId() { return Optional.of(user); }
        public Optional<String> connection() { return Optional.empty(); }
        public Map<String, String> data() { return ordered("client_id", clientId, "grant_id", grantId, "why", why); }
    }

    /**
     * An upstream publishes something other than before (the drift watcher, README "Upstream drift"):
     * {@code field} went from {@code old} to {@code now} (as shown to an operator); {@code hint} is
     * the config line to change, or why there is none.
     */
    record UpstreamDrift(String tenant, String via, String field, String old, String now, String hint, String message)
            implements Event {
        public static final String TYPE = "upstream.drift";
        public String type() { return TYPE; }
        public Optional<String> userId() { return Optional.empty(); }
        public Optional<String> connection() { return Optional.of(via); }
        public Map<String, String> data() { return ordered("field", field, "old", old, "new", now, "hint", hint, "message", message); }
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
