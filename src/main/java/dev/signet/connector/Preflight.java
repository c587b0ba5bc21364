package dev.signet.connector;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The live checks a connection supports ({@link Preflighted}).
 *
 * @param metadata discovery {@code auto}: where the metadata is and which issuer it must name; its
 *     {@code jwks_uri} and {@code token_endpoint} are then checked too
 * @param noDiscovery without metadata: why no discovery request is made (shown as ok)
 * @param issParameterSupported without metadata: the configured RFC 9207 setting (shown as a note)
 * @param jwks a configured JWK Set URL (manual endpoints)
 * @param token a configured token endpoint (manual endpoints, OAuth2 kinds)
 * @param endpoints other configured endpoints that must answer (e.g. GitHub's API): any answer but
 *     404, 5xx or none will do
 * @param notes what cannot be checked live but the operator should see (a preset issuer)
 */
public record Preflight(Optional<Metadata> metadata, String noDiscovery, Optional<Boolean> issParameterSupported, Optional<URI> jwks,
        Optional<URI> token, List<Endpoint> endpoints, List<String> notes) {

    public Preflight {
        endpoints = List.copyOf(endpoints);
        notes = List.copyOf(notes);
    }

    /**
     * Discovery (OIDC Discovery §4): {@code url} must answer JSON whose {@code issuer} equals
     * {@code expectedIssuer} exactly (§4.3); {@code issRequired}: RFC 9207 {@code iss} is required by
     * configuration whatever the metadata says.
     */
    public record Metadata(URI url, String expectedIssuer, boolean issRequired) {}

    /** A named endpoint and the URL a GET must reach. */
    public record Endpoint(String name, URI url) {}

    /** Discovery {@code auto}: everything else comes from the metadata. */
    public static Preflight discovery(Metadata metadata) {
        return new Preflight(Optional.of(metadata), "", Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    /** Configured endpoints, no discovery request. */
    public static Preflight manual(String noDiscovery, boolean issParameterSupported, Optional<URI> jwks, Optional<URI> token,
            List<Endpoint> endpoints, List<String> notes) {
        return new Preflight(Optional.empty(), noDiscovery, Optional.of(issParameterSupported), jwks, token, endpoints, notes);
    }
}
