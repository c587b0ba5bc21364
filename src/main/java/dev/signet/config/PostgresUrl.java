package dev.signet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a {@code data.postgres.url}: {@code jdbc:postgresql://host[:port][,host:port…]/database[?params]}
 * (pgjdbc's URL form). Credentials do not belong in it: {@code data.postgres.user} and {@code password}
 * carry them, so the URL can be logged and shown.
 */
final class PostgresUrl {

    static final String PREFIX = "jdbc:postgresql://";

    private PostgresUrl() {}

    /** Every problem of {@code url}; empty when it is usable. */
    static List<String> problems(String url) {
        List<String> out = new ArrayList<>();
        if (!url.startsWith(PREFIX)) {
            out.add("must be a PostgreSQL JDBC URL like jdbc:postgresql://db.example.com:5432/signet");
            return out;
        }
        String rest = url.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String pathAndQuery = slash < 0 ? "" : rest.substring(slash + 1);
        int q = pathAndQuery.indexOf('?');
        String database = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        if (hosts.isEmpty()) {
            out.add("names no host (jdbc:postgresql://HOST:5432/DATABASE)");
        }
        if (hosts.contains("@")) {
            out.add("must not contain credentials (use data.postgres.user and data.postgres.password)");
        } else {
            for (String host : hosts.isEmpty() ? new String[0] : hosts.split(",", -1)) {
                hostProblem(host).ifPresent(out::add);
            }
        }
        if (database.isEmpty()) {
            out.add("names no database (jdbc:postgresql://host:5432/DATABASE)");
        } else if (!database.matches("[A-Za-z0-9_$.-]+")) {
            out.add("has an unusual database name '" + database + "' (letters, digits, _ $ . - only)");
        }
        for (String param : query.isEmpty() ? new String[0] : query.split("&")) {
            String name = param.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (name.equals("user") || name.equals("password")) {
                out.add("must not contain the parameter '" + name + "' (use data.postgres." + name + ", the password from the environment)");
            }
        }
        return out;
    }

    private static Optional<String> hostProblem(String host) {
        if (host.isEmpty()) {
            return Optional.of("has an empty host in its host list");
        }
        String name = host;
        String port = null;
        if (host.startsWith("[")) { // IPv6 literal
            int end = host.indexOf(']');
            if (end < 0) {
                return Optional.of("has an unclosed IPv6 literal '" + host + "'");
            }
            name = host.substring(0, end + 1);
            port = end + 1 < host.length() && host.charAt(end + 1) == ':' ? host.substring(end + 2) : null;
        } else if (host.contains(":")) {
            name = host.substring(0, host.indexOf(':'));
            port = host.substring(host.indexOf(':') + 1);
        }
        if (name.isEmpty() || !name.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+")) {
            return Optional.of("has an invalid host '" + name + "'");
        }
        if (port != null) {
            try {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    return Optional.of("has port " + p + ", outside 1-65535");
                }
            } catch (NumberFormatException e) {
                return Optional.of("has an invalid port '" + port + "'");
            }
        }
        return Optional.empty();
    }
}
