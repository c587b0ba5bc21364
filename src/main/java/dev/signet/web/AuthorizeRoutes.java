package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.broker.SignInPolicy;
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
 * at an upstream ({@code /authorize/resume?pending=…}, where the broker hands back).
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
                Route.get(Path.AUTHORIZE_RESUME, this::resume).withLimit(Group.PAGES));
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
}
