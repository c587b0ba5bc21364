package dev.signet.protocol.logout;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ClientSettings;
import dev.signet.protocol.Params;
import dev.signet.session.SessionLookup;
import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0), GET or POST.
 *
 * <pre>
 *   id_token_hint   verified with the tenant's keys, expiry not checked (§2); its aud must be client_id when both are given
 *   client_id       must be a client of the tenant
 *   post_logout_redirect_uri   exact match against the client's post_logout_redirect_uris (§3), else an error page, never a redirect
 *   state           echoed on the redirect (§3); ui_locales and logout_hint are accepted and ignored
 *
 *   valid hint, and the browser's session is the hint's sid  → ended at once
 *   valid hint, no session in the browser                    → the hint's session ends (if still active and the same user)
 *   otherwise, with a session in the browser                 → Confirm: a page asks (CSRF-protected POST, confirm=…)
 *   no session at all                                        → nothing to end: straight to the redirect or the signed-out page
 * </pre>
 *
 * A redirect without {@code id_token_hint} is allowed when {@code client_id} names the client and the
 * URI is registered for it exactly: §3 allows post-logout redirection when "the OP has other means of
 * confirming the legitimacy of the post-logout redirection target", which the registration is. One
 * write transaction when a session ends ({@link Logouts}).
 */
public final class EndSessionEndpoint {

    /** What to show or where to go. */
    public sealed interface Outcome {}

    /**
     * Ask the user first. {@code hidden} are the form fields to post back (with {@code confirm} and
     * {@code csrf}); {@code after} is where the browser goes once signed out, if anywhere.
     */
    public record Confirm(Optional<String> clientName, Map<String, String> hidden, String csrf, Optional<URI> after)
            implements Outcome {}

    /** Signed out (or was not signed in): redirect to {@code after}, or show the signed-out page. */
    public record SignedOut(Optional<URI> after, Optional<String> clientName) implements Outcome {}

    private final Transactions transactions;
    private final SessionStore sessions;
    private final Logouts logouts;
    private final IdTokenHints hints;
    private final Clock clock;

    public EndSessionEndpoint(Transactions transactions, SessionStore sessions, Logouts logouts, dev.signet.keys.TenantKeys keys, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.logouts = Objects.requireNonNull(logouts, "logouts");
        this.hints = new IdTokenHints(Objects.requireNonNull(keys, "keys"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param cookie the browser's session cookie value: the confirmation's CSRF token is derived from it,
     *     so only a page rendered for this browser's session can confirm
     */
    public Outcome handle(Tenant tenant, Params p, SessionLookup session, Optional<String> cookie) {
        Optional<IdTokenHints.Hint> hint = p.get("id_token_hint").filter(h -> !h.isEmpty()).map(h -> hints.read(tenant, h));
        Optional<String> clientParam = p.get("client_id").filter(c -> !c.isEmpty());
        if (clientParam.isPresent() && hint.isPresent() && !clientParam.get().equals(hint.get().clientId())) {
            throw ProtocolException.of(Reason.LOGOUT_CLIENT_MISMATCH, "client_id is not the client the id_token_hint was issued to.",
                    "client_id " + clientParam.get() + " vs hint audience " + hint.get().clientId());
        }
        Optional<ClientSettings> client = clientParam.or(() -> hint.map(IdTokenHints.Hint::clientId)).map(id -> tenant.client(id)
                .orElseThrow(() -> ProtocolException.of(Reason.LOGOUT_CLIENT_MISMATCH, "The application (client_id) is not registered here.",
                        "unknown client " + id)));
        Optional<String> state = p.get("state");
        Optional<URI> after = p.get("post_logout_redirect_uri").map(uri -> {
            if (client.isEmpty() || !client.get().logout().allowsPostLogoutRedirect(uri)) {
                throw ProtocolException.of(Reason.LOGOUT_REDIRECT_MISMATCH,
                        "The post_logout_redirect_uri is not registered for this application; it must match exactly.",
                        client.map(c -> "not registered for client " + c.id()).orElse("no client_id or id_token_hint names the client"));
            }
            Map<String, String> q = new LinkedHashMap<>();
            state.ifPresent(s -> q.put("state", s));
            return Urls.withQuery(URI.create(uri), q);
        });
        p.get("ui_locales"); // accepted, not used (§2); read so a repeated value is refused like any other
        Optional<String> clientName = client.map(ClientSettings::name);
        if (session instanceof SessionLookup.Unavailable u) {
            throw u.cause();
        }
        Optional<Session> current = session instanceof SessionLookup.Valid v ? Optional.of(v.session()) : Optional.empty();
        if (p.get("confirm").isPresent()) {
            if (current.isEmpty()) {
                return new SignedOut(after, clientName); // already signed out (a second click, another tab)
            }
            if (cookie.isEmpty() || !Ids.sameHash(csrf(cookie.get()), p.get("csrf").orElse(""))) {
                throw ProtocolException.of(Reason.FORM_INVALID, "This sign-out form has expired. Please try again.",
                        "csrf token does not match the session");
            }
            end(tenant, current.get());
            return new SignedOut(after, clientName);
        }
        if (hint.isPresent() && current.isPresent() && hint.get().sessionId().equals(Optional.of(current.get().id()))) {
            end(tenant, current.get());
            return new SignedOut(after, clientName);
        }
        if (current.isEmpty()) {
            hint.ifPresent(h -> endHinted(tenant, h));
            return new SignedOut(after, clientName);
        }
        Map<String, String> hidden = new LinkedHashMap<>();
        client.ifPresent(c -> hidden.put("client_id", c.id()));
        p.get("post_logout_redirect_uri").ifPresent(u -> hidden.put("post_logout_redirect_uri", u));
        state.ifPresent(s -> hidden.put("state", s));
        return new Confirm(clientName, hidden, csrf(cookie.orElse("")), after);
    }

    /** The confirmation form's CSRF token: a hash bound to the session cookie, which the page never shows. */
    static String csrf(String cookie) {
        return Ids.hash("signet-logout-confirmation:" + cookie);
    }

    /** A session found by the browser's cookie, which is host-only: it lives on this request's domain. */
    private void end(Tenant tenant, Session s) {
        transactions.write(tx -> logouts.end(tx, tenant, s, Logouts.Why.LOGOUT, Optional.of(tenant.issuer())));
    }

    /** No cookie came with the request (a cleared or blocked cookie): the hint's own session ends, if it is still active. */
    private void endHinted(Tenant tenant, IdTokenHints.Hint h) {
        if (h.sessionId().isEmpty()) {
            return;
        }
        transactions.write(tx -> sessions.byId(tx, tenant.name(), h.sessionId().get())
                .filter(s -> s.activeAt(clock.instant()) && s.userId().equals(h.subject()))
                .map(s -> logouts.end(tx, tenant, s, Logouts.Why.LOGOUT, Optional.of(h.issuer()))));
    }
}
