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

    String printed() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    Path write(String yaml) throws IOException {
        Path file = dir.resolve("signet.yaml");
        Files.writeString(file, yaml);
        return file;
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
    void runWhenHelpAskedThenUsageAndExit0() {
        int code = Main.run(new String[] {"help"}, Map.of(), err);

        assertThat(code).isEqualTo(0);
        assertThat(printed()).startsWith("usage: signet serve");
    }
}
