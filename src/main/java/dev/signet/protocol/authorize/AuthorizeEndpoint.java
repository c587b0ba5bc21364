package dev.signet.protocol.authorize;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.ProtocolException.ErrorRedirect;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.session.SessionLookup;
import dev.signet.store.Grant;
import dev.signet.store.GrantStore;
import dev.signet.store.PendingAuthorization;
import dev.signet.store.PendingStore;
import dev.signet.store.Session;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The authorization endpoint (RFC 6749 §4.1, OIDC Core §3.1.2).
 *
 * <pre>
 *   authorize(request, session)   valid session, fresh enough  → code          (1 write tx)
 *                                 prompt=none, no session       → login_required redirect
 *                                 otherwise                     → SignIn(pending) (1 write tx)
 *   resume(pending, session)      after the broker signed the user in
 *                                 valid session, fresh enough   → code, pending deleted (1 write tx)
 *                                 otherwise                     → SignIn(pending) again
 * </pre>
 *
 * Every success and error redirect carries {@code iss} (RFC 9207 §2).
 */
public final class AuthorizeEndpoint {

    /** RFC 6749 §4.1.2: short-lived; 10 minutes is the recommended maximum. */
    static final Duration CODE_TTL = Duration.ofSeconds(60);
    static final Duration PENDING_TTL = Duration.ofMinutes(15);

    private final Transactions transactions;
    private final PendingStore pending;
    private final GrantStore grants;
    private final Ids ids;
    private final Clock clock;

    public AuthorizeEndpoint(Transactions transactions, PendingStore pending, GrantStore grants, Ids ids, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AuthorizeOutcome authorize(Tenant tenant, Params params, SessionLookup session) {
        AuthorizeRequest request = AuthorizeRequest.parse(tenant, params);
        Instant now = clock.instant();
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        if (session instanceof SessionLookup.Valid v && freshEnough(request, v.session(), now.minusMillis(1), now)) {
            return transactions.write(tx -> issueCode(tx, tenant, request, v.session(), now));
        }
        if (request.promptNone()) {
            throw ProtocolException.of(Reason.LOGIN_REQUIRED, "the user is not signed in (prompt=none)").redirectTo(back(request));
        }
        PendingAuthorization p = new PendingAuthorization(ids.id(), tenant.name(), request.client().id(),
                params.firstValues(), now, now.plus(PENDING_TTL));
        transactions.write(tx -> {
            pending.create(tx, p);
            return null;
        });
        return new AuthorizeOutcome.SignIn(p.id(), request.client().name(), request.connection(), request.loginHint());
    }

    public AuthorizeOutcome resume(Tenant tenant, String pendingId, SessionLookup session) {
        Instant now = clock.instant();
        PendingAuthorization p = transactions.read(tx -> pending.byId(tx, tenant.name(), pendingId))
                .filter(x -> now.isBefore(x.expiresAt()))
                .orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                        "This sign-in took too long or was already used. Please go back to the application and start again."));
        AuthorizeRequest request = AuthorizeRequest.parse(tenant, Params.of(p.params()));
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        if (session instanceof SessionLookup.Valid v && freshEnough(request, v.session(), p.createdAt(), now)) {
            return transactions.write(tx -> {
                pending.delete(tx, p.id());
                return issueCode(tx, tenant, request, v.session(), now);
            });
        }
        return new AuthorizeOutcome.SignIn(p.id(), request.client().name(), request.connection(), request.loginHint());
    }

    /** prompt=login (OIDC Core §3.1.2.1) needs a sign-in after the request; max_age bounds auth_time. */
    private static boolean freshEnough(AuthorizeRequest r, Session s, Instant requestedAt, Instant now) {
        if (r.promptLogin() && s.authTime().isBefore(requestedAt)) {
            return false;
        }
        // the session's age against max_age, not auth_time + max_age: any non-negative long is a valid max_age (no overflow)
        return r.maxAgeSeconds().isEmpty() || Duration.between(s.authTime(), now).compareTo(Duration.ofSeconds(r.maxAgeSeconds().getAsLong())) <= 0;
    }

    private AuthorizeOutcome issueCode(Tx tx, Tenant tenant, AuthorizeRequest r, Session session, Instant now) {
        String code = ids.secret();
        grants.create(tx, new Grant(ids.id(), tenant.name(), r.client().id(), session.userId(), session.id(), Ids.hash(code),
                r.redirectUri().toString(), r.codeChallenge(), r.nonce(), r.scopes(), session.authTime(), now.plus(CODE_TTL),
                false, false, now));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", code);
        r.state().ifPresent(s -> q.put("state", s));
        q.put("iss", tenant.issuer());
        return new AuthorizeOutcome.Redirect(Urls.withQuery(r.redirectUri(), q));
    }

    private static ErrorRedirect back(AuthorizeRequest r) {
        return new ErrorRedirect(r.client().id(), r.redirectUri(), r.state());
    }

    /** The redirect for an error (RFC 6749 §4.1.2.1 with RFC 9207 {@code iss}). */
    public static URI errorRedirect(Tenant tenant, ErrorRedirect to, Reason reason, String description) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("error", reason.oauthError());
        q.put("error_description", description);
        to.state().ifPresent(s -> q.put("state", s));
        q.put("iss", tenant.issuer());
        return Urls.withQuery(to.redirectUri(), q);
    }
}
