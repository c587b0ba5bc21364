package dev.signet.web;

import com.nimbusds.jose.jwk.JWKSet;
import dev.signet.keys.TenantKeys;
import dev.signet.protocol.Discovery;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Provider metadata (OIDC Discovery §4, and RFC 8414 §3 at its own well-known path) and each tenant's
 * JWK Set. Both are static between configuration reloads (metadata) or key rotations (JWKS), so each
 * is serialised once into bytes with a strong {@code ETag} (RFC 9110 §8.8.3) and served from there;
 * a client that revalidates with {@code If-None-Match} gets a 304 ({@link Exchange#document}).
 */
public final class DiscoveryRoutes implements Mount {

    /** A served document: its bytes and entity tag, and what it was built from (compared by identity). */
    record Document(Object source, byte[] body, String etag) {
        static Document of(Object source, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            return new Document(source, body, DiscoveryRoutes.etag(body));
        }
    }

    private final TenantKeys keys;
    /**
     * Metadata by host (each domain of each tenant has its own: custom domains have their own
     * issuer and endpoints; no two domains share a host), rebuilt when the request's {@link Tenant} is not the one it was built
     * from: a reload builds new {@code Tenant}s, so the first request after it gets the new document.
     */
    private final ConcurrentMap<String, Document> metadata = new ConcurrentHashMap<>();
    /** Each tenant's JWKS document as last served, by tenant name, rebuilt when the published key set changes (rotation). */
    private final ConcurrentMap<String, Document> jwks = new ConcurrentHashMap<>();

    public DiscoveryRoutes(TenantKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                // JSON documents: their errors (421, 405, 503) are JSON too, never a page; public, so any origin's
                // script may read them (a browser application fetches them before it signs anyone in: web.Cors)
                Route.get(Path.DISCOVERY, Cors.allowing(Cors.Origins.ANY, this::discovery)).withSurface(Surface.METADATA),
                Route.get(Path.AUTHORIZATION_SERVER_METADATA, Cors.allowing(Cors.Origins.ANY, this::discovery)).withSurface(Surface.METADATA),
                Route.get(Path.JWKS, Cors.allowing(Cors.Origins.ANY, this::jwks)).withSurface(Surface.METADATA),
                Cors.preflight(Path.DISCOVERY, Cors.Origins.ANY, Surface.METADATA, "GET"),
                Cors.preflight(Path.AUTHORIZATION_SERVER_METADATA, Cors.Origins.ANY, Surface.METADATA, "GET"),
                Cors.preflight(Path.JWKS, Cors.Origins.ANY, Surface.METADATA, "GET"));
    }

    void discovery(Exchange x) {
        Tenant tenant = x.tenant();
        String host = tenant.domain().host();
        Document d = metadata.get(host);
        if (d == null || d.source() != tenant) {
            d = Document.of(tenant, Json.write(Discovery.metadata(tenant)));
            metadata.put(host, d);
        }
        x.document(d.body(), d.etag());
    }

    void jwks(Exchange x) {
        String tenant = x.tenant().name();
        JWKSet published = keys.keys(tenant).publicKeys();
        Document d = jwks.get(tenant);
        if (d == null || d.source() != published) {
            d = Document.of(published, Json.write(published.toJSONObject(true)));
            jwks.put(tenant, d);
        }
        x.document(d.body(), d.etag());
    }

    /** A strong entity tag (RFC 9110 §8.8.3): the first 128 bits of the content's SHA-256, base64url, quoted. */
    static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
