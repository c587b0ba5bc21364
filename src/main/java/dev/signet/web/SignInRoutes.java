package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.broker.Broker;
import dev.signet.broker.SignInPolicy;
import dev.signet.protocol.Params;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Route.Journey;
import dev.signet.web.Throttle.Group;
import dev.signet.web.pages.Pages;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sign-in journey at upstreams (broker): the sign-in page's email form, the start at a
 * connection, and the upstream's callback. The start and the callback feed the sign-in counters.
 */
public final class SignInRoutes implements Mount {

    private final Broker broker;
    private final AuthorizeEndpoint authorize;
    private final Sessions sessions;
    private final SignInAnswers answers;

    public SignInRoutes(Broker broker, SignInPolicy policy, AuthorizeEndpoint authorize, Sessions sessions, Pages pages) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.authorize = Objects.requireNonNull(authorize, "authorize");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.answers = new SignInAnswers(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(pages, "pages"));
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post(Path.SIGN_IN, this::signInByEmail).withLimit(Group.PAGES),
                Route.get(Path.SIGN_IN, this::signIn).withParam("connection").withLimit(Group.PAGES).withJourney(Journey.START),
                Route.get(Path.CALLBACK, this::callback).withParam("connection").withLimit(Group.CALLBACK).withJourney(Journey.FINISH),
                // response_mode=form_post
                Route.post(Path.CALLBACK, this::callback).withParam("connection").withLimit(Group.CALLBACK).withJourney(Journey.FINISH));
    }

    void signIn(Exchange x) {
        Tenant tenant = x.tenant();
        Params q = x.query();
        String connection = x.pathParam("connection");
        String pending = q.get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED,
                "This sign-in link is incomplete. Please start again from the application."));
        Broker.Started started = broker.start(tenant, connection, pending, q.get("login_hint"));
        x.setCookie(Broker.STATE_COOKIE, started.stateCookie(), Path.CALLBACK.value(), Duration.ofMinutes(15));
        if (started.formPost()) {
            x.setCrossSiteCookie(Broker.STATE_COOKIE_CROSS_SITE, started.stateCookie(), Path.CALLBACK.value(), Duration.ofMinutes(15));
        }
        x.redirect(started.upstream());
    }

    /**
     * The sign-in page's email form (a POST from Signet's own page): as the broker's {@link SignInPolicy}
     * decides, to the connection that lists the address's domain, or the chooser again, rendered in this response with a notice naming the
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
        if (!answers.continueByEmail(x, pending, email)) {
            answers.answer(x, authorize.resume(tenant, pending, sessions.lookup(tenant.name(), x.cookie(Sessions.COOKIE))),
                    Optional.of(email));
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
        // the waiting request's code in the same transaction when it needs no page (issue 16), else /authorize/resume
        Broker.Finished done = broker.callback(tenant, connection, Exchange.single(posted ? x.form() : x.query()), posted,
                posted ? crossSite.or(() -> lax) : lax.or(() -> crossSite), authorize::resumeWithin);
        x.clearCookie(Broker.STATE_COOKIE, Path.CALLBACK.value());
        if (crossSite.isPresent()) {
            x.setCrossSiteCookie(Broker.STATE_COOKIE_CROSS_SITE, "", Path.CALLBACK.value(), Duration.ZERO);
        }
        x.setCookie(Sessions.COOKIE, done.session().cookieValue(), "/", tenant.settings().sessionTtl());
        x.redirect(done.resume());
    }
}
