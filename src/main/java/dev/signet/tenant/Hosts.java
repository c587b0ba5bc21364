package dev.signet.tenant;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Host} / {@code X-Forwarded-Host} value (RFC 9110 §7.2: {@code uri-host [":" port]})
 * into the lookup key of a domain: the lower-case ASCII host name, IPv6 literals in brackets and in
 * canonical form. Anything else (spaces, paths, user info, '@', CR/LF, non-ASCII) is not a host: the
 * lookup fails and the value is never used further. Browsers send IDN hosts in punycode.
 */
public final class Hosts {

    private Hosts() {}

    /** The host part of a Host header, normalised; empty when it is malformed. */
    public static Optional<String> key(String headerValue) {
        String v = headerValue.trim();
        if (v.isEmpty() || v.length() > 300) {
            return Optional.empty();
        }
        String host;
        String port = "";
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            host = v.substring(0, end + 1);
            String rest = v.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
        } else {
            int colon = v.indexOf(':');
            host = colon < 0 ? v : v.substring(0, colon);
            port = colon < 0 ? "" : v.substring(colon + 1);
            if (colon >= 0 && port.isEmpty()) {
                return Optional.empty();
            }
        }
        if (!port.isEmpty() && !(port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                && Integer.parseInt(port) <= 65535)) {
            return Optional.empty();
        }
        return canonicalHost(host);
    }

    /** A host name or IP literal in canonical lookup form; empty when it is not one. */
    public static Optional<String> canonicalHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String lit = host.substring(1, host.length() - 1);
            if (lit.isEmpty() || !lit.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return Optional.empty();
            }
            try {
                return Optional.of("[" + InetAddress.getByName(lit).getHostAddress() + "]");
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty() || h.length() > 253 || h.startsWith(".") || h.contains("..")) {
            return Optional.empty();
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok) {
                return Optional.empty();
            }
        }
        return Optional.of(h.toLowerCase(Locale.ROOT));
    }
}
