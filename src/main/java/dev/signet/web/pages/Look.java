package dev.signet.web.pages;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's branding as the page template needs it. Colours are validated hex colours
 * ({@code config.Branding}); {@code stylesheet} is the content-hashed stylesheet's URL on the
 * request's domain.
 */
public record Look(String brand, @Nullable String logoUrl, String primaryColor, String backgroundColor, String stylesheet) {

    /** For pages with no tenant (an unknown Host): no name, no logo, default colours, root-relative stylesheet. */
    public static final Look PLAIN = new Look("", null, "#2563eb", "#f7f7f8", "/assets/" + Assets.STYLESHEET.name());
}
