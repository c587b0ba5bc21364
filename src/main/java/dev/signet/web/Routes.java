package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.broker.Broker;
import dev.signet.broker.SignInRouting;
import dev.signet.config.ClientSettings;
import dev.signet.config.ConfigLoader;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.HostedUpstream;
import dev.signet.demo.DemoApp;
import dev.signet.protocol.Discovery;
import dev.signet.protocol.Params;
import dev.signet.Ids;
import dev.signet.protocol.Scopes;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.authorize.AuthorizeOutcome;
import dev.signet.protocol.device.DeviceAuthorization;
import dev.signet.protocol.device.DeviceAuthorizationEndpoint;
import dev.signet.protocol.device.UserCodes;
import dev.signet.protocol.logout.EndSessionEndpoint;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.protocol.token.TokenResponse;
import dev.signet.session.SessionLookup;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.Assets;
import dev.signet.web.pages.ConsentView;
import dev.signet.web.pages.ContinueView;
import dev.signet.web.pages.LogoutView;
import dev.signet.web.pages.SignedOutView;
import dev.signet.web.pages.DemoView;
import dev.signet.web.pages.DevUpstreamView;
import dev.signet.web.pages.DeviceView;
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
    /** Each tenant's JWKS document as last served, by tenant name, rebuilt when the published key set changes (rotation). */
    private final java.util.concurrent.ConcurrentMap<String, java.util.Map.Entry<com.nimbusds.jose.jwk.JWKSet, String>> jwksJson =
            new java.util.concurrent.ConcurrentHashMap<>();

    Routes(SignetHttp.Capabilities capabilities, Pages pages) {
        this.c = capabilities;
        this.pages = pages;
    }

    // ---- protocol (what apps talk to)

    void discovery(Exchange x) {
        x.json(200, Json.write(Discovery.metadata(x.tenant())), true);
    }

    void jwks(Exchange x) {
        String tenant = x.tenant().name();
        com.nimbusds.jose.jwk.JWKSet published = c.keys().keys(tenant).publicKeys();
        var cached = jwksJson.get(tenant);
        if (cached == null || cached.getKey() != published) {
            cached = java.util.Map.entry(published, Json.write(published.toJSONObject(true)));
            jwksJson.put(tenant, cached);
        }
        x.json(200, cached.getValue(), true);
    }

    void authorize(Exchange x) {
        Tenant tenant = x.tenant();
        Params params = x.params();
        answer(x, c.authorize().authorize(tenant, params, session(x)));
    }

    void resume(Exchange x) {
        Tenant tenant = x.tenant();
        String pending = x.query().get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED, "missing pending"));
        answer(x, c.authorize().resume(tenant, pending, session(x)));
    }

    private void answer(Exchange x, AuthorizeOutcome outcome) {
        answer(x, outcome, "");
    }

    private void answer(Exchange x, AuthorizeOutcome outcome, String unknownDomain) {
        Tenant tenant = x.tenant();
        switch (outcome) {
            case AuthorizeOutcome.Redirect r -> x.redirect(r.location());
            case AuthorizeOutcome.DeviceApproved d -> x.html(200, pages.device(deviceView(tenant, DeviceView.Stage.APPROVED, "",
                    d.clientName(), "", "")));
            // The approval answers with a redirect to the application: CSP form-action must allow its
            // redirect URI (registered, from the waiting request), as on the dev form (issue 11 defect 9).
            case AuthorizeOutcome.Consent k -> x.html(200, pages.consent(new ConsentView(tenant.settings().displayName(), k.clientName(),
                    Scopes.SUPPORTED.stream().filter(k.scopes()::contains).map(sc -> new ConsentView.Scope(sc, SCOPE_MEANINGS.get(sc))).toList(),
                    tenant.urls().at(Path.CONSENT).toString(), k.pendingId(),
                    AuthorizeEndpoint.consentCsrf(x.cookie(Sessions.COOKIE).orElse(""), k.pendingId()), Looks.of(tenant))),
                    List.of(k.redirectUri()));
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
                List<SignInView.Choice> choices = c.broker().choices(tenant).stream()
                        .map(k -> new SignInView.Choice(k.name(), tenant.urls().at(Path.SIGN_IN, k.connectionId(), q).toString(),
                                k.unavailable().orElse("")))
                        .toList();
                String byEmail = SignInRouting.offered(tenant.settings().connections()) ? tenant.urls().at(Path.SIGN_IN).toString() : "";
                x.html(200, pages.signIn(new SignInView(tenant.settings().displayName(), s.clientName(), choices, Looks.of(tenant),
                        byEmail, s.pendingId(), s.loginHint().orElse(""), unknownDomain,
                        tenant.urls().at(Path.AUTHORIZE_RESUME, Map.of("pending", s.pendingId())).toString())));
            }
        }
    }

    /** What each scope gives the application, as the consent page says it (OIDC Core §5.4, §11). */
    private static final Map<String, String> SCOPE_MEANINGS = Map.of(
            Scopes.OPENID, "know who you are (your user id at this sign-in service)",
            Scopes.PROFILE, "your name and picture",
            Scopes.EMAIL, "your email address and whether it is verified",
            Scopes.OFFLINE_ACCESS, "keep access while you are not signed in (a refresh token)");

    /**
     * The consent page's answer (a POST from Signet's own page): the CSRF token binds it to this
     * browser's session and the waiting request; without a session the sign-in page comes back.
     */
    void consent(Exchange x) {
        Tenant tenant = x.tenant();
        x.requireSameOrigin();
        Params f = x.form();
        String pending = f.get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                "This sign-in link is incomplete. Please start again from the application."));
        Optional<String> cookie = x.cookie(Sessions.COOKIE);
        if (cookie.isPresent() && !Ids.sameHash(AuthorizeEndpoint.consentCsrf(cookie.get(), pending), f.get("csrf").orElse(""))) {
            throw ProtocolException.of(Reason.FORM_INVALID, "This form has expired. Please start again from the application.",
                    "consent csrf token does not match the session");
        }
        answer(x, c.authorize().consent(tenant, pending, session(x), f.get("decision").filter("approve"::equals).isPresent()));
    }

    /**
     * The end-session endpoint (RP-Initiated Logout 1.0), GET or POST. The confirmation page's own
     * POST must come from Signet's page (same origin, CSRF token); its form-action allows the verified
     * post_logout_redirect_uri, which the answer redirects to.
     */
    void endSession(Exchange x) {
        Tenant tenant = x.tenant();
        Params p = x.params();
        if (p.get("confirm").isPresent()) {
            if (!x.method().equals("POST")) {
                throw ProtocolException.of(Reason.FORM_INVALID, "Sign-out must be confirmed on the sign-out page.", "confirm sent by GET");
            }
            x.requireSameOrigin();
        }
        Optional<String> cookie = x.cookie(Sessions.COOKIE);
        switch (c.endSession().handle(tenant, p, session(x), cookie)) {
            case EndSessionEndpoint.Confirm k -> x.html(200, pages.logout(new LogoutView(tenant.settings().displayName(),
                    k.clientName().orElse(""), tenant.urls().at(Path.END_SESSION).toString(), k.hidden(), k.csrf(),
                    tenant.urls().at(Path.HOME).toString(), Looks.of(tenant))), k.after().map(List::of).orElse(List.of()));
            case EndSessionEndpoint.SignedOut done -> {
                if (cookie.isPresent()) {
                    c.sessions().forget(cookie.get());
                    x.clearCookie(Sessions.COOKIE, "/");
                }
                if (done.after().isPresent()) {
                    x.redirect(done.after().get());
                } else {
                    x.html(200, pages.signedOut(new SignedOutView(tenant.settings().displayName(), done.clientName().orElse(""), Looks.of(tenant))));
                }
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

    // ---- issue 14: introspection (RFC 7662), revocation (RFC 7009), device authorization (RFC 8628)

    void introspect(Exchange x) {
        x.json(200, Json.write(c.introspect().handle(x.tenant(), clientRequest(x))), false);
    }

    /** RFC 7009 §2.2: 200 whether or not anything was revoked; the body is ignored by clients. */
    void revoke(Exchange x) {
        c.revoke().handle(x.tenant(), clientRequest(x));
        x.json(200, "{}", false);
    }

    void deviceAuthorization(Exchange x) {
        DeviceAuthorization d = c.device().handle(x.tenant(), clientRequest(x));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", d.deviceCode());
        body.put("user_code", d.userCode());
        body.put("verification_uri", d.verificationUri().toString());
        body.put("verification_uri_complete", d.verificationUriComplete().toString());
        body.put("expires_in", d.expiresIn());
        body.put("interval", d.interval());
        x.json(200, Json.write(body), false);
    }

    /** A request to an endpoint a client calls with its credentials: a form body (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1). */
    private static TokenRequest clientRequest(Exchange x) {
        if (!x.isForm()) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "the body must be application/x-www-form-urlencoded");
        }
        return new TokenRequest(x.form(), x.header("Authorization"));
    }

    /**
     * The device verification page (RFC 8628 §3.3). GET: the code form, filled in from
     * {@code verification_uri_complete} only when the value is a well-formed code (text from a URL is
     * never shown otherwise). POST without {@code decision}: the code is looked up (rate-limited per
     * address, §5.1) and the user confirms or denies; {@code approve} continues into the usual sign-in
     * ({@link dev.signet.protocol.authorize.AuthorizeEndpoint#device}), {@code deny} answers the
     * device's next poll with {@code access_denied}. The code itself is shown for comparison with the
     * device's screen (§5.4, remote phishing).
     */
    void device(Exchange x) {
        Tenant tenant = x.tenant();
        if (x.method().equals("GET")) {
            String code = x.query().get("user_code").flatMap(UserCodes::normalize).map(UserCodes::display).orElse("");
            x.html(200, pages.device(deviceView(tenant, DeviceView.Stage.ENTER, code, "", "", "")));
            return;
        }
        x.requireSameOrigin();
        Params f = x.form();
        String typed = f.get("user_code").orElse("");
        Optional<DeviceAuthorizationEndpoint.Waiting> waiting = c.device().waiting(tenant, typed);
        if (waiting.isEmpty()) {
            x.html(400, pages.device(deviceView(tenant, DeviceView.Stage.ENTER, "", "", "",
                    "That code is not valid, or it expired or was already used. Check the code on your device and type it again.")));
            return;
        }
        var w = waiting.get();
        switch (f.get("decision").orElse("")) {
            case "" -> x.html(200, pages.device(deviceView(tenant, DeviceView.Stage.CONFIRM, w.userCode(), w.clientName(), w.scope(), "")));
            case "deny" -> {
                c.device().deny(tenant, w.id());
                x.html(200, pages.device(deviceView(tenant, DeviceView.Stage.DENIED, "", w.clientName(), "", "")));
            }
            case "approve" -> answer(x, c.authorize().device(tenant, w.id(), w.clientId(), w.clientName(), session(x)));
            default -> throw ProtocolException.of(Reason.INVALID_REQUEST, "decision must be approve or deny");
        }
    }

    private static DeviceView deviceView(Tenant tenant, DeviceView.Stage stage, String code, String client, String scope, String error) {
        return new DeviceView(stage, tenant.settings().displayName(), tenant.urls().at(Path.DEVICE).toString(), code, client, scope, error,
                Looks.of(tenant));
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

    /**
     * The sign-in page's email form (a POST from Signet's own page): to the connection that lists the
     * address's domain, or the chooser again, rendered in this response with a notice naming the
     * domain typed. Text a user typed is only ever shown in the answer to that user's own POST: never
     * read from a URL (a link anyone can send, with a pending authorization anyone can create) and
     * never from another site's form ({@link Exchange#requireSameOrigin}).
     *
     * <p>The way on to the connection is a 200 page that navigates by itself (meta refresh, and a link),
     * not a redirect: CSP {@code form-action 'self'} governs every redirect that answers a form's
     * submission, and the chain from here leaves Signet's origin (the upstream, which may pass through
     * further origins of its own and, for a user already signed in there, straight back through the
     * callback to the application). Those origins cannot be listed, and the sign-in page keeps
     * {@code form-action 'self'}; a navigation that is not a form submission is not subject to it.
     * Issue 11, defect 9 (found in Chromium by {@code SignInPageBrowserTest}).
     */
    void signInByEmail(Exchange x) {
        Tenant tenant = x.tenant();
        x.requireSameOrigin();
        Params f = x.form();
        String pending = f.get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                "This sign-in link is incomplete. Please start again from the application."));
        String email = f.get("email").orElse("");
        Optional<ConnectionSettings> to = SignInRouting.byEmail(tenant.settings().connections(), email);
        if (to.isPresent()) {
            String next = tenant.urls().at(Path.SIGN_IN, to.get().id(), Map.of("pending", pending, "login_hint", email.trim())).toString();
            x.html(200, pages.continueTo(new ContinueView(to.get().displayName(), next, Looks.of(tenant))));
        } else {
            answer(x, c.authorize().resume(tenant, pending, session(x)), SignInRouting.domainOf(email));
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
        HostedUpstream hosted = c.broker().hostedUpstream(tenant, connection).orElseThrow(() -> UpstreamException.of(
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
     * the form's POST (callback → {@code /authorize/resume} → the application), so with
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
                : c.broker().pendingOf(tenant, connection, state).flatMap(pending -> c.authorize().redirectUriOf(tenant, pending));
        if (app.isEmpty()) {
            boolean signedIn = session(x) instanceof SessionLookup.Valid;
            x.html(200, pages.devUpstream(DevUpstreamView.finished(connection, signedIn)));
            return;
        }
        x.html(200, pages.devUpstream(new DevUpstreamView(connection, action, state, nonce, redirect, email, false, false)),
                List.of(java.net.URI.create(redirect), app.get()));
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
        boolean dev = c.broker().anyUnsafe(tenant);
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
