// Issue 16 A/B: JWS operations per CPU-second of ONE thread through dev.signet.keys.SignatureProvider
// (the path Signet's JwtMinter and JwtVerifier take), with the JDK's providers and with Conscrypt.
// Not a test: run by bench/sign.sh after compiling (needs target/classes and the dependencies):
//   java -cp target/classes:$(deps) bench/SignBench.java [SECONDS_PER_ROW=5]
// Each row warms up for one period, then counts for one; "verify" goes through Nimbus's
// DefaultJWSVerifierFactory with the JDK public key objects, as Signet's verifiers do.
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.keys.SignatureProvider;
import java.security.Key;
import java.util.Date;
import java.util.Map;

public class SignBench {

    public static void main(String[] a) throws Exception {
        long nanos = (long) (Double.parseDouble(a.length > 0 ? a[0] : "5") * 1e9);
        JWK ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        JWK rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost:8080").subject("client").audience("api")
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000)).jwtID("0123456789abcdef")
                .claim("scope", "read write").claim("client_id", "bench").build();
        System.out.printf("%-10s %14s %14s %14s %14s%n", "provider", "ES256 sign", "ES256 verify", "RS256 sign", "RS256 verify"); // per CPU-second
        for (String setting : new String[] {"jdk", "auto"}) {
            SignatureProvider p = SignatureProvider.choose(setting, Map.of());
            double esSign = rate(nanos, sign(p.signer(ec), "ES256", ec, claims));
            double esVerify = rate(nanos, verify(p.verifierFactory(), p.signer(ec), "ES256", ec, claims));
            double rsSign = rate(nanos, sign(p.signer(rsa), "RS256", rsa, claims));
            double rsVerify = rate(nanos, verify(p.verifierFactory(), p.signer(rsa), "RS256", rsa, claims));
            System.out.printf("%-10s %,14.0f %,14.0f %,14.0f %,14.0f%n", p.name(), esSign, esVerify, rsSign, rsVerify);
        }
    }

    interface Op {
        void run() throws Exception;
    }

    static Op sign(JWSSigner signer, String alg, JWK key, JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build();
        return () -> {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            if (jwt.serialize().isEmpty()) {
                throw new IllegalStateException();
            }
        };
    }

    static Op verify(JWSVerifierFactory factory, JWSSigner signer, String alg, JWK key, JWTClaimsSet claims) throws Exception {
        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(key.getKeyID()).build(), claims);
        signed.sign(signer);
        String token = signed.serialize();
        Key pub = alg.equals("RS256") ? key.toRSAKey().toPublicKey() : key.toECKey().toPublicKey();
        return () -> {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSVerifier v = factory.createJWSVerifier(jwt.getHeader(), pub);
            if (!jwt.verify(v)) {
                throw new IllegalStateException("did not verify");
            }
        };
    }

    /**
     * Operations per CPU-second of this thread (its own CPU time, so other work on the machine does
     * not lower the figure; comparable with the server's per CPU-second figures): one period of
     * warm-up, then one counted.
     */
    static double rate(long nanos, Op op) throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            long n = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long end = System.nanoTime() + nanos;
            do {
                op.run();
                n++;
            } while (System.nanoTime() < end);
            if (round == 1) {
                return n * 1e9 / (threads.getCurrentThreadCpuTime() - cpu0);
            }
        }
        throw new IllegalStateException();
    }
}
