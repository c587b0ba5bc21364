package dev.signet.web;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.broker.SignInPolicy;
import dev.signet.protocol.Params;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import dev.signet.web.pages.Pages;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The authorization endpoint (OIDC Core §3.1.2.1: GET and POST) and its resumption after a sign-in
 * at an upstream ({@code /authorize/resume?pending=…}, where the broker hands back), and the consent
 * page's answer ({@code POST /consent}).
 */
public final class AuthorizeRoutes implements Mount {

    private final AuthorizeEndpoint authorize;
    private final Sessions sessions;
    private final SignInAnswers answers;

    public AuthorizeRoutes(AuthorizeEndpoint authorize, Sessions sessions, SignInPolicy policy, Pages pages) {
        this.authorize = Objects.requireNonNull(authorize, "authorize");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.answers = new SignInAnswers(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(pages, "pages"));
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(Path.AUTHORIZE, this::authorize).withLimit(Group.AUTHORIZE),
                Route.post(Path.AUTHORIZE, this::authorize).withLimit(Group.AUTHORIZE),
                Route.get(Path.AUTHORIZE_RESUME, this::resume).withLimit(Group.PAGES),
                Route.post(Path.CONSENT, this::consent).withLimit(Group.PAGES));
    }

    void authorize(Exchange x) {
        Tenant tenant = x.tenant();
        answers.answer(x, authorize.authorize(tenant, x.params(), sessions.lookup(tenant.name(), x.cookie(Sessions.COOKIE))), Optional.empty());
    }

    void resume(Exchange x) {
        Tenant tenant = x.tenant();
        String pending = x.query().get("pending").orElseThrow(() -> ProtocolException.of(Reason.SIGNIN_EXPIRED, "missing pending"));
        answers.answer(x, authorize.resume(tenant, pending, sessions.lookup(tenant.name(), x.cookie(Sessions.COOKIE))), Optional.empty());
    }

    /**
     * The consent page's answer (a POST from Signet's own page, OIDC Core §3.1.2.4): the CSRF token
     * binds it to this browser's session and the waiting request; without a session the sign-in page
     * comes back.
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
        answers.answer(x, authorize.consent(tenant, pending, sessions.lookup(tenant.name(), cookie),
                f.get("decision").filter("approve"::equals).isPresent()), Optional.empty());
    }
}
