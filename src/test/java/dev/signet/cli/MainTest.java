package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code signet} command's exit codes and what it prints. Only refusals are exercised here: a
 * valid {@code serve} blocks until shutdown, so starting Signet is the harness's job.
 */
class MainTest {

    static final String THREE_PROBLEMS = """
            server:
              host: 127.0.0.1
            colour: blue
            tenants:
              - name: default
                session_ttl: ten minutes
                connections:
                  - id: corp
                    kind: saml
            """;

    @TempDir
    Path dir;

    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(captured, true, StandardCharsets.UTF_8);

    final ByteArrayOutputStream standardOutput = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(standardOutput, true, StandardCharsets.UTF_8);

    String printed() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    String stdout() {
        return standardOutput.toString(StandardCharsets.UTF_8);
    }

    Path write(String yaml) throws IOException {
        Path file = dir.resolve("signet.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void serveWhenBoundsDoNotFitTheHeapThenExit2ListingEachConfiguredOne() throws IOException {
        // more than any test JVM's heap could hold (app.MemoryBudget): refused before the data directory is touched
        Path file = write("server: {host: 127.0.0.1, port: 0, verified_token_cache: 1000000, max_connections: 1000000}\n"
                + "rate_limits: {max_keys: 10000000}\ndata: {dir: " + dir.resolve("data") + "}\n"
                + "tenants:\n  - name: default\n    connections: [{id: dev, kind: dev-unsafe}]\n");

        int code = Main.run(new String[] {"serve", "--config", file.toString()}, Map.of(), err);

        assertThat(code).isEqualTo(2);
        assertThat(printed()).contains("refusing to start, 3 configuration problem(s)")
                .contains("server.verified_token_cache: 1000000 tokens").contains("server.max_connections: 1000000 connections")
                .contains("rate_limits.max_keys: 10000000 keys").contains("(-Xmx)");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void serveWhenConfigHasThreeProblemsThenExit2AndEveryProblemPrinted() throws IOException {
        Path file = write(THREE_PROBLEMS);

        int code = Main.run(new String[] {"serve", "--config", file.toString()}, Map.of(), err);

        assertThat(code).isEqualTo(2);
        assertThat(printed()).contains("refusing to start, 3 configuration problem(s) in " + file + ":")
                .contains("  - colour: unknown key")
                .contains("  - tenants[0].session_ttl: must be a positive duration")
                .contains("  - tenants[0].connections[0].kind: unknown connection kind 'saml'");
        assertThat(printed().lines().filter(l -> l.startsWith("  - "))).hasSize(3);
    }

    @Test
    void serveWhenPortIsTakenThenExit1SayingSoInsteadOfHanging() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Path file = write("""
                    server:
                      host: 127.0.0.1
                      port: %d
                    data:
                      dir: %s
                    tenants:
                      - name: default
                        connections:
                          - id: dev
                            kind: dev-unsafe
                    """.formatted(taken.getLocalPort(), dir.resolve("data")));

            int code = Main.run(new String[] {"serve", "--config", file.toString()}, Map.of(), err);

            assertThat(code).isEqualTo(1);
            assertThat(printed()).contains("signet: could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void serveWhenConfigComesFromEnvironmentThenSameRefusal() throws IOException {
        Path file = write(THREE_PROBLEMS);

        int code = Main.run(new String[] {"serve"}, Map.of("SIGNET_CONFIG", file.toString()), err);

        assertThat(code).isEqualTo(2);
        assertThat(printed()).contains("3 configuration problem(s) in " + file);
    }

    @Test
    void serveWhenConfigFileMissingThenExit2NamingTheFile() {
        Path missing = dir.resolve("absent.yaml");

        int code = Main.run(new String[] {"serve", "--config", missing.toString()}, Map.of(), err);

        assertThat(code).isEqualTo(2);
        assertThat(printed()).contains("  - " + missing + ": cannot read the file");
    }

    @Test
    void serveWhenConfigUsesUnsetVariableThenExit2NamingTheVariable() throws IOException {
        Path file = write("""
                server:
                  port: ${SIGNET_PORT}
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);

        int code = Main.run(new String[] {"serve", "--config", file.toString()}, Map.of(), err);

        assertThat(code).isEqualTo(2);
        assertThat(printed()).contains("  - server.port: refers to environment variable SIGNET_PORT, which is not set");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"keys rotate", "sessions list", "sessions revoke --session s",
            "corpus export", "migrate"})
    void offlineCommandWhenConfigHasProblemsThenExit2ListingEveryOne(String command) throws IOException {
        Path file = write(THREE_PROBLEMS);
        String[] args = (command + " --config " + file).split(" ");

        int code = Main.run(args, Map.of(), err);

        assertThat(code).as(command).isEqualTo(2);
        assertThat(printed()).as(command).contains("3 configuration problem(s)");
    }

    @Test
    void runWhenCommandUnknownThenExit64() {
        int code = Main.run(new String[] {"srve"}, Map.of(), err);

        assertThat(code).isEqualTo(64);
        assertThat(printed()).contains("unknown command 'srve'");
    }

    @Test
    void serveWhenArgumentUnexpectedThenExit64() {
        int code = Main.run(new String[] {"serve", "--port", "80"}, Map.of(), err);

        assertThat(code).isEqualTo(64);
        assertThat(printed()).contains("unexpected argument '--port'");
    }

    @Test
    void serveWhenConfigFlagHasNoValueThenExit64() {
        int code = Main.run(new String[] {"serve", "--config"}, Map.of(), err);

        assertThat(code).isEqualTo(64);
    }

    @Test
    void runWhenNoArgumentsThenUsageAndExit64() {
        int code = Main.run(new String[] {}, Map.of(), err);

        assertThat(code).isEqualTo(64);
        assertThat(printed()).startsWith("usage: signet serve");
    }

    @Test
    void runWhenHelpAskedThenUsageOnStandardOutputAndExit0() {
        int code = Main.run(new String[] {"help"}, Map.of(), out, err);

        assertThat(code).isEqualTo(0);
        assertThat(stdout()).startsWith("usage: signet serve").contains("Exit codes:").contains("64  usage");
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "train", "check", "probes", "events", "audit", "version"})
    void commandWhenHelpFlagThenItsOwnUsageAndExit0(String command) {
        int code = Main.run(new String[] {command, "--help"}, Map.of(), out, err);

        assertThat(code).isEqualTo(0);
        assertThat(stdout()).startsWith("Usage: signet " + command).contains("-h, --help");
        assertThat(printed()).isEmpty();
    }

    @Test
    void trainWhenPrepareWithoutDataThenExit64() {
        int code = Main.run(new String[] {"train", "--prepare"}, Map.of(), out, err);

        assertThat(code).isEqualTo(64);
        assertThat(printed()).contains("--prepare needs --data DIR");
    }

    /** The launcher creates the training database in one JVM and records the start-up cache on it in another (issue 16). */
    @Test
    void trainWhenPrepareWithDataThenDatabaseCreatedAndKept() {
        Path data = dir.resolve("train-data");

        int code = Main.run(new String[] {"train", "--prepare", "--data", data.toString()}, Map.of(), out, err);

        assertThat(code).isEqualTo(0);
        assertThat(data.resolve("signet.db")).isNotEmptyFile();
    }

    @Test
    void subcommandWhenHelpFlagThenItsOwnUsage() {
        int code = Main.run(new String[] {"events", "redeliver", "-h"}, Map.of(), out, err);

        assertThat(code).isEqualTo(0);
        assertThat(stdout()).startsWith("Usage: signet events redeliver").contains("--event=ID").contains("--sink=SINK");
    }

    @Test
    void helpWhenCommandNamedThenThatCommandsUsage() {
        int code = Main.run(new String[] {"help", "check"}, Map.of(), out, err);

        assertThat(code).isEqualTo(0);
        assertThat(stdout()).startsWith("Usage: signet check").contains("--offline").contains("--json");
    }

    @Test
    void versionThenSignetVersionAndJavaRuntime() {
        int code = Main.run(new String[] {"version"}, Map.of(), out, err);

        assertThat(code).isEqualTo(0);
        assertThat(stdout()).startsWith("signet ").contains("Java " + Runtime.version().feature());
        Main.run(new String[] {"--version"}, Map.of(), out, err);
        assertThat(stdout().lines()).hasSize(2).allMatch(l -> l.equals(stdout().lines().findFirst().orElseThrow()));
    }

    @Test
    void optionWhenValueMalformedThenExit64NamingIt() {
        int code = Main.run(new String[] {"audit", "--limit", "many"}, Map.of(), out, err);

        assertThat(code).isEqualTo(64);
        assertThat(printed()).contains("signet audit:").contains("--limit").contains("'many'");
    }

    @Test
    void eventsWithoutSubcommandThenUsageAndExit64() {
        int code = Main.run(new String[] {"events"}, Map.of(), out, err);

        assertThat(code).isEqualTo(64);
        assertThat(printed()).contains("signet events redeliver");
    }
}
