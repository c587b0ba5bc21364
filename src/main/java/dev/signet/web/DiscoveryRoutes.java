package dev.signet.web;

import com.nimbusds.jose.jwk.JWKSet;
import dev.signet.keys.TenantKeys;
import dev.signet.protocol.Discovery;
import dev.signet.tenant.Urls.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Provider metadata (OIDC Discovery §4, and RFC 8414 §3 at its own well-known path) and each tenant's JWK Set. */
public final class DiscoveryRoutes implements Mount {

    private final TenantKeys keys;
    /** Each tenant's JWKS document as last served, by tenant name, rebuilt when the published key set changes (rotation). */
    private final ConcurrentMap<String, Map.Entry<JWKSet, String>> jwksJson = new ConcurrentHashMap<>();

    public DiscoveryRoutes(TenantKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                // JSON documents: their errors (421, 405, 503) are JSON too, never a page
                Route.get(Path.DISCOVERY, this::discovery).withSurface(Surface.METADATA),
                Route.get(Path.AUTHORIZATION_SERVER_METADATA, this::discovery).withSurface(Surface.METADATA),
                Route.get(Path.JWKS, this::jwks).withSurface(Surface.METADATA));
    }

    void discovery(Exchange x) {
        x.json(200, Json.write(Discovery.metadata(x.tenant())), true);
    }

    void jwks(Exchange x) {
        String tenant = x.tenant().name();
        JWKSet published = keys.keys(tenant).publicKeys();
        var cached = jwksJson.get(tenant);
        if (cached == null || cached.getKey() != published) {
            cached = Map.entry(published, Json.write(published.toJSONObject(true)));
            jwksJson.put(tenant, cached);
        }
        x.json(200, cached.getValue(), true);
    }
}
