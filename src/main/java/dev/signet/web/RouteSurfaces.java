package dev.signet.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which surface a request's errors are answered on when no route handled it: a request Helidon
 * refused before routing, or one the 404 catch-all took (a path no route matches, or a route's path
 * with another method). Taken from the mounted routes' declared {@link Surface}, so a new JSON
 * endpoint is declared in one place, its {@link Route}; a path no route names is a page unless the
 * client asks for JSON only ({@code Accept}).
 */
final class RouteSurfaces {

    /** One mounted route's path: {@code prefix} exactly, or {@code prefix} + one path segment when it has a parameter. */
    private record Entry(String prefix, boolean param, Surface surface) {
        boolean matches(String path) {
            if (!param) {
                return path.equals(prefix);
            }
            return path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0;
        }
    }

    private final List<Entry> entries;

    RouteSurfaces(List<Mount> mounts) {
        this.entries = mounts.stream().flatMap(m -> m.routes().stream())
                .map(r -> new Entry(r.param().isEmpty() ? r.path().value()
                        : r.path().value().endsWith("/") ? r.path().value() : r.path().value() + "/", r.param().isPresent(), r.surface()))
                .toList();
    }

    /** The surface of a mounted route whose path (any method) matches {@code rawPath} (query ignored), if any. */
    Optional<Surface> of(String rawPath) {
        int query = rawPath.indexOf('?');
        String path = query < 0 ? rawPath : rawPath.substring(0, query);
        return entries.stream().filter(e -> e.matches(path)).map(Entry::surface).findFirst();
    }

    /** For a path no route names: JSON (the token surface's OAuth JSON) when {@code Accept} names JSON and not HTML, else a page. */
    static Surface byAccept(Optional<String> accept) {
        String a = accept.orElse("").toLowerCase(Locale.ROOT);
        return a.contains("json") && !a.contains("text/html") ? Surface.TOKEN : Surface.PAGE;
    }

    Surface of(String rawPath, Optional<String> accept) {
        return of(rawPath).orElseGet(() -> byAccept(accept));
    }
}
