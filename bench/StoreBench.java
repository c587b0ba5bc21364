// Issue 16: CPU per store unit of work on one thread, for A/Bs of the JDBC layer far below the HTTP noise.
// Usage: scripts/jdk25 java -cp target/signet.jar bench/StoreBench.java 40000   (then the same with the other build's jar)
import dev.signet.store.User;
import dev.signet.store.jdbc.Database;
import dev.signet.store.jdbc.JdbcUsers;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;

/** CPU µs per store unit of work on this thread (read: one SELECT; write: one INSERT). */
public class StoreBench {
    public static void main(String[] a) throws Exception {
        var dir = Files.createTempDirectory("sb");
        var mx = ManagementFactory.getThreadMXBean();
        var users = new JdbcUsers();
        int n = Integer.parseInt(a[0]);
        try (Database db = Database.openEmbedded(dir)) {
            db.write(tx -> { users.create(tx, new User("u0", "t", Optional.empty(), false, Optional.empty(), Optional.empty(), Instant.now())); return null; });
            for (int round = 0; round < 3; round++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) db.read(tx -> users.byId(tx, "t", "u0"));
                long c1 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n / 4; i++) { String id = "u" + round + "-" + i; db.write(tx -> { users.create(tx, new User(id, "t", Optional.empty(), false, Optional.empty(), Optional.empty(), Instant.now())); return null; }); }
                long c2 = mx.getCurrentThreadCpuTime();
                System.out.printf("round %d: read %.2f µs CPU, write %.2f µs CPU%n", round, (c1 - c0) / 1e3 / n, (c2 - c1) / 1e3 / (n / 4));
            }
        }
    }
}
