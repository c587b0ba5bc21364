package dev.signet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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

    public DataSettings(Path dir) {
        this(dir, DEFAULT_TIMEOUT);
    }

    public DataSettings(Path dir, Duration timeout) {
        this(dir, timeout, Optional.empty());
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
    }
}
