package dev.signet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where Signet keeps its data. The embedded store is SQLite in WAL mode under {@code dir} with
 * {@code synchronous=NORMAL}: it survives a crash of Signet, not a power loss of the machine. With
 * {@code postgres} set, the store is that PostgreSQL database instead and {@code dir} is not used
 * (several nodes share it; see README "Data").
 */
public record DataSettings(Path dir, Duration timeout, Optional<PostgresSettings> postgres) {
    /** {@code data.timeout} default: the longest a request waits for the store before "503, retry". */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public DataSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(postgres, "postgres");
    }

    /** The {@code data:} section. */
    static DataSettings read(ConfigNode n) {
        n.allowOnly(Set.of("dir", "timeout", "postgres"));
        Optional<PostgresSettings> postgres = n.has("postgres") ? Optional.of(PostgresSettings.read(n.child("postgres"))) : Optional.empty();
        if (postgres.isPresent() && n.has("dir")) {
            n.problem("dir", "is not used with data.postgres (the store is PostgreSQL); remove one of them");
        }
        return new DataSettings(n.optPath("dir").orElse(Path.of("./data")), n.duration("timeout", DEFAULT_TIMEOUT), postgres);
    }

    /**
     * {@code data.postgres}: a JDBC URL ({@code jdbc:postgresql://host[:port][,host2…]/database[?params]}) without
     * credentials, the role and its password (from the environment, {@code ${VAR}}), and the pool size per node.
     */
    public record PostgresSettings(String url, String user, Optional<Secret> password, int poolSize) {
        /** {@code data.postgres.pool_size} default: connections per node. */
        public static final int DEFAULT_POOL_SIZE = 10;
        public static final int MAX_POOL_SIZE = 200;

        public PostgresSettings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        /** {@code data.postgres}: the URL without credentials, the role, its password from the environment, the pool size. */
        static PostgresSettings read(ConfigNode n) {
            n.allowOnly(Set.of("url", "user", "password", "pool_size"));
            String url = n.string("url");
            if (!url.isEmpty()) {
                PostgresUrl.problems(url).forEach(p -> n.problem("url", p));
            }
            String user = n.string("user");
            if (n.has("user") && user.isBlank()) {
                n.problem("user", "must not be empty");
            }
            if (n.has("password") && !n.fromEnvironment("password")) {
                n.problem("password", "must come from the environment, e.g. password: ${SIGNET_DB_PASSWORD} (never written in the file)");
            }
            Optional<Secret> password = n.optSecret("password");
            int poolSize = n.integer("pool_size", DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE);
            return new PostgresSettings(url, user, password, poolSize);
        }
    }
}
