package dev.signet.connector.oidc;

import dev.signet.connector.UpstreamFields;

/**
 * What an OIDC preset adds to the generic connector, without a base class: the issuer it expects
 * in the metadata and in each ID token, and extra checks on the validated claims (Google's
 * {@code hd}, Entra's tenant allow-list). The default is plain OIDC: the configured issuer
 * everywhere, no extra check.
 */
public interface IdTokenRules {

    IdTokenRules PLAIN = new IdTokenRules() {};

    /** The {@code issuer} the discovery document must name (OIDC Discovery §4.3). */
    default String metadataIssuer(String configured) {
        return configured;
    }

    /**
     * The {@code iss} this ID token must carry, decided from its claims before the signature is
     * checked (the validator then checks {@code iss}, signature, aud, exp and nonce as usual).
     */
    default String tokenIssuer(String configured, UpstreamFields unverifiedClaims) {
        return configured;
    }

    /** Extra checks on the validated claims; throws {@link dev.signet.UpstreamException} with its own reason. */
    default void check(UpstreamFields claims) {}
}
