package dev.signet.cli;

import dev.signet.SignetException;
import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.config.TenantSettings;
import dev.signet.corpus.CorpusFile;
import dev.signet.corpus.Recorder;
import dev.signet.keys.SignatureProvider;
import dev.signet.replay.Replay;
import dev.signet.replay.ReplayReport;
import dev.signet.store.jdbc.JdbcCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code signet replay}: this build's and this configuration's connector code over the recorded
 * upstream corpus, offline (package {@code dev.signet.replay}, README "Upgrading safely").
 *
 * <pre>
 *   signet replay [--corpus FILE] [--config FILE] [--tenant T] [--connection C] [--format table|json] [--allow-newly-accepted]
 * </pre>
 *
 * Without {@code --corpus} the corpus is read from the configured database, for every tenant (or
 * {@code --tenant}). Exit codes: 0 no regression, 1 at least one regression, 2 configuration or
 * corpus problems (every one printed), 64 usage.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
        description = {"Run this build's connector code and this configuration over the recorded upstream corpus, offline, and report",
            "every exchange whose outcome or mapped identity changed (README \"Upgrading safely\").",
            "Exit codes: 0 no regression, 1 at least one regression, 2 configuration or corpus problems (every one printed),",
            "64 usage."})
final class ReplayCommand implements Callable<Integer> {

    static final int REGRESSED = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Main.Io io;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "A corpus written by signet corpus export (format " + Recorder.FORMAT + "); default: the configured database.")
    String corpus;

    @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
    String config;

    @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's exchanges.")
    String tenant;

    @Option(names = "--connection", paramLabel = "C", description = "Only this connection's exchanges.")
    String connection;

    @Option(names = "--format", paramLabel = "table|json", description = "Output: table (default) or json (format signet-replay/1).")
    String format = "table";

    @Option(names = "--allow-newly-accepted", description = "A refused exchange that is now accepted is reported, not a regression.")
    boolean allowNewlyAccepted;

    ReplayCommand(Main.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        if (!format.equals("table") && !format.equals("json")) {
            io.err().println("signet replay: --format must be table or json, got '" + format + "'; try 'signet replay --help'");
            return Main.USAGE;
        }
        Optional<SignetConfig> loaded = io.config(config);
        Optional<JsonNode> file = corpus == null ? Optional.empty() : read(Path.of(corpus), problems);
        if (loaded.isEmpty()) {
            problems.forEach(p -> io.err().println("  - " + p));
            return Main.CONFIG;
        }
        SignetConfig cfg = loaded.get();
        if (tenant != null && cfg.tenants().stream().noneMatch(t -> t.name().equals(tenant))) {
            problems.add("--tenant: no tenant named '" + tenant + "' in the configuration");
        }
        file.ifPresent(f -> {
            String name = f.path("tenant").asString("");
            if (cfg.tenants().stream().noneMatch(t -> t.name().equals(name))) {
                problems.add("corpus " + corpus + ": its tenant '" + name + "' is not in the configuration");
            }
        });
        if (!problems.isEmpty()) {
            io.err().println("signet replay: " + problems.size() + " problem(s):");
            problems.forEach(p -> io.err().println("  - " + p));
            return Main.CONFIG;
        }
        List<TenantSettings> tenants = cfg.tenants().stream().filter(t -> tenant == null || t.name().equals(tenant)).toList();
        List<JsonNode> corpora;
        Clock clock = Clock.systemUTC();
        if (file.isPresent()) {
            corpora = tenants.stream().anyMatch(t -> t.name().equals(file.get().path("tenant").asString(""))) ? List.of(file.get()) : List.of();
            if (corpora.isEmpty()) {
                io.err().println("signet replay: the corpus is tenant '" + file.get().path("tenant").asString("") + "''s; nothing of tenant '"
                        + tenant + "' to replay");
            }
        } else {
            try (Signet.Offline offline = Signet.offline(cfg, clock)) {
                corpora = new ArrayList<>();
                for (TenantSettings t : tenants) {
                    String text = CorpusFile.write(t.name(), clock.instant(), t.connections(), offline.database().read(tx ->
                            new JdbcCorpus().list(tx, t.name(), Optional.ofNullable(connection))));
                    corpora.add(JSON.readTree(text));
                }
            } catch (SignetException e) {
                io.err().println("signet replay: the corpus could not be read from the database: " + e.getMessage());
                return Main.CONFIG;
            }
        }
        SignatureProvider crypto;
        try {
            crypto = SignatureProvider.choose(cfg.server().cryptoProvider(), io.env());
        } catch (IllegalArgumentException e) {
            crypto = SignatureProvider.JDK;
        }
        Replay replay = new Replay(io.kinds(), clock, crypto, allowNewlyAccepted);
        List<ReplayReport> reports = new ArrayList<>();
        for (JsonNode c : corpora) {
            TenantSettings t = tenants.stream().filter(s -> s.name().equals(c.path("tenant").asString(""))).findFirst().orElseThrow();
            reports.add(replay.run(t, c, Optional.ofNullable(connection)));
        }
        if (format.equals("json")) {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            reports.forEach(r -> all.add(r.json()));
            io.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } else {
            reports.forEach(r -> r.table(io.out()));
        }
        return reports.stream().anyMatch(ReplayReport::regressed) ? REGRESSED : Main.OK;
    }

    /** The corpus file (empty when unreadable or not JSON), its problems added: a format this build cannot replay, no connections. */
    static Optional<JsonNode> read(Path path, List<String> problems) {
        JsonNode f;
        try {
            f = JSON.readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add("corpus " + path + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        } catch (JacksonException e) {
            problems.add("corpus " + path + ": is not JSON (" + e.getOriginalMessage() + ")");
            return Optional.empty();
        }
        String format = f.path("format").asString("");
        if (format.equals("signet-corpus/1")) {
            problems.add("corpus " + path + ": format signet-corpus/1 cannot be replayed (it lacks the response mode, client"
                    + " authentication, callback values and the expected issuer): export it again with this version, after sign-ins"
                    + " recorded by it");
        } else if (!format.equals(Recorder.FORMAT)) {
            problems.add("corpus " + path + ": format '" + format + "' is not " + Recorder.FORMAT);
        }
        if (!f.path("connections").isArray()) {
            problems.add("corpus " + path + ": has no 'connections' list");
        }
        return Optional.of(f); // with its problems listed, so the tenant is checked too
    }
}
