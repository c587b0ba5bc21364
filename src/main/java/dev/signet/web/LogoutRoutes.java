package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.protocol.logout.EndSessionEndpoint;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import dev.signet.web.pages.LogoutView;
import dev.signet.web.pages.Pages;
import dev.signet.web.pages.SignedOutView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The end-session endpoint (RP-Initiated Logout 1.0 §2: GET and POST) and its confirmation page. */
public final class LogoutRoutes implements Mount {

    private final EndSessionEndpoint endSession;
    private final Sessions sessions;
    private final Pages pages;

    public LogoutRoutes(EndSessionEndpoint endSession, Sessions sessions, Pages pages) {
        this.endSession = Objects.requireNonNull(endSession, "endSession");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(Path.END_SESSION, this::endSession).withLimit(Group.PAGES),
                Route.post(Path.END_SESSION, this::endSession).withLimit(Group.PAGES));
    }

    /**
     * GET or POST. The confirmation page's own POST must come from Signet's page (same origin, CSRF
     * token); its form-action allows the verified post_logout_redirect_uri, which the answer redirects to.
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
        switch (endSession.handle(tenant, p, sessions.lookup(tenant.name(), cookie), cookie)) {
            case EndSessionEndpoint.Confirm k -> x.html(200, pages.logout(new LogoutView(tenant.settings().displayName(),
                    k.clientName().orElse(""), tenant.urls().at(Path.END_SESSION).toString(), k.hidden(), k.csrf(),
                    tenant.urls().at(Path.HOME).toString(), Looks.of(tenant))), k.after().map(List::of).orElse(List.of()));
            case EndSessionEndpoint.SignedOut done -> {
                if (cookie.isPresent()) {
                    sessions.forget(cookie.get());
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
}
