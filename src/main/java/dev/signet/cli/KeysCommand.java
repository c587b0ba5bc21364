package dev.signet.cli;

import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.keys.KeyRotation;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet keys rotate [--config FILE] [--tenant T]} (issue 14): creates the next signing keys
 * in the configuration's store. They are published at once and sign only after {@code
 * keys.publish_ahead}; the previous keys stay published until their tokens have expired. Running
 * nodes pick the keys up at once on PostgreSQL (announced), within a minute on the embedded store.
 * Prints one line per key created.
 */
final class KeysCommand {

    private KeysCommand() {}

    @Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = "Signing keys of a configuration's store.")
    static final class Keys implements Callable<Integer> {
        private final Main.Io io;

        Keys(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            io.err().println("usage: signet keys rotate [--config FILE] [--tenant T]");
            return Main.USAGE;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = "Create the next signing keys now: published at once, signing after keys.publish_ahead.")
    static final class Rotate implements Callable<Integer> {
        private final Main.Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant (default: every tenant).")
        String tenant;

        Rotate(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            Optional<SignetConfig> config = io.config(this.config);
            if (config.isEmpty()) {
                return Main.CONFIG;
            }
            SignetConfig loaded = config.get();
            List<KeyRotation.Created> created;
            try {
                created = Signet.rotateKeysOffline(loaded, io.env(), Optional.ofNullable(tenant), Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                io.err().println("signet keys rotate: " + e.getMessage());
                return Main.USAGE;
            }
            for (KeyRotation.Created c : created) {
                io.out().println("tenant " + c.tenant() + ": " + c.alg() + " key " + c.kid() + " published now, signs from " + c.signsFrom());
            }
            if (created.isEmpty()) {
                io.out().println("nothing rotated: every key already has a successor waiting to sign");
            }
            return 0;
        }
    }
}
