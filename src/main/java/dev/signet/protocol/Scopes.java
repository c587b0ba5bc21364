package dev.signet.protocol;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The scopes Signet understands (OIDC Core §5.4, §11) and the parsing of a scope string (RFC 6749 §3.3). */
public final class Scopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";
    public static final String OFFLINE_ACCESS = "offline_access";
    public static final List<String> SUPPORTED = List.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS);

    private Scopes() {}

    public static Set<String> parse(String scope) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    public static String format(Set<String> scopes) {
        return String.join(" ", SUPPORTED.stream().filter(scopes::contains).toList());
    }
}
