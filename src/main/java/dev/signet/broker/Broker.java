package dev.signet.broker;

import dev.signet.Ids;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.CallbackCheck;
import dev.signet.corpus.Recorder;
import dev.signet.connector.Connector;
import dev.signet.connector.HostedUpstream;
import dev.signet.connector.Unsafe;
import dev.signet.connector.FormPostCallbacks;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.PublicNames;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.VerifiedCallback;
import dev.signet.ProtocolException;
import dev.signet.event.Event;
import dev.signet.hook.HookDecision;
import dev.signet.hook.HookRequest;
import dev.signet.hook.Hooks;
import dev.signet.event.Outbox;
import dev.signet.session.Sessions;
import dev.signet.store.Session;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
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
 *                                 1 write tx: consume state, find/link/create user, create session,
 *                                 and the Resumption handed in (the waiting request's code, when it
 *                                 needs no page); redirect to where it answers, else /authorize/resume
 * </pre>
 */
public final class Broker {

    /** Cookie binding an upstream redirect to this browser (login CSRF, RFC 6749 §10.12). */
    public static final String STATE_COOKIE = "signet_upstream_state";
    /**
     * The same binding for connections whose upstream posts its answer ({@link FormPostCallbacks},
     * {@code response_mode=form_post}). A top-level cross-site POST carries no {@code SameSite=Lax}
     * cookie, so this second cookie is {@code SameSite=None; Secure} (browsers accept {@code Secure}
     * on https and on {@code http://localhost}), HttpOnly, scoped to the callback path, and set only
     * for those connections. It holds the same one-time random state as {@link #STATE_COOKIE}: the
     * protection is the state comparison, not SameSite, so allowing the cookie cross-site gives an
     * attacker nothing (they still need the state, which only this browser and the upstream saw).
     * Chosen over a 200 page that re-posts the answer same-site because that needs an inline script
     * (a CSP exception) or a click, and would put the code through a second hop.
     */
    public static final String STATE_COOKIE_CROSS_SITE = "signet_upstream_state_xs";
    static final Duration LOGIN_TTL = Duration.ofMinutes(15);
    private static final tools.jackson.databind.json.JsonMapper CLAIMS_JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    /** One deadline for the whole callback step's upstream calls. */
    static final Duration CALLBACK_BUDGET = Duration.ofSeconds(20);

    /** {@code formPost}: the upstream will post its answer, so the state also goes in {@link #STATE_COOKIE_CROSS_SITE}. */
    public record Started(URI upstream, String stateCookie, boolean formPost) {}

    public record Finished(URI resume, Sessions.Created session) {}

    /**
     * What the callback's one write transaction also does for the authorization request that waits
     * for this sign-in, handed in by the caller (the protocol's side: the broker never calls it).
     * Answers where the browser goes instead of {@code /authorize/resume}: the application's
     * redirect with a code when the request needs no page (issue 16: a redirect and a transaction
     * fewer per sign-in); empty → {@code /authorize/resume} as before. Must not throw for a request
     * it cannot answer (that would undo the sign-in): it answers empty and leaves it to that step.
     */
    @FunctionalInterface
    public interface Resumption {
        Optional<URI> within(Tx tx, Tenant tenant, String pendingId, Session session);

        /** Always through {@code /authorize/resume}. */
        Resumption NONE = (tx, tenant, pendingId, session) -> Optional.empty();
    }

    /**
     * The connectors of the configuration in force, by tenant and connection id. Resolved at each
     * step, so a sign-in that started before a reload finishes with the connection's current
     * settings, and fails with {@code signin.unknown_connection} only if the reload removed it.
     */
    @FunctionalInterface
    public interface Connectors {
        Optional<Connector> find(String tenant, String connectionId);
    }

    private final Transactions transactions;
    private final UpstreamLoginStore logins;
    private final Accounts accounts;
    private final Outbox outbox;
    private final Hooks hooks;
    private final Connectors connectors;
    private final Ids ids;
    private final Clock clock;
    private final Recorder recorder;

    public Broker(Transactions transactions, UpstreamLoginStore logins, Accounts accounts, Outbox outbox, Hooks hooks,
            Connectors connectors, Ids ids, Clock clock, Recorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.logins = Objects.requireNonNull(logins, "logins");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Started start(Tenant tenant, String connectionId, String pendingId, Optional<String> loginHint) {
        Connector connector = connector(tenant, connectionId);
        String state = ids.secret();
        String nonce = ids.secret();
        String verifier = ids.secret();
        URI callback = tenant.urls().at(Path.CALLBACK, connectionId);
        URI upstream;
        // recorded only for the discovery document a first login URL fetches (kept for this connection's exchanges)
        try (Recorder.Recording ignored = recorder.begin(tenant.name(), settings(tenant, connectionId), Map.of())) {
            upstream = withRetry(tenant, connectionId, pendingId, () -> connector.loginUrl(
                    new LoginRequest(state, nonce, Ids.hash(verifier) /* = RFC 7636 S256 */, callback, loginHint)));
        }
        UpstreamLogin login = new UpstreamLogin(Ids.hash(state), tenant.name(), tenant.domain().host(), connectionId, pendingId, nonce,
                verifier,
                clock.instant().plus(LOGIN_TTL));
        transactions.write(tx -> {
            logins.create(tx, login);
            return null;
        });
        return new Started(upstream, state, FormPostCallbacks.of(connector));
    }

    /**
     * The callback step. A refused sign-in is recorded as a {@code signin.failed} event in its own
     * small transaction off the response path (there is no other write to join). What the upstream
     * sent is recorded in the corpus (README "Upstream corpus") in that same transaction, or in the
     * accepted sign-in's one write transaction.
     */
    public Finished callback(Tenant tenant, String connectionId, Map<String, String> params, boolean posted,
            Optional<String> browserState) {
        return callback(tenant, connectionId, params, posted, browserState, Resumption.NONE);
    }

    /** As above; {@code then} runs in the step's write transaction once the session exists ({@link Resumption}). */
    public Finished callback(Tenant tenant, String connectionId, Map<String, String> params, boolean posted,
            Optional<String> browserState, Resumption then) {
        try (Recorder.Recording recording = recorder.begin(tenant.name(), settings(tenant, connectionId), params, posted)) {
            try {
                return finish(tenant, connectionId, params, posted, browserState, recording, then);
            } catch (UpstreamException | ProtocolException e) {
                outbox.appendLater(new Event.SignInFailed(tenant.name(), connectionId, e.reason().code()),
                        tx -> recording.store(tx, e.reason().code()));
                throw e;
            }
        }
    }

    private static Optional<ConnectionSettings> settings(Tenant tenant, String connectionId) {
        return tenant.settings().connections().stream().filter(c -> c.id().equals(connectionId)).findFirst();
    }

    private Finished finish(Tenant tenant, String connectionId, Map<String, String> params, boolean posted,
            Optional<String> browserState, Recorder.Recording recording, Resumption then) {
        Connector connector = connector(tenant, connectionId);
        Instant now = clock.instant();
        String state = params.getOrDefault("state", "");
        UpstreamLogin login = transactions.read(tx -> logins.byStateHash(tx, tenant.name(), Ids.hash(state)))
                .filter(l -> l.connection().equals(connectionId)
                        && (l.domain().isEmpty() || l.domain().equals(tenant.domain().host())))
                .orElseThrow(() -> UpstreamException.of(Reason.UPSTREAM_STATE_MISMATCH, connectionId,
                        "This sign-in is unknown or was already completed. Please start again from the application.",
                        "no upstream login for this state"));
        recording.arm();
        recording.publicNames(PublicNames.of(connector));
        return withRetry(tenant, connectionId, login.pendingId(), () -> {
            if (!now.isBefore(login.expiresAt())) {
                throw UpstreamException.of(Reason.SIGNIN_EXPIRED, connectionId, "This sign-in took too long.", "upstream login expired");
            }
            URI callback = tenant.urls().at(Path.CALLBACK, connectionId);
            VerifiedCallback verified = CallbackCheck.verify(connector, params, posted, browserState, login.nonce(), login.codeVerifier(),
                    callback, now.plus(CALLBACK_BUDGET), recording::expected);
            UpstreamIdentity identity = connector.finish(verified);
            recording.mapped(identity);
            Optional<String> hookClaims = policy(tenant, connectionId, identity);
            return transactions.write(tx -> {
                if (!logins.consume(tx, tenant.name(), login.stateHash())) {
                    throw UpstreamException.of(Reason.UPSTREAM_STATE_MISMATCH, connectionId,
                            "This sign-in was already completed.", "upstream login consumed concurrently");
                }
                Sessions.Created created = accounts.signIn(tx, tenant, connectionId, identity, hookClaims);
                recording.store(tx, "ok");
                URI next = then.within(tx, tenant, login.pendingId(), created.session())
                        .orElseGet(() -> tenant.urls().at(Path.AUTHORIZE_RESUME, Map.of("pending", login.pendingId())));
                return new Finished(next, created);
            });
        });
    }

    /**
     * The pending authorization that the still-open upstream login with this {@code state} belongs
     * to; empty once the callback consumed it, after it expired, or for a state Signet never issued.
     * Read-only (the built-in dev upstream's page asks, see {@code web.DevUpstreamRoutes}).
     */
    public Optional<String> pendingOf(Tenant tenant, String connectionId, String state) {
        Instant now = clock.instant();
        return transactions.read(tx -> logins.byStateHash(tx, tenant.name(), Ids.hash(state)))
                .filter(l -> l.connection().equals(connectionId) && now.isBefore(l.expiresAt()))
                .map(UpstreamLogin::pendingId);
    }

    /**
     * The sign-in hooks, called after the upstream and before the one write transaction (a hook
     * never runs while a store transaction is open). Returns the claims they added, as JSON.
     */
    private Optional<String> policy(Tenant tenant, String connectionId, UpstreamIdentity identity) {
        if (!hooks.any()) {
            return Optional.empty();
        }
        HookDecision d = hooks.check(new HookRequest(tenant.name(), connectionId, identity.subject(), identity.email(),
                identity.emailVerified(), identity.name()));
        return switch (d) {
            case HookDecision.Allow a -> a.claims().isEmpty() ? Optional.empty() : Optional.of(CLAIMS_JSON.writeValueAsString(a.claims()));
            case HookDecision.Denied n -> throw ProtocolException.of(Reason.HOOK_DENIED,
                    n.message().isBlank() ? "This sign-in is not allowed." : n.message(), "denied by hook " + n.hook());
            case HookDecision.Failed f -> throw ProtocolException.of(Reason.HOOK_FAILED,
                    "A sign-in check could not be completed right now. Please try again in a moment.",
                    "hook " + f.hook() + " failed and its on_failure is deny: " + f.detail());
        };
    }

    /** The connection's upstream when Signet serves it itself ({@link HostedUpstream}: the dev connection). */
    public Optional<HostedUpstream> hostedUpstream(Tenant tenant, String connectionId) {
        return connectors.find(tenant.name(), connectionId).filter(HostedUpstream.class::isInstance).map(HostedUpstream.class::cast);
    }

    /** Whether any connection of {@code tenant} lets anyone sign in as anyone ({@link Unsafe}). */
    public boolean anyUnsafe(Tenant tenant) {
        return tenant.settings().connections().stream()
                .anyMatch(c -> connectors.find(tenant.name(), c.id()).map(k -> k instanceof Unsafe).orElse(false));
    }

    private Connector connector(Tenant tenant, String id) {
        return connectors.find(tenant.name(), id).orElseThrow(() -> UpstreamException.of(Reason.SIGNIN_UNKNOWN_CONNECTION, id,
                "There is no such way to sign in.", "unknown connection"));
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
