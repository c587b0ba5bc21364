package dev.signet.protocol.authorize;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.ProtocolException.ErrorRedirect;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.session.SessionLookup;
import dev.signet.config.ClientSettings;
import dev.signet.event.Event;
import dev.signet.event.Outbox;
import dev.signet.protocol.Scopes;
import dev.signet.store.Consent;
import dev.signet.store.ConsentStore;
import dev.signet.store.Grant;
import dev.signet.store.DeviceCodeStore;
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
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The authorization endpoint (RFC 6749 §4.1, OIDC Core §3.1.2).
 *
 * <pre>
 *   authorize(request, session)   valid session, fresh enough  → code, or Consent(pending) when the client needs
 *                                                                 the user's consent first (1 write tx)
 *                                 prompt=none, no session       → login_required redirect
 *                                 otherwise                     → SignIn(pending) (1 write tx)
 *   resume(pending, session)      after the broker signed the user in
 *                                 valid session, fresh enough   → code, pending deleted, or Consent (1 write tx)
 *   resumeWithin(tx, pending, s)  the same inside the broker's callback transaction, when it ends in a code
 *                                 (no consent page, not a device): code, pending deleted; else nothing done
 *   consent(pending, approved)    approved → consent remembered, code (1 write tx); denied → access_denied
 *                                 otherwise                     → SignIn(pending) again
 * </pre>
 *
 * Every success and error redirect carries {@code iss} (RFC 9207 §2).
 */
public final class AuthorizeEndpoint {

    /** RFC 6749 §4.1.2: short-lived; 10 minutes is the recommended maximum. */
    static final Duration CODE_TTL = Duration.ofSeconds(60);
    static final Duration PENDING_TTL = Duration.ofMinutes(15);

    /**
     * The one parameter of a pending authorization that waits for a device approval (RFC 8628) rather
     * than an authorization request: the device authorization's id.
     */
    static final String DEVICE_PARAM = "device_authorization";

    private final Transactions transactions;
    private final PendingStore pending;
    private final GrantStore grants;
    private final DeviceCodeStore devices;
    private final ConsentStore consents;
    private final Outbox outbox;
    private final Ids ids;
    private final Clock clock;
    private final PushedRequests pushed;

    public AuthorizeEndpoint(Transactions transactions, PendingStore pending, GrantStore grants, DeviceCodeStore devices,
            ConsentStore consents, Outbox outbox, Ids ids, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pushed = new PushedRequests(transactions, pending, ids, clock);
    }

    /** RFC 9126 §2: a pushed authorization request of the authenticated client; its {@code request_uri} and lifetime. */
    public Map<String, Object> push(Tenant tenant, String clientId, Params form) {
        PushedRequests.Pushed p = pushed.push(tenant, clientId, form);
        return Map.of("request_uri", p.requestUri(), "expires_in", p.expiresIn());
    }

    /**
     * The user confirmed a device's request on the verification page (RFC 8628 §3.3). With a valid
     * session the device code is approved at once; otherwise the request waits as a pending
     * authorization while the user signs in through the usual connections, and {@link #resume}
     * approves it. (Consent beyond the confirmation itself is not asked: issue 14's consent is
     * another engineer's part.)
     */
    public AuthorizeOutcome device(Tenant tenant, String deviceId, String clientId, String clientName, SessionLookup session) {
        Instant now = clock.instant();
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        if (session instanceof SessionLookup.Valid v) {
            return approveDevice(tenant, deviceId, clientName, v.session(), null);
        }
        PendingAuthorization p = new PendingAuthorization(ids.id(), tenant.name(), clientId, Map.of(DEVICE_PARAM, deviceId), now,
                now.plus(PENDING_TTL));
        transactions.write(tx -> {
            pending.create(tx, p);
            return null;
        });
        return new AuthorizeOutcome.SignIn(p.id(), clientName, Optional.empty(), Optional.empty());
    }

    private AuthorizeOutcome approveDevice(Tenant tenant, String deviceId, String clientName, Session session,
            @org.jspecify.annotations.Nullable String pendingId) {
        Instant now = clock.instant();
        boolean approved = transactions.write(tx -> {
            if (pendingId != null) {
                pending.delete(tx, tenant.name(), pendingId);
            }
            boolean live = devices.byId(tx, tenant.name(), deviceId).filter(d -> now.isBefore(d.expiresAt())).isPresent();
            return live && devices.approve(tx, tenant.name(), deviceId, session.userId(), session.id(), session.authTime());
        });
        if (!approved) {
            throw ProtocolException.of(Reason.SIGNIN_EXPIRED, "This code expired or was already used. Start again on your device.");
        }
        return new AuthorizeOutcome.DeviceApproved(clientName);
    }

    public AuthorizeOutcome authorize(Tenant tenant, Params query, SessionLookup session) {
        PushedRequests.Resolved resolved = pushed.resolve(tenant, query); // RFC 9126 §4: a pushed request's own parameters
        Params params = resolved.params();
        AuthorizeRequest request = AuthorizeRequest.parse(tenant, params);
        if (!resolved.pushed() && request.client().requirePushedRequests()) {
            // RFC 9126 §6: this client's requests must come through /par
            throw ProtocolException.of(Reason.INVALID_REQUEST, "this client must push its authorization requests to the PAR endpoint (RFC 9126 §6)")
                    .redirectTo(back(request));
        }
        Instant now = clock.instant();
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        if (session instanceof SessionLookup.Valid v && freshEnough(request, v.session(), now)) {
            return transactions.write(tx -> signedIn(tx, tenant, request, params.firstValues(), Optional.empty(), v.session(), now));
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
        PendingAuthorization p = waiting(tenant, pendingId, now);
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        String device = p.params().get(DEVICE_PARAM);
        if (device != null) {
            String clientName = tenant.client(p.clientId()).map(c -> c.name()).orElseThrow(() -> ProtocolException.of(
                    Reason.SIGNIN_EXPIRED, "This device is no longer allowed to sign in here.", "device client removed by a reload"));
            if (session instanceof SessionLookup.Valid v) {
                return approveDevice(tenant, device, clientName, v.session(), p.id());
            }
            return new AuthorizeOutcome.SignIn(p.id(), clientName, Optional.empty(), Optional.empty());
        }
        AuthorizeRequest request = AuthorizeRequest.parse(tenant, Params.of(p.params()));
        if (session instanceof SessionLookup.Valid v && freshEnough(request, v.session(), p.createdAt())) {
            return transactions.write(tx -> signedIn(tx, tenant, request, p.params(), Optional.of(p.id()), v.session(), now));
        }
        return new AuthorizeOutcome.SignIn(p.id(), request.client().name(), request.connection(), request.loginHint());
    }

    /**
     * The user's answer on the consent page (OIDC Core §3.1.2.4) for the waiting request: approved →
     * the consent is remembered (the scopes approved before and now), a code is issued (one write
     * transaction); denied → {@code access_denied} to the client (§3.1.2.6). Signed out meanwhile →
     * the sign-in page again.
     */
    public AuthorizeOutcome consent(Tenant tenant, String pendingId, SessionLookup session, boolean approved) {
        Instant now = clock.instant();
        PendingAuthorization p = waiting(tenant, pendingId, now);
        AuthorizeRequest request = AuthorizeRequest.parse(tenant, Params.of(p.params()));
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        if (!(session instanceof SessionLookup.Valid v)) {
            return new AuthorizeOutcome.SignIn(p.id(), request.client().name(), request.connection(), request.loginHint());
        }
        Session s = v.session();
        String client = request.client().id();
        if (!approved) {
            transactions.write(tx -> {
                pending.delete(tx, tenant.name(), p.id());
                return null;
            });
            throw ProtocolException.of(Reason.ACCESS_DENIED, "the user did not approve the request").redirectTo(back(request));
        }
        return transactions.write(tx -> {
            Set<String> all = new TreeSet<>(request.scopes());
            consents.find(tx, tenant.name(), s.userId(), client).ifPresent(c -> all.addAll(c.scopes()));
            consents.save(tx, new Consent(tenant.name(), s.userId(), client, all, now));
            outbox.append(tx, new Event.ConsentGiven(tenant.name(), s.userId(), client, Scopes.format(all)));
            pending.delete(tx, tenant.name(), p.id());
            return issueCode(tx, tenant, request, s, now, request.scopes());
        });
    }

    /**
     * The resume step done inside the callback's one write transaction (issue 16: the browser goes
     * from the callback straight back to the application, a redirect and a transaction fewer). Only
     * when the waiting request ends in a code without a page: a live authorization request (not a
     * device's), still valid after any reload, the new session fresh enough for it, consent not
     * needed (§3.1.2.4) — then the pending request is deleted and the code issued in {@code tx}.
     * Otherwise nothing is written and empty is answered: the browser goes through
     * {@code /authorize/resume}, which answers those cases (the consent page, the device page,
     * the error). Never throws a protocol error (that would undo the sign-in).
     */
    public Optional<URI> resumeWithin(Tx tx, Tenant tenant, String pendingId, Session session) {
        Instant now = clock.instant();
        Optional<PendingAuthorization> waiting = pending.byId(tx, tenant.name(), pendingId).filter(x -> now.isBefore(x.expiresAt()));
        if (waiting.isEmpty() || waiting.get().params().containsKey(DEVICE_PARAM)) {
            return Optional.empty();
        }
        PendingAuthorization p = waiting.get();
        AuthorizeRequest request;
        try {
            request = AuthorizeRequest.parse(tenant, Params.of(p.params()));
        } catch (ProtocolException e) {
            return Optional.empty();
        }
        if (request.promptNone() || request.formPost() || !freshEnough(request, session, p.createdAt())) {
            return Optional.empty(); // form_post: the answer is a page, /authorize/resume renders it
        }
        Optional<Set<String>> granted = consented(tx, tenant, request, session);
        if (granted.isEmpty()) {
            return Optional.empty();
        }
        pending.delete(tx, tenant.name(), p.id());
        return Optional.of(Urls.withQuery(request.redirectUri(), codeResponse(tx, tenant, request, session, now, granted.get())));
    }

    /** The consent form's CSRF token: bound to the browser's session cookie and the waiting request. */
    public static String consentCsrf(String sessionCookie, String pendingId) {
        return Ids.hash("signet-consent:" + pendingId + ":" + sessionCookie);
    }

    private PendingAuthorization waiting(Tenant tenant, String pendingId, Instant now) {
        return transactions.read(tx -> pending.byId(tx, tenant.name(), pendingId))
                .filter(x -> now.isBefore(x.expiresAt()) && !PushedRequests.isPushed(x)) // a pushed request starts at /authorize
                .orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                        "This sign-in took too long or was already used. Please go back to the application and start again."));
    }

    /**
     * A signed-in user, fresh enough: a code, or first the consent page (the request waits as a
     * pending authorization, the one it already is when resumed). Inside the step's one write transaction.
     */
    private AuthorizeOutcome signedIn(Tx tx, Tenant tenant, AuthorizeRequest r, Map<String, String> params, Optional<String> waiting,
            Session s, Instant now) {
        Optional<Set<String>> granted = consented(tx, tenant, r, s);
        if (granted.isPresent()) {
            waiting.ifPresent(id -> pending.delete(tx, tenant.name(), id));
            return issueCode(tx, tenant, r, s, now, granted.get());
        }
        if (r.promptNone()) {
            throw ProtocolException.of(Reason.CONSENT_REQUIRED, "the application needs the user's consent (prompt=none)")
                    .redirectTo(back(r));
        }
        String id = waiting.orElseGet(() -> {
            PendingAuthorization p = new PendingAuthorization(ids.id(), tenant.name(), r.client().id(), params, now, now.plus(PENDING_TTL));
            pending.create(tx, p);
            return p.id();
        });
        return new AuthorizeOutcome.Consent(id, r.client().name(), r.scopes(), r.redirectUri());
    }

    /**
     * The scopes the code may carry, or empty when the user must be asked (OIDC Core §3.1.2.4).
     * {@code consent: skip} clients (first-party) never ask. Otherwise a remembered consent that
     * covers every scope asked for is enough, unless {@code prompt=consent}; a superset asks again.
     * OIDC Core §11: {@code offline_access} only with consent; where the user cannot be asked
     * ({@code prompt=none}) it is dropped (so no refresh token) rather than failing the request.
     */
    private Optional<Set<String>> consented(Tx tx, Tenant tenant, AuthorizeRequest r, Session s) {
        if (r.client().consent() == ClientSettings.ConsentPolicy.SKIP) {
            return Optional.of(r.scopes());
        }
        if (r.promptConsent()) {
            return Optional.empty();
        }
        Optional<Consent> given = consents.find(tx, tenant.name(), s.userId(), r.client().id());
        if (given.isPresent() && given.get().covers(r.scopes())) {
            return Optional.of(r.scopes());
        }
        Set<String> online = new LinkedHashSet<>(r.scopes());
        online.remove(Scopes.OFFLINE_ACCESS);
        if (r.promptNone() && online.size() < r.scopes().size() && given.isPresent() && given.get().covers(online)) {
            return Optional.of(online);
        }
        return Optional.empty();
    }

    /**
     * Where a waiting authorization request will send the browser (its redirect URI, registered for
     * its client and checked again by the same parser); empty when it is gone, expired, or no longer
     * valid after a reload.
     */
    public Optional<URI> redirectUriOf(Tenant tenant, String pendingId) {
        Instant now = clock.instant();
        return transactions.read(tx -> pending.byId(tx, tenant.name(), pendingId))
                .filter(p -> now.isBefore(p.expiresAt()))
                .flatMap(p -> {
                    if (p.params().containsKey(DEVICE_PARAM)) {
                        return Optional.of(tenant.urls().at(Urls.Path.DEVICE)); // a device sign-in ends on Signet's own page
                    }
                    try {
                        return Optional.of(AuthorizeRequest.parse(tenant, Params.of(p.params())).redirectUri());
                    } catch (ProtocolException e) {
                        return Optional.empty();
                    }
                });
    }

    /**
     * OIDC Core §3.1.2.1: {@code prompt=login} needs a sign-in after the request; {@code max_age} is
     * the time allowed between the last sign-in and the request. Both are measured at the request
     * ({@code requestedAt}: now at /authorize, the pending request's creation at resume), so a
     * sign-in made for this request always satisfies them and {@code max_age=0} means what the spec
     * says, the same as {@code prompt=login}. {@code max_age} is bounded when parsed, so the
     * subtraction cannot overflow.
     */
    private static boolean freshEnough(AuthorizeRequest r, Session s, Instant requestedAt) {
        if (r.promptLogin() && s.authTime().isBefore(requestedAt)) {
            return false;
        }
        return r.maxAgeSeconds().isEmpty() || !s.authTime().isBefore(requestedAt.minusSeconds(r.maxAgeSeconds().getAsLong()));
    }

    private AuthorizeOutcome issueCode(Tx tx, Tenant tenant, AuthorizeRequest r, Session session, Instant now, Set<String> scopes) {
        Map<String, String> response = codeResponse(tx, tenant, r, session, now, scopes);
        return r.formPost() ? new AuthorizeOutcome.FormPost(r.redirectUri(), response)
                : new AuthorizeOutcome.Redirect(Urls.withQuery(r.redirectUri(), response));
    }

    /** RFC 6749 §4.1.2 with RFC 9207 {@code iss}: the code, issued in {@code tx}, and what travels with it. */
    private Map<String, String> codeResponse(Tx tx, Tenant tenant, AuthorizeRequest r, Session session, Instant now, Set<String> scopes) {
        String code = ids.secret();
        grants.create(tx, new Grant(ids.id(), tenant.name(), r.client().id(), session.userId(), session.id(), Ids.hash(code),
                r.redirectUri().toString(), r.codeChallenge(), r.nonce(), scopes, session.authTime(), now.plus(CODE_TTL),
                false, false, now));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", code);
        r.state().ifPresent(s -> q.put("state", s));
        q.put("iss", tenant.issuer());
        return q;
    }

    private static ErrorRedirect back(AuthorizeRequest r) {
        return new ErrorRedirect(r.client().id(), r.redirectUri(), r.state(), r.formPost());
    }

    /** The redirect for an error (RFC 6749 §4.1.2.1 with RFC 9207 {@code iss}). */
    public static URI errorRedirect(Tenant tenant, ErrorRedirect to, Reason reason, String description) {
        return Urls.withQuery(to.redirectUri(), errorResponse(tenant, to, reason, description));
    }

    /** What an error sends back to the client (RFC 6749 §4.1.2.1 with RFC 9207 {@code iss}), in a query or a form post. */
    public static Map<String, String> errorResponse(Tenant tenant, ErrorRedirect to, Reason reason, String description) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("error", reason.oauthError());
        q.put("error_description", description);
        to.state().ifPresent(s -> q.put("state", s));
        q.put("iss", tenant.issuer());
        return q;
    }
}
