package dev.signet.protocol.token;

import dev.signet.protocol.Params;
import java.util.Optional;

/** A token request as received: the form body and the {@code Authorization} header, if any. */
public record TokenRequest(Params form, Optional<String> authorization) {

    /**
     * The client id the request claims, before any check: the Basic user name (RFC 6749 §2.3.1),
     * else the first {@code client_id} form value. For rate limits, which must key on it before the
     * secret is checked; never proof of anything.
     */
    public Optional<String> claimedClientId() {
        Optional<String> basic = authorization.flatMap(ClientAuthentication::basic).map(b -> b[0]);
        if (basic.isPresent()) {
            return basic;
        }
        var ids = form.values().get("client_id");
        if (ids != null && !ids.isEmpty() && !ids.getFirst().isEmpty()) {
            return Optional.of(ids.getFirst());
        }
        // private_key_jwt without client_id (RFC 7523 §2.2 makes it optional): the assertion's unverified iss
        var assertion = form.values().get("client_assertion");
        if (assertion == null || assertion.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(com.nimbusds.jwt.JWTParser.parse(assertion.getFirst()).getJWTClaimsSet().getIssuer());
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }
}
