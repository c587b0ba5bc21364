package bench.springas;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import java.util.Map;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Spring Authorization Server as Spring Boot configures it by default (bench/compare.sh): the
 * registered client and its settings come from application.yaml (in-memory
 * RegisteredClientRepository and OAuth2AuthorizationService, a generated RSA-2048 JWK, JWT access
 * tokens signed RS256, OIDC on, introspection on, refresh tokens reused = no rotation); the only
 * code is the form-login user, with a bcrypt hash of strength 4 (the cheapest bcrypt allows). The
 * password encoder is Spring's usual delegating one ({id}hash), with bcrypt at strength 4 instead of
 * 10. The client secret is configured as {noop}, but Spring AS's ClientSecretAuthenticationProvider
 * re-encodes a secret whose encoding is not the encoder's default on first use (upgradeEncoding):
 * from then on every client authentication pays one bcrypt of strength 4 (10 with Spring's own
 * default encoder). That is Spring's behaviour, kept.
 */
@SpringBootApplication
public class SpringAs {

    public static void main(String[] args) {
        SpringApplication.run(SpringAs.class, args);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        @SuppressWarnings("deprecation")
        PasswordEncoder noop = NoOpPasswordEncoder.getInstance();
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(4), "noop", noop));
    }

    @Bean
    UserDetailsService users(PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(User.withUsername("bench").password(encoder.encode("bench-password")).roles("USER").build());
    }
}
