package dev.signet.web;

import java.util.List;

/**
 * A capability's HTTP face: the routes it answers. One small class per capability in this package
 * ({@code TokenRoutes}, {@code SignInRoutes}, …), built by the composition root from that capability
 * and handed to {@link SignetHttp#start}, which mounts every route in the order given and the 404
 * catch-all last. See package-info for how to add an endpoint.
 */
public interface Mount {
    List<Route> routes();
}
