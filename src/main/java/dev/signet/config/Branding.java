package dev.signet.config;

import java.net.URI;
import java.util.Optional;

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
}
