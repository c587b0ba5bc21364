package dev.signet.protocol.token;

import java.util.Optional;

/** A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
public record TokenResponse(String accessToken, long expiresIn, Optional<String> refreshToken, Optional<String> idToken,
        String scope) {

    public String tokenType() {
        return "Bearer";
    }
}
