package dev.signet.protocol.logout;

import dev.signet.event.Event;
import dev.signet.event.Outbox;
import dev.signet.protocol.Scopes;
import dev.signet.store.ConsentStore;
import dev.signet.store.Grant;
import dev.signet.store.GrantStore;
import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Tx;
import dev.signet.tenant.Tenant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Ends Signet sessions, inside the caller's one write transaction: the session is revoked in the
 * store (its cookie stops working on every node at once), its grants are revoked as below, and
 * events go to the outbox: {@code session.revoked}, {@code tokens.revoked} per grant, and one
 * {@code logout.backchannel} per client that received tokens in the session and has a
 * {@code backchannel_logout_uri} (Back-Channel Logout 1.0 §2.5); the relay delivers those later,
 * never on the request path ({@link BackchannelLogoutSink}).
 *
 * <p>Refresh tokens (Back-Channel Logout 1.0 §2.7): when the user or an application signs out,
 * grants issued in the session <em>without</em> {@code offline_access} are revoked (their access
 * tokens stop at userinfo at once); grants with {@code offline_access} survive, since that scope
 * asks for access while the user is not signed in (OIDC Core §11). An operator's revocation
 * ({@code signet sessions revoke}) revokes every grant of the session, offline or not.
 */
public final class Logouts {

    /** Why a session ended; the {@code why} of the events. */
    public enum Why {
        /** RP-Initiated Logout or the user's confirmation at Signet. */
        LOGOUT("logout"),
        /** {@code signet sessions revoke}. */
        OPERATOR("operator");

        private final String code;

        Why(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final SessionStore sessions;
    private final GrantStore grants;
    private final ConsentStore consents;
    private final Outbox outbox;

    public Logouts(SessionStore sessions, GrantStore grants, ConsentStore consents, Outbox outbox) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * Ends {@code s} (of {@code tenant}) where no request names its domain (an operator's revocation); returns the
     * clients that will get a back-channel logout token. The tokens carry the issuer the session was signed in
     * under: the custom domain's it was signed in on ({@link SessionStore#customIssuer}), else the default domain's.
     */
    public List<String> end(Tx tx, Tenant tenant, Session s, Why why) {
        return end(tx, tenant, s, why, sessions.customIssuer(tx, tenant.name(), s.id()));
    }

    /**
     * As above; {@code issuer}: the issuer of the domain the session lives on (its cookie is
     * host-only, so the codes of every client in it were issued there), which the logout tokens carry
     * as {@code iss} (Back-Channel Logout 1.0 §2.4: the issuer the client's ID tokens came from).
     */
    public List<String> end(Tx tx, Tenant tenant, Session s, Why why, Optional<String> issuer) {
        sessions.revoke(tx, tenant.name(), s.id());
        outbox.append(tx, new Event.SessionRevoked(tenant.name(), s.userId(), s.id(), why.code()));
        Set<String> clients = new LinkedHashSet<>();
        for (Grant g : grants.redeemedInSession(tx, tenant.name(), s.id())) {
            clients.add(g.clientId());
            if (!g.revoked() && (why == Why.OPERATOR || !g.scopes().contains(Scopes.OFFLINE_ACCESS))) {
                grants.revoke(tx, tenant.name(), g.id());
                outbox.append(tx, new Event.TokensRevoked(tenant.name(), g.userId(), g.clientId(), g.id(), "session_ended"));
            }
        }
        List<String> notified = clients.stream()
                .filter(c -> tenant.client(c).flatMap(x -> x.logout().backchannelUri()).isPresent())
                .toList();
        notified.forEach(c -> outbox.append(tx, new Event.BackchannelLogout(tenant.name(), s.userId(), c, s.id(), issuer)));
        return notified;
    }

    /** Forgets every consent the user gave in the tenant (with {@code signet sessions revoke --user}). */
    public int forgetConsents(Tx tx, Tenant tenant, String userId) {
        return consents.revokeAll(tx, tenant.name(), userId);
    }
}
