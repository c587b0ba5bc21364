// Issue 16: CPU of a refresh's lookups on the single writer, before (token, grant, user, session claims: four SELECTs)
// and after (GrantStore.redeemable: one). Usage: scripts/jdk25 java -cp target/signet.jar bench/RefreshLookupBench.java 30000
import dev.signet.Ids;
import dev.signet.store.*;
import dev.signet.store.jdbc.*;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Instant;
import java.util.*;

public class RefreshLookupBench {
    public static void main(String[] a) throws Exception {
        var dir = Files.createTempDirectory("rb");
        var mx = ManagementFactory.getThreadMXBean();
        var users = new JdbcUsers(); var grants = new JdbcGrants(); var sessions = new JdbcSessions(); var claims = new JdbcSessionClaims();
        int n = Integer.parseInt(a[0]);
        Instant t0 = Instant.now();
        try (Database db = Database.openEmbedded(dir)) {
            db.write(tx -> {
                users.create(tx, new User("u", "t", Optional.empty(), false, Optional.empty(), Optional.empty(), t0));
                sessions.create(tx, new Session("s", "t", "h", "u", "dev", t0, t0.plusSeconds(3600), false));
                grants.create(tx, new Grant("g", "t", "app", "u", "s", "ch", "https://a/cb", Optional.empty(), Optional.empty(), Set.of("openid"), t0, t0, true, false, t0));
                grants.addRefreshToken(tx, new RefreshToken("rt", "g", t0.plusSeconds(3600), false));
                return null;
            });
            for (int round = 0; round < 4; round++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) db.write(tx -> {
                    RefreshToken r = grants.refreshToken(tx, "t", "rt").orElseThrow();
                    Grant g = grants.byId(tx, "t", r.grantId()).orElseThrow();
                    users.byId(tx, "t", g.userId()).orElseThrow();
                    return claims.get(tx, g.sessionId());
                });
                long c1 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) db.write(tx -> grants.redeemable(tx, "t", "rt").orElseThrow());
                long c2 = mx.getCurrentThreadCpuTime();
                System.out.printf("round %d: before (4 SELECTs) %.2f µs CPU, after (1 SELECT) %.2f µs CPU per write unit%n", round, (c1 - c0) / 1e3 / n, (c2 - c1) / 1e3 / n);
            }
        }
    }
}
