package dev.signet.broker;

import dev.signet.Ids;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.connector.CallbackCheck;
import dev.signet.connector.Connector;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.VerifiedCallback;
import dev.signet.event.Event;
import dev.signet.event.Outbox;
import dev.signet.session.Sessions;
import dev.signet.store.Transactions;
import dev.signet.store.UpstreamLogin;
import dev.signet.store.UpstreamLoginStore;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sign-in journey at upstreams (DESIGN.md steps 3–4).
 *
 * <pre>
 *   start(connection, pending)  → new state, nonce, PKCE; 1 write tx; redirect to the upstream
 *   callback(connection, …)     → CallbackCheck; connector.finish (the only upstream I/O);
 *                                 1 write tx: consume state, find/link/create user, create session;
 *                                 redirect to /authorize/resume (steps never call one another)
 * </pre>
 */
public final class Broker {

    /** Cookie binding an upstream redirect to this browser (login CSRF, RFC 6749 §10.12). */
    public static final String STATE_COOKIE = "signet_upstream_state";
    static final Duration LOGIN_TTL = Duration.ofMinutes(15);
    /** One deadline for the whole callback step's upstream calls. */
    static final Duration CALLBACK_BUDGET = Duration.ofSeconds(20);

    public record Started(URI upstream, String stateCookie) {}

    public record Finished(URI resume, Sessions.Created session) {}

    private final Transactions transactions;
    private final UpstreamLoginStore logins;
    private final Accounts accounts;
    private final Outbox outbox;
    private final Map<String, Connector> connectors;
    private final Ids ids;
    private final Clock clock;

    public Broker(Transactions transactions, UpstreamLoginStore logins, Accounts accounts, Outbox outbox,
            Map<String, Connector> connectors, Ids ids, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.logins = Objects.requireNonNull(logins, "logins");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.connectors = Map.copyOf(connectors);
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Started start(Tenant tenant, String connectionId, String pendingId, Optional<String> loginHint) {
        Connector connector = connector(connectionId);
        String state = ids.secret();
        String nonce = ids.secret();
        String verifier = ids.secret();
        URI callback = tenant.urls().at(Path.CALLBACK, connectionId);
        URI upstream = withRetry(tenant, connectionId, pendingId, () -> connector.loginUrl(
                new LoginRequest(state, nonce, Ids.hash(verifier) /* = RFC 7636 S256 */, callback, loginHint)));
        UpstreamLogin login = new UpstreamLogin(Ids.hash(state), tenant.name(), connectionId, pendingId, nonce, verifier,
                clock.instant().plus(LOGIN_TTL));
        transactions.write(tx -> {
            logins.create(tx, login);
            return null;
        });
        return new Started(upstream, state);
    }

    /**
     * The callback step. A refused sign-in is recorded as a {@code signin.failed} event in its own
     * small transaction off the response path (there is no other write to join).
     */
    public Finished callback(Tenant tenant, String connectionId, Map<String, String> params, Optional<String> browserState) {
        try {
            return finish(tenant, connectionId, params, browserState);
        } catch (UpstreamException e) {
            outbox.appendLater(new Event.SignInFailed(tenant.name(), connectionId, e.reason().code()));
            throw e;
        }
    }

    private Finished finish(Tenant tenant, String connectionId, Map<String, String> params, Optional<String> browserState) {
        Connector connector = connector(connectionId);
        Instant now = clock.instant();
        String state = params.getOrDefault("state", "");
        UpstreamLogin login = transactions.read(tx -> logins.byStateHash(tx, Ids.hash(state)))
                .filter(l -> l.tenant().equals(tenant.name()) && l.connection().equals(connectionId))
                .orElseThrow(() -> UpstreamException.of(Reason.UPSTREAM_STATE_MISMATCH, connectionId,
                        "This sign-in is unknown or was already completed. Please start again from the application.",
                        "no upstream login for this state"));
        return withRetry(tenant, connectionId, login.pendingId(), () -> {
            if (!now.isBefore(login.expiresAt())) {
                throw UpstreamException.of(Reason.SIGNIN_EXPIRED, connectionId, "This sign-in took too long.", "upstream login expired");
            }
            URI callback = tenant.urls().at(Path.CALLBACK, connectionId);
            VerifiedCallback verified = CallbackCheck.verify(connector, params, browserState, login.nonce(), login.codeVerifier(),
                    callback, now.plus(CALLBACK_BUDGET));
            UpstreamIdentity identity = connector.finish(verified);
            Sessions.Created session = transactions.write(tx -> {
                if (!logins.consume(tx, login.stateHash())) {
                    throw UpstreamException.of(Reason.UPSTREAM_STATE_MISMATCH, connectionId,
                            "This sign-in was already completed.", "upstream login consumed concurrently");
                }
                return accounts.signIn(tx, tenant, connectionId, identity);
            });
            URI resume = tenant.urls().at(Path.AUTHORIZE_RESUME, Map.of("pending", login.pendingId()));
            return new Finished(resume, session);
        });
    }

    private Connector connector(String id) {
        Connector c = connectors.get(id);
        if (c == null) {
            throw UpstreamException.of(Reason.SIGNIN_UNKNOWN_CONNECTION, id, "There is no such way to sign in.", "unknown connection");
        }
        return c;
    }

    private interface Step<T> {
        T run();
    }

    /** Upstream failures get a retry link that restarts this connection's sign-in for the same request. */
    private static <T> T withRetry(Tenant tenant, String connectionId, String pendingId, Step<T> step) {
        try {
            return step.run();
        } catch (UpstreamException e) {
            throw e.withRetry(tenant.urls().at(Path.SIGN_IN, connectionId, Map.of("pending", pendingId)).toString());
        }
    }
}
