package dev.signet.keys;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which JCA provider does Signet's JWS signatures (RFC 7515 §5, RS256
 * and ES256, RFC 7518 §3.3/§3.4): Conscrypt (BoringSSL) when its native library loads, else the
 * JDK's own providers (issue 16). The provider is set per Nimbus signer and verifier through their
 * JCA context, never installed globally with {@code Security.insertProviderAt}: TLS, key
 * generation, AES key wrapping and everything else keep the JDK's providers.
 *
 * <p>ES256 goes through {@code SHA256withECDSA} (DER), which Nimbus transcodes to the JOSE
 * R‖S form (RFC 7518 §3.4); Conscrypt has no {@code …inP1363Format}, which would silently fall back
 * to the JDK. Private keys are translated into the provider's own key objects once, when a signer is
 * built, so no sign pays for re-importing the key (with the JDK's RSA key object, Conscrypt's RS256
 * fell to 13–172 signs/s, against 1,100–1,400/s translated, same run).
 *
 * <p>{@code server.crypto_provider: jdk} (or the environment variable {@code SIGNET_CRYPTO=jdk})
 * forces the JDK's providers.
 */
public final class SignatureProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SignatureProvider.class);

    /** The JDK's providers: Nimbus's default lookup. */
    public static final SignatureProvider JDK = new SignatureProvider(Optional.empty());

    private final Optional<Provider> provider;

    private SignatureProvider(Optional<Provider> provider) {
        this.provider = provider;
    }

    /** The environment variable that overrides {@code server.crypto_provider} ({@code auto} or {@code jdk}). */
    public static final String ENV = "SIGNET_CRYPTO";

    /**
     * Chooses by {@code server.crypto_provider} unless {@link #ENV} is set, which wins (to run a
     * node or the test suite on the JDK's providers without editing the configuration).
     *
     * @throws IllegalArgumentException when {@link #ENV} is neither {@code auto} nor {@code jdk}
     */
    public static SignatureProvider choose(String setting, Map<String, String> env) {
        String forced = env.getOrDefault(ENV, "");
        if (forced.isEmpty()) {
            return choose(setting, "server.crypto_provider");
        }
        if (!forced.equals("auto") && !forced.equals("jdk")) {
            throw new IllegalArgumentException(ENV + " must be auto or jdk, got '" + forced + "'");
        }
        return choose(forced, ENV);
    }

    /**
     * Chooses the provider and logs, once, which one is in use.
     *
     * @param setting {@code auto} (Conscrypt when it loads) or {@code jdk}
     * @param why what forced the setting, for the log line ({@code server.crypto_provider} or {@code SIGNET_CRYPTO})
     */
    public static SignatureProvider choose(String setting, String why) {
        return choose(setting, why, SignatureProvider::conscrypt);
    }

    /** As above, with what loads Conscrypt given (a test's stand-in for a platform without its native library). */
    static SignatureProvider choose(String setting, String why, java.util.function.Supplier<Optional<Provider>> loadConscrypt) {
        if (setting.equals("jdk")) {
            LOG.info("signatures by the JDK's providers (forced)", kv("crypto_provider", JDK.name()), kv("forced_by", why));
            return JDK;
        }
        Optional<Provider> conscrypt = loadConscrypt.get();
        if (conscrypt.isEmpty()) {
            LOG.warn("signatures by the JDK's providers: Conscrypt's native library did not load on this platform",
                    kv("crypto_provider", JDK.name()), kv("os_arch", System.getProperty("os.name") + "-" + System.getProperty("os.arch")));
            return JDK;
        }
        SignatureProvider p = new SignatureProvider(conscrypt);
        LOG.info("signatures by Conscrypt (BoringSSL)", kv("crypto_provider", p.name()));
        return p;
    }

    private static Optional<Provider> conscrypt() {
        try {
            if (!org.conscrypt.Conscrypt.isAvailable()) {
                return Optional.empty();
            }
            return Optional.of(org.conscrypt.Conscrypt.newProvider());
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: no native library for this platform
            return Optional.empty();
        }
    }

    /** {@code Conscrypt} or {@code JDK}: the name the start-up log line carries. */
    public String name() {
        return provider.map(Provider::getName).orElse("JDK");
    }

    /** A signer for {@code key}: RS256 with an RSA key, ES256 with a P-256 key. */
    public JWSSigner signer(JWK key) throws JOSEException {
        JWSSigner signer = switch (key) {
            case RSAKey rsa -> new RSASSASigner(translate(rsa.toPrivateKey(), "RSA"));
            case ECKey ec -> new ECDSASigner(translate(ec.toPrivateKey(), "EC"), ec.getCurve());
            default -> throw new JOSEException("no signer for key type " + key.getKeyType());
        };
        provider.ifPresent(p -> signer.getJCAContext().setProvider(p));
        return signer;
    }

    /** A verifier for {@code key} (a public RSA or EC key). */
    public JWSVerifier verifier(JWK key) throws JOSEException {
        JWSVerifier verifier = switch (key) {
            case RSAKey rsa -> new RSASSAVerifier(rsa);
            case ECKey ec -> new ECDSAVerifier(ec);
            default -> throw new JOSEException("no verifier for key type " + key.getKeyType());
        };
        provider.ifPresent(p -> verifier.getJCAContext().setProvider(p));
        return verifier;
    }

    /** For Nimbus's {@code DefaultJWTProcessor#setJWSVerifierFactory}: every verifier it builds uses this provider. */
    public JWSVerifierFactory verifierFactory() {
        DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
        provider.ifPresent(p -> factory.getJCAContext().setProvider(p));
        return factory;
    }

    /** The provider's own object for {@code key}, so that signing does not re-import a JDK key each time. */
    private PrivateKey translate(PrivateKey key, String type) throws JOSEException {
        if (provider.isEmpty()) {
            return key;
        }
        try {
            return KeyFactory.getInstance(type, provider.get()).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new JOSEException("the " + name() + " provider cannot import the " + type + " key", e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
