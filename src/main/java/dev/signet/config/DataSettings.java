package dev.signet.config;

import java.nio.file.Path;

/**
 * Where Signet keeps its data. The embedded store is SQLite in WAL mode under {@code dir} with
 * {@code synchronous=NORMAL}: it survives a crash of Signet, not a power loss of the machine.
 */
public record DataSettings(Path dir) {}
