package dev.signet.protocol;

import dev.signet.store.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The standard claims released per scope (OIDC Core §5.4), shared by the ID token and userinfo. */
public final class UserClaims {

    private UserClaims() {}

    public static Map<String, Object> forScopes(User user, Set<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains(Scopes.PROFILE)) {
            user.name().ifPresent(n -> claims.put("name", n));
            user.picture().ifPresent(p -> claims.put("picture", p));
        }
        if (scopes.contains(Scopes.EMAIL)) {
            user.email().ifPresent(e -> {
                claims.put("email", e);
                claims.put("email_verified", user.emailVerified());
            });
        }
        return claims;
    }
}
