package dev.signet.web;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.broker.Broker;
import dev.signet.connector.HostedUpstream;
import dev.signet.protocol.Params;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.session.SessionLookup;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import dev.signet.web.pages.DevUpstreamView;
import dev.signet.web.pages.Pages;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The upstream Signet serves itself ({@link HostedUpstream}: the dev connection's form): its page
 * and its submission. What the form's answer is comes from the connector; this class only renders.
 */
public final class DevUpstreamRoutes implements Mount {

    private final DevSignIns devSignIns = new DevSignIns();
    private final Broker broker;
    private final AuthorizeEndpoint authorize;
    private final Sessions sessions;
    private final Pages pages;

    public DevUpstreamRoutes(Broker broker, AuthorizeEndpoint authorize, Sessions sessions, Pages pages) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.authorize = Objects.requireNonNull(authorize, "authorize");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(Path.DEV_UPSTREAM, this::devUpstream).withParam("connection").withLimit(Group.DEV_FORM),
                Route.post(Path.DEV_UPSTREAM, this::devUpstream).withParam("connection").withLimit(Group.DEV_FORM));
    }

    /** The built-in dev upstream's "login page" (GET) and its submission (POST). */
    void devUpstream(Exchange x) {
        Tenant tenant = x.tenant();
        String connection = x.pathParam("connection");
        HostedUpstream hosted = broker.hostedUpstream(tenant, connection).orElseThrow(() -> UpstreamException.of(
                Reason.SIGNIN_UNKNOWN_CONNECTION, connection, "There is no such dev connection.", "not a dev connection"));
        Params p = x.params();
        String redirect = p.get("redirect_uri").orElse("");
        // The only place the dev upstream may send the browser: this connection's own callback, on
        // one of the tenant's domains (the page is on the default domain; the journey may be on another).
        boolean ownCallback = tenant.domains().stream()
                .anyMatch(d -> redirect.equals(new Urls(d.issuer()).at(Path.CALLBACK, connection).toString()));
        if (!ownCallback) {
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "This dev sign-in link is invalid.",
                    "dev upstream redirect_uri is not the connection's callback");
        }
        String state = p.get("state").orElse("");
        String nonce = p.get("nonce").orElse("");
        if (x.method().equals("GET")) {
            devUpstreamPage(x, tenant, connection, state, nonce, redirect, p.get("login_hint").orElse(hosted.defaultEmail()));
            return;
        }
        devSignIns.signedIn(connection);
        x.redirect(Urls.withQuery(java.net.URI.create(redirect), hosted.answer(p.get("name").orElse("Dev User"), p.require("email"), state, nonce)));
    }

    /**
     * The dev form. Issue 11 defect 9: CSP {@code form-action} also governs the redirects that answer
     * the form's POST (callback → the application, or → {@code /authorize/resume} → the application
     * when a page such as consent comes first), so with
     * {@code form-action 'self'} Chromium stopped where the chain left Signet's origin and the click
     * seemed to do nothing. This one page therefore lists, besides {@code 'self'}, exactly two more
     * origins, both from server-side state and checked: the connection's own callback (validated above;
     * another domain of the tenant when the journey runs there) and the redirect URI of the waiting
     * authorization request (registered for its client; not the client's other URIs, not other
     * clients'). That is where this sign-in goes anyway, so an injected form could reach no origin
     * it could not already; every other page keeps {@code 'self'}. Rejected alternative: answering
     * the POST with a 200 page that navigates on by meta refresh would leave this page at
     * {@code 'self'} too, but changes the dev upstream's wire behaviour (a 302, like a real upstream's)
     * that the probes, {@code signet train}, the bench and the HTTP tests follow.
     *
     * <p>Once that sign-in is finished (the callback consumed its state) or expired, the page shows no
     * form: going back to it after signing in, or a bookmarked link, never leads to a second
     * submission that can only end in {@code upstream.state_mismatch}.
     */
    private void devUpstreamPage(Exchange x, Tenant tenant, String connection, String state, String nonce, String redirect,
            String email) {
        String action = tenant.urls().at(Path.DEV_UPSTREAM, connection).toString();
        Optional<java.net.URI> app = state.isEmpty() ? Optional.empty()
                : broker.pendingOf(tenant, connection, state).flatMap(pending -> authorize.redirectUriOf(tenant, pending));
        if (app.isEmpty()) {
            boolean signedIn = sessions.lookup(tenant.name(), x.cookie(Sessions.COOKIE)) instanceof SessionLookup.Valid;
            x.html(200, pages.devUpstream(DevUpstreamView.finished(connection, signedIn)));
            return;
        }
        x.html(200, pages.devUpstream(new DevUpstreamView(connection, action, state, nonce, redirect, email, false, false)),
                List.of(java.net.URI.create(redirect), app.get()));
    }
}
