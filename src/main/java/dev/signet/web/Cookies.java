package dev.signet.web;

import dev.signet.tenant.Domain;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for the names and paths of every cookie Signet sets or reads (session, upstream
 * state, demo, trace), by the domain a request is on. Cookie name prefixes (RFC 6265bis §4.1.3)
 * make the browser itself refuse a cookie that a sibling host or a plain-http page tries to plant
 * under the name (cookie tossing: login CSRF with an attacker's state or session cookie):
 *
 * <pre>
 *   domain                               name            Path                 Secure
 *   https, no path prefix                __Host-NAME     /                    yes   (no Domain: host-only)
 *   https under a prefix (proxy)         __Secure-NAME   PREFIX + path        yes
 *   http (loopback dev, plain test)      NAME            PREFIX + path        no
 * </pre>
 *
 * {@code __Host-} requires {@code Path=/}, so on such a domain every cookie is {@code Path=/} (the
 * state cookie too: being unplantable matters more than being sent only to {@code /callback}).
 * Behind a path prefix {@code Path=/} would share cookies with whatever else the host serves, so
 * {@code __Secure-} with the prefix path is the best the browser offers there. On an https domain
 * only the prefixed name is read: an unprefixed cookie of the same name is ignored, whoever set it.
 */
final class Cookies {

    private Cookies() {}

    /** The cookie's name on {@code domain} (null: no domain bound, as for Host-agnostic routes). */
    static String name(@Nullable Domain domain, String name) {
        if (domain == null || !domain.secure()) {
            return name;
        }
        return domain.pathPrefix().isEmpty() ? "__Host-" + name : "__Secure-" + name;
    }

    /** The cookie's {@code Path} on {@code domain}; {@code path} is relative to the domain's base. */
    static String path(@Nullable Domain domain, String path) {
        String prefix = domain == null ? "" : domain.pathPrefix();
        if (domain != null && domain.secure() && prefix.isEmpty()) {
            return "/";
        }
        return prefix.isEmpty() ? path : path.equals("/") ? prefix : prefix + path;
    }

    static boolean secure(@Nullable Domain domain) {
        return domain != null && domain.secure();
    }
}
