package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.broker.Broker;
import dev.signet.config.ClientSettings;
import dev.signet.config.ConfigLoader;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.Assets;
import dev.signet.web.pages.HomeView;
import dev.signet.web.pages.Pages;
import java.util.List;
import java.util.Objects;

/** The site itself: the tenant's home page, liveness and the static assets (these two on any Host). */
public final class SiteRoutes implements Mount {

    private final Broker broker;
    private final Pages pages;

    public SiteRoutes(Broker broker, Pages pages) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(Path.HOME, this::home),
                Route.get(Path.HEALTHZ, x -> x.text(200, "ok")).withAnyHost(),
                Route.get(Path.ASSETS, this::asset).withParam("name").withAnyHost());
    }

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
        boolean dev = broker.anyUnsafe(tenant);
        x.html(200, pages.home(new HomeView(s.displayName(), tenant.issuer(), tenant.urls().at(Path.DISCOVERY).toString(),
                s.connections().stream().map(k -> k.name() + " (" + k.kind() + ")").toList(),
                s.clients().stream().map(ClientSettings::id).toList(), dev,
                tenant.client(ConfigLoader.DEMO_CLIENT_ID).isPresent() ? tenant.urls().at(Path.DEMO).toString() : null,
                Looks.of(tenant))));
    }
}
