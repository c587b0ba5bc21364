package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ConfigLoader;
import dev.signet.demo.DemoApp;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import dev.signet.web.pages.DemoView;
import dev.signet.web.pages.Pages;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** The built-in demo application ({@code demo_client: true}): start a sign-in, show the claims it got. */
public final class DemoRoutes implements Mount {

    private final Function<Tenant, Optional<DemoApp>> demo;
    private final Pages pages;

    /** {@code demo}: the demo app for a tenant on a domain, if it has one. */
    public DemoRoutes(Function<Tenant, Optional<DemoApp>> demo, Pages pages) {
        this.demo = Objects.requireNonNull(demo, "demo");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(Path.DEMO, this::demoStart),
                Route.get(Path.DEMO_CALLBACK, this::demoCallback).withLimit(Group.CALLBACK));
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
        return demo.apply(x.tenant()).orElseThrow(() -> ProtocolException.of(Reason.NOT_FOUND, "the demo application is not enabled ("
                + ConfigLoader.DEMO_CLIENT_ID + ")"));
    }
}
