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
        return ids == null || ids.isEmpty() || ids.getFirst().isEmpty() ? Optional.empty() : Optional.of(ids.getFirst());
    }
}
