package dev.signet.web;

import dev.signet.broker.Broker;
import dev.signet.broker.SignInRouting;
import dev.signet.config.ConnectionSettings;
import dev.signet.protocol.authorize.AuthorizeOutcome;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.Pages;
import dev.signet.web.pages.SignInView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Answers what the authorization endpoint decided: back to the application, or on to sign in (shared by /authorize and /signin). */
final class SignInAnswers {

    private final Broker broker;
    private final Pages pages;

    SignInAnswers(Broker broker, Pages pages) {
        this.broker = broker;
        this.pages = pages;
    }

    void answer(Exchange x, AuthorizeOutcome outcome) {
        answer(x, outcome, "");
    }

    void answer(Exchange x, AuthorizeOutcome outcome, String unknownDomain) {
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
                List<SignInView.Choice> choices = broker.choices(tenant).stream()
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
}
