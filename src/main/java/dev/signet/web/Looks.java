package dev.signet.web;

import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.Assets;
import dev.signet.web.pages.Look;
import org.jspecify.annotations.Nullable;

/** A tenant's branding for the page template, with the stylesheet's URL on the request's domain. */
final class Looks {

    private Looks() {}

    static Look of(@Nullable Tenant tenant) {
        if (tenant == null) {
            return Look.PLAIN;
        }
        var b = tenant.branding();
        return new Look(tenant.settings().displayName(), b.logoUrl().map(Object::toString).orElse(null), b.primaryColor(),
                b.backgroundColor(), tenant.urls().at(Path.ASSETS, Assets.STYLESHEET.name()).toString());
    }
}
