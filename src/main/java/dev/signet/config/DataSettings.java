package dev.signet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Where Signet keeps its data. The embedded store is SQLite in WAL mode under {@code dir} with
 * {@code synchronous=NORMAL}: it survives a crash of Signet, not a power loss of the machine.
 */
public record DataSettings(Path dir, Duration timeout) {
    /** {@code data.timeout} default: the longest a request waits for the store before "503, retry". */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** The {@code data:} section. */
    static DataSettings read(ConfigNode n) {
        n.allowOnly(Set.of("dir", "timeout"));
        return new DataSettings(n.optPath("dir").orElse(Path.of("./data")), n.duration("timeout", DEFAULT_TIMEOUT));
    }
}
