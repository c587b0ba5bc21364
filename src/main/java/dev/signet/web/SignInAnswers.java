package dev.signet.web;

import dev.signet.broker.SignInPolicy;
import dev.signet.broker.SignInPolicy.Step;
import dev.signet.protocol.Scopes;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.authorize.AuthorizeOutcome;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.ConsentView;
import dev.signet.web.pages.ContinueView;
import dev.signet.web.pages.DeviceView;
import dev.signet.web.pages.Pages;
import dev.signet.web.pages.SignInView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders what the authorization endpoint decided (back to the application, the device page's
 * approval, the consent page, or sign in) and, for a
 * sign-in, the step the broker's {@link SignInPolicy} decided: a redirect to the connection, the
 * chooser, or the page that continues to a connection. Decides nothing itself (shared by
 * {@link AuthorizeRoutes}, {@link SignInRoutes} and {@link DeviceRoutes}).
 */
final class SignInAnswers {

    private final SignInPolicy policy;
    private final Pages pages;

    SignInAnswers(SignInPolicy policy, Pages pages) {
        this.policy = policy;
        this.pages = pages;
    }

    /** What each scope gives the application, as the consent page says it (OIDC Core §5.4, §11). */
    private static final Map<String, String> SCOPE_MEANINGS = Map.of(
            Scopes.OPENID, "know who you are (your user id at this sign-in service)",
            Scopes.PROFILE, "your name and picture",
            Scopes.EMAIL, "your email address and whether it is verified",
            Scopes.OFFLINE_ACCESS, "keep access while you are not signed in (a refresh token)");

    /** {@code typed}: an address this browser just typed that no connection serves (the chooser names its domain). */
    void answer(Exchange x, AuthorizeOutcome outcome, Optional<String> typed) {
        Tenant tenant = x.tenant();
        switch (outcome) {
            case AuthorizeOutcome.Redirect r -> x.redirect(r.location());
            case AuthorizeOutcome.FormPost f -> x.formPost(f.action(), f.fields(), pages);
            case AuthorizeOutcome.DeviceApproved d -> x.html(200, pages.device(DeviceRoutes.view(tenant, DeviceView.Stage.APPROVED, "",
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
                switch (policy.forRequest(tenant, s.connection(), s.loginHint(), typed)) {
                    case Step.ToConnection to -> x.redirect(tenant.urls().at(Path.SIGN_IN, to.connectionId(), query(s.pendingId(), to.loginHint())));
                    case Step.Continue c -> render(x, c, s.pendingId());
                    case Step.Chooser c -> render(x, c, s);
                }
            }
        }
    }

    /** The page that continues to the connection an address typed routes to; empty when none does. */
    boolean continueByEmail(Exchange x, String pending, String email) {
        Optional<Step.Continue> to = policy.forTypedEmail(x.tenant(), email);
        to.ifPresent(c -> render(x, c, pending));
        return to.isPresent();
    }

    private void render(Exchange x, Step.Continue c, String pending) {
        Tenant tenant = x.tenant();
        String next = tenant.urls().at(Path.SIGN_IN, c.connectionId(), Map.of("pending", pending, "login_hint", c.loginHint())).toString();
        x.html(200, pages.continueTo(new ContinueView(c.name(), next, Looks.of(tenant))));
    }

    private void render(Exchange x, Step.Chooser c, AuthorizeOutcome.SignIn s) {
        Tenant tenant = x.tenant();
        Map<String, String> q = query(s.pendingId(), s.loginHint());
        List<SignInView.Choice> choices = c.choices().stream()
                .map(k -> new SignInView.Choice(k.name(), tenant.urls().at(Path.SIGN_IN, k.connectionId(), q).toString(),
                        k.unavailable().orElse("")))
                .toList();
        String byEmail = c.byEmail() ? tenant.urls().at(Path.SIGN_IN).toString() : "";
        x.html(200, pages.signIn(new SignInView(tenant.settings().displayName(), s.clientName(), choices, Looks.of(tenant),
                byEmail, s.pendingId(), c.emailHint(), c.unroutedDomain().orElse(""),
                tenant.urls().at(Path.AUTHORIZE_RESUME, Map.of("pending", s.pendingId())).toString())));
    }

    private static Map<String, String> query(String pending, Optional<String> loginHint) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("pending", pending);
        loginHint.ifPresent(h -> q.put("login_hint", h));
        return q;
    }
}
