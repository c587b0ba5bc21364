package dev.signet.config;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * How a tenant's hosted pages look. Colours are validated CSS hex colours ({@code #rgb} or
 * {@code #rrggbb}) because they are written into a stylesheet; the logo is an https URL (or http on
 * a loopback host) shown as an image.
 */
public record Branding(Optional<URI> logoUrl, String primaryColor, String backgroundColor) {

    public static final String DEFAULT_PRIMARY = "#2563eb";
    public static final String DEFAULT_BACKGROUND = "#f7f7f8";
    public static final Branding DEFAULT = new Branding(Optional.empty(), DEFAULT_PRIMARY, DEFAULT_BACKGROUND);

    public Branding {
        if (!isColor(primaryColor) || !isColor(backgroundColor)) {
            throw new IllegalArgumentException("colours must be #rgb or #rrggbb");
        }
    }

    /** {@code #rgb} or {@code #rrggbb}, nothing else (the value lands in CSS). */
    public static boolean isColor(String s) {
        if (!(s.length() == 4 || s.length() == 7) || s.charAt(0) != '#') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A tenant's {@code branding:}; absent, the default look. */
    static Branding read(ConfigNode tenant) {
        if (!tenant.has("branding")) {
            return DEFAULT;
        }
        ConfigNode b = tenant.child("branding");
        b.allowOnly(Set.of("logo_url", "primary_color", "background_color"));
        Optional<URI> logo = b.optUri("logo_url");
        logo.filter(u -> "http".equals(u.getScheme()) && !ConfigLoader.isLoopback(u.getHost()))
                .ifPresent(u -> b.problem("logo_url", "must be https (or http on a loopback host)"));
        return new Branding(logo.filter(u -> "https".equals(u.getScheme()) || ConfigLoader.isLoopback(u.getHost())),
                color(b, "primary_color", DEFAULT_PRIMARY), color(b, "background_color", DEFAULT_BACKGROUND));
    }

    private static String color(ConfigNode b, String key, String fallback) {
        String c = b.optString(key).orElse(fallback);
        if (!isColor(c)) {
            b.problem(key, "must be a hex colour like #1a2b3c or #abc, got '" + c + "'");
            return fallback;
        }
        return c;
    }
}
