package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.broker.Broker;
import dev.signet.broker.SignInRouting;
import dev.signet.config.ClientSettings;
import dev.signet.config.ConfigLoader;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.dev.DevCodes;
import dev.signet.connector.dev.DevConnector;
import dev.signet.connector.dev.DevSettings;
import dev.signet.demo.DemoApp;
import dev.signet.protocol.Discovery;
import dev.signet.protocol.Params;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.authorize.AuthorizeOutcome;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.protocol.token.TokenResponse;
import dev.signet.session.SessionLookup;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.Assets;
import dev.signet.web.pages.DemoView;
import dev.signet.web.pages.DevUpstreamView;
import dev.signet.web.pages.HomeView;
import dev.signet.web.pages.Pages;
import dev.signet.web.pages.SignInView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoint handlers. Each translates an {@link Exchange} into a call on a capability and its
 * result back into a response; errors go to {@link ErrorResponses}. The route table itself is in
 * {@link SignetHttp#routes}.
 */
final class Routes {

    private final DevSignIns devSignIns = new DevSignIns();
    private final SignetHttp.Capabilities c;
    private final Pages pages;
    private final String jwksJson;

    Routes(SignetHttp.Capabilities capabilities, Pages pages) {
        this.c = capabilities;
        this.pages = pages;
        this.jwksJson = Json.write(Discovery.jwks(capabilities.keys()));
    }

    // ---- protocol (what apps talk to)

    void discovery(Exchange x) {
        x.json(200, Json.write(Discovery.metadata(x.tenant())), true);
    }

    void jwks(Exchange x) {
        x.json(200, jwksJson, true);
    }

    void authorize(Exchange x) {
        Tenant tenant = x.tenant();
        Params params = x.params();
        answer(x, c.authorize().authorize(tenant, params, session(x)));
    }

    void resume(Exchange x) {
        Tenant tenant = x.tenant();
        String pending = x.query().get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED, "missing pending"));
        answer(x, c.authorize().resume(tenant, pending, session(x)), x.query().get("unknown_domain").orElse(""));
    }

    private void answer(Exchange x, AuthorizeOutcome outcome) {
        answer(x, outcome, "");
    }

    private void answer(Exchange x, AuthorizeOutcome outcome, String unknownDomain) {
        Tenant tenant = x.tenant();
        switch (outcome) {
            case AuthorizeOutcome.Redirect r -> x.redirect(r.location());
            case AuthorizeOutcome.SignIn s -> {
                x.journeyStarts();
                Map<String, String> q = new LinkedHashMap<>();
                q.put("pending", s.pendingId());
                s.loginHint().ifPresent(h -> q.put("login_hint", h));
                Optional<ConnectionSettings> chosen = s.connection().flatMap(tenant::connection);
                if (chosen.isEmpty() && s.connection().isEmpty()) { // login_hint with a routed domain skips the chooser
                    chosen = s.loginHint().flatMap(h -> SignInRouting.byEmail(tenant.settings().connections(), h));
                }
                if (chosen.isPresent()) {
                    x.redirect(tenant.urls().at(Path.SIGN_IN, chosen.get().id(), q));
                    return;
                }
                List<SignInView.Choice> choices = tenant.settings().connections().stream()
                        .map(k -> new SignInView.Choice(k.displayName(), tenant.urls().at(Path.SIGN_IN, k.id(), q).toString()))
                        .toList();
                String byEmail = SignInRouting.offered(tenant.settings().connections()) ? tenant.urls().at(Path.SIGN_IN).toString() : "";
                x.html(200, pages.signIn(new SignInView(tenant.settings().displayName(), s.clientName(), choices, Looks.of(tenant),
                        byEmail, s.pendingId(), s.loginHint().orElse(""), unknownDomain)));
            }
        }
    }

    void token(Exchange x) {
        Tenant tenant = x.tenant();
        if (!x.isForm()) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "the body must be application/x-www-form-urlencoded (RFC 6749 §3.2)");
        }
        TokenResponse r = c.token().handle(tenant, new TokenRequest(x.form(), x.header("Authorization")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", r.accessToken());
        body.put("token_type", r.tokenType());
        body.put("expires_in", r.expiresIn());
        r.refreshToken().ifPresent(t -> body.put("refresh_token", t));
        r.idToken().ifPresent(t -> body.put("id_token", t));
        if (!r.scope().isEmpty()) {
            body.put("scope", r.scope());
        }
        x.json(200, Json.write(body), false);
    }

    void userinfo(Exchange x) {
        Tenant tenant = x.tenant();
        x.json(200, Json.write(c.userinfo().handle(tenant, x.header("Authorization"))), false);
    }

    // ---- the sign-in journey (broker)

    void signIn(Exchange x) {
        Tenant tenant = x.tenant();
        Params q = x.query();
        String connection = x.pathParam("connection");
        String pending = q.get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                "This sign-in link is incomplete. Please start again from the application."));
        Broker.Started started = c.broker().start(tenant, connection, pending, q.get("login_hint"));
        x.setCookie(Broker.STATE_COOKIE, started.stateCookie(), Path.CALLBACK.value(), Duration.ofMinutes(15));
        if (started.formPost()) {
            x.setCrossSiteCookie(Broker.STATE_COOKIE_CROSS_SITE, started.stateCookie(), Path.CALLBACK.value(), Duration.ofMinutes(15));
        }
        x.redirect(started.upstream());
    }

    /** The sign-in page's email form: to the connection that lists the address's domain, or back to the chooser. */
    void signInByEmail(Exchange x) {
        Tenant tenant = x.tenant();
        Params q = x.query();
        String pending = q.get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                "This sign-in link is incomplete. Please start again from the application."));
        String email = q.get("email").orElse("");
        Optional<ConnectionSettings> to = SignInRouting.byEmail(tenant.settings().connections(), email);
        if (to.isPresent()) {
            x.redirect(tenant.urls().at(Path.SIGN_IN, to.get().id(), Map.of("pending", pending, "login_hint", email.trim())));
        } else {
            x.redirect(tenant.urls().at(Path.AUTHORIZE_RESUME, Map.of("pending", pending, "unknown_domain", SignInRouting.domainOf(email))));
        }
    }

    /**
     * The upstream's answer: a GET with a query string, or a form POST for connections that use
     * {@code response_mode=form_post} (only the body is read then). A cross-site POST brings only the
     * {@code SameSite=None} state cookie (see {@link Broker#STATE_COOKIE_CROSS_SITE}).
     */
    void callback(Exchange x) {
        Tenant tenant = x.tenant();
        String connection = x.pathParam("connection");
        boolean posted = x.method().equals("POST");
        Optional<String> lax = x.cookie(Broker.STATE_COOKIE);
        Optional<String> crossSite = x.cookie(Broker.STATE_COOKIE_CROSS_SITE);
        Broker.Finished done = c.broker().callback(tenant, connection, Exchange.single(posted ? x.form() : x.query()), posted,
                posted ? crossSite.or(() -> lax) : lax.or(() -> crossSite));
        x.clearCookie(Broker.STATE_COOKIE, Path.CALLBACK.value());
        if (crossSite.isPresent()) {
            x.setCrossSiteCookie(Broker.STATE_COOKIE_CROSS_SITE, "", Path.CALLBACK.value(), Duration.ZERO);
        }
        x.setCookie(Sessions.COOKIE, done.session().cookieValue(), "/", tenant.settings().sessionTtl());
        x.redirect(done.resume());
    }

    /** The built-in dev upstream's "login page" (GET) and its submission (POST). */
    void devUpstream(Exchange x) {
        Tenant tenant = x.tenant();
        String connection = x.pathParam("connection");
        boolean isDev = tenant.connection(connection).map(k -> k.options() instanceof DevSettings).orElse(false);
        if (!isDev) {
            throw UpstreamException.of(Reason.SIGNIN_UNKNOWN_CONNECTION, connection, "There is no such dev connection.", "not a dev connection");
        }
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
            x.html(200, pages.devUpstream(new DevUpstreamView(connection, tenant.urls().at(Path.DEV_UPSTREAM, connection).toString(),
                    state, nonce, redirect, p.get("login_hint").orElse("dev@example.com"))));
            return;
        }
        devSignIns.signedIn(connection);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", DevCodes.encode(p.get("name").orElse("Dev User"), p.require("email"), nonce));
        q.put("state", state);
        q.put("iss", DevConnector.issuerOf(tenant.urls(), connection));
        x.redirect(Urls.withQuery(java.net.URI.create(redirect), q));
    }

    // ---- pages

    /** A content-hashed static asset: cached for a year, since its name changes whenever its content does. */
    void asset(Exchange x) {
        Assets a = Assets.STYLESHEET;
        if (!a.name().equals(x.pathParam("name"))) {
            throw ProtocolException.of(Reason.NOT_FOUND, "no such asset");
        }
        x.asset(a.contentType(), a.bytes());
    }

    void home(Exchange x) {
        Tenant tenant = x.tenant();
        var s = tenant.settings();
        boolean dev = s.connections().stream().anyMatch(k -> k.options() instanceof DevSettings);
        x.html(200, pages.home(new HomeView(s.displayName(), tenant.issuer(), tenant.urls().at(Path.DISCOVERY).toString(),
                s.connections().stream().map(k -> k.displayName() + " (" + k.kind() + ")").toList(),
                s.clients().stream().map(ClientSettings::id).toList(), dev,
                tenant.client(ConfigLoader.DEMO_CLIENT_ID).isPresent() ? tenant.urls().at(Path.DEMO).toString() : null,
                Looks.of(tenant))));
    }

    void demoStart(Exchange x) {
        DemoApp.Start s = demo(x).start();
        x.setCookie(DemoApp.COOKIE, s.cookie(), Path.DEMO.value(), Duration.ofMinutes(15));
        x.redirect(s.authorizeUrl());
    }

    void demoCallback(Exchange x) {
        Tenant tenant = x.tenant();
        try {
            DemoApp.Result r = demo(x).finish(Exchange.single(x.query()), x.cookie(DemoApp.COOKIE));
            x.clearCookie(DemoApp.COOKIE, Path.DEMO.value());
            x.html(200, pages.demo(new DemoView(r.idTokenClaims(), r.userinfo(), tenant.urls().at(Path.DEMO).toString(),
                    tenant.urls().at(Path.HOME).toString())));
        } catch (DemoApp.DemoException e) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "The demo sign-in failed: " + e.getMessage());
        }
    }

    private DemoApp demo(Exchange x) {
        return c.demo().apply(x.tenant()).orElseThrow(() -> ProtocolException.of(Reason.NOT_FOUND, "the demo application is not enabled ("
                + ConfigLoader.DEMO_CLIENT_ID + ")"));
    }

    private SessionLookup session(Exchange x) {
        Tenant tenant = x.tenant();
        return c.sessions().lookup(tenant.name(), x.cookie(Sessions.COOKIE));
    }
}
