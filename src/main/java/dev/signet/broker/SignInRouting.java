package dev.signet.broker;

import dev.signet.config.ConnectionSettings;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Home-realm discovery for the hosted sign-in page: a connection lists the email domains whose users
 * it signs in ({@code email_domains}); an address typed on the page, or an OIDC {@code login_hint}
 * (OIDC Core §3.1.2.1) sent by the application, picks that connection and skips the chooser. Domains
 * compare case-insensitively; the first connection listing a domain wins.
 */
public final class SignInRouting {

    private SignInRouting() {}

    /** The connection for {@code email}'s domain; empty when it is not an address or no connection lists its domain. */
    public static Optional<ConnectionSettings> byEmail(List<ConnectionSettings> connections, String email) {
        String e = email.trim();
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1) {
            return Optional.empty();
        }
        String domain = e.substring(at + 1).toLowerCase(Locale.ROOT);
        for (ConnectionSettings c : connections) {
            for (String d : c.emailDomains()) {
                if (d.equalsIgnoreCase(domain)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the sign-in page should offer "continue with your email". */
    public static boolean offered(List<ConnectionSettings> connections) {
        return connections.stream().anyMatch(c -> !c.emailDomains().isEmpty());
    }

    /** The domain part of what was typed, for the page's notice (at most 100 characters). */
    public static String domainOf(String email) {
        String e = email.trim();
        String d = e.substring(e.lastIndexOf('@') + 1);
        return d.length() > 100 ? d.substring(0, 100) : d;
    }
}
