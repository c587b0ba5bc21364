package dev.signet.cli;

import dev.signet.SignetException;
import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.config.TenantSettings;
import dev.signet.corpus.CorpusFile;
import dev.signet.store.CorpusEntry;
import dev.signet.store.jdbc.JdbcCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet corpus export}: the upstream corpus of one tenant (README "Upstream corpus"), as a
 * versioned JSON file an operator can commit, for {@code signet replay}.
 *
 * <pre>
 *   signet corpus export [--config FILE] [--tenant T] [--connection C] [--out FILE]
 * </pre>
 *
 * {@code --tenant} defaults to the configuration's first tenant; without {@code --out} the file goes
 * to standard output. Exit codes: 0 ok (also an empty corpus), 1 the store or the file failed, 2
 * invalid configuration, 64 usage (an unknown tenant).
 */
final class CorpusCommand {

    private CorpusCommand() {}

    static CommandLine command(Main.Io io) {
        return new CommandLine(new Group(io)).addSubcommand(new Export(io));
    }

    @Command(name = "corpus", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = "What each connection's upstream really sent in sign-ins (synthetic values), for signet replay.")
    static final class Group implements Callable<Integer> {
        private final Main.Io io;

        Group(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            io.err().println("usage: signet corpus export [--config FILE] [--tenant T] [--connection C] [--out FILE]");
            return Main.USAGE;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = {"Write a tenant's upstream corpus as one JSON file (format " + dev.signet.corpus.Recorder.FORMAT + ") an operator can commit.",
                "Exit codes: 0 ok (also when nothing was recorded), 1 the store or the file failed, 2 invalid configuration,",
                "64 usage (an unknown tenant)."})
    static final class Export implements Callable<Integer> {
        private final Main.Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--tenant", paramLabel = "T", description = "The tenant (default: the configuration's first).")
        String tenant;

        @Option(names = "--connection", paramLabel = "C", description = "Only this connection's exchanges.")
        String connection;

        @Option(names = "--out", paramLabel = "FILE", description = "Write here (replaced atomically) instead of standard output.")
        String out;

        Export(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            Optional<SignetConfig> loaded = io.config(config);
            if (loaded.isEmpty()) {
                return Main.CONFIG;
            }
            SignetConfig cfg = loaded.get();
            Optional<TenantSettings> t = tenant == null ? cfg.tenants().stream().findFirst()
                    : cfg.tenants().stream().filter(s -> s.name().equals(tenant)).findFirst();
            if (t.isEmpty()) {
                io.err().println("signet corpus export: no tenant named '" + tenant + "' in the configuration");
                return Main.USAGE;
            }
            Clock clock = Clock.systemUTC();
            try (Signet.Offline offline = Signet.offline(cfg, clock)) {
                List<CorpusEntry> entries = offline.database().read(tx -> new JdbcCorpus().list(tx, t.get().name(),
                        Optional.ofNullable(connection)));
                String file = CorpusFile.write(t.get().name(), clock.instant(), t.get().connections(), entries);
                if (out == null) {
                    io.out().print(file);
                    return Main.OK;
                }
                Path target = Path.of(out).toAbsolutePath();
                Path tmp = Files.createTempFile(target.getParent(), ".corpus", ".tmp");
                Files.writeString(tmp, file, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                io.out().println("wrote " + entries.size() + " exchange(s) of tenant " + t.get().name() + " to " + out);
                return Main.OK;
            } catch (SignetException | IOException e) {
                io.err().println("signet corpus export: " + e.getMessage());
                return 1;
            }
        }
    }
}
