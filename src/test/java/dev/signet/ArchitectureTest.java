package dev.signet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of STYLE.md 2b and convention 12, checked by reading {@code src/main/java}:
 * {@code import} lines and fully-qualified names in code (comments and string literals are
 * ignored). A <em>family</em> is the first package segment under {@code dev.signet} ("kernel" for
 * {@code dev.signet} itself), so {@code store.jdbc} is in family {@code store}; a family may always
 * use itself.
 */
class ArchitectureTest {

    static final Path MAIN = Path.of("src/main/java");

    /** What each family may use of the others. One line per rule; every family must have one. */
    static final List<Rule> RULES = List.of(
            only("kernel"),                                        // and the JDK only, see JDK
            only("config",    "kernel"),
            only("tenant",    "kernel", "config"),
            only("keys",      "kernel", "config").plus("store"),     // deviation documented in keys/package-info.java
            only("store",     "kernel", "config"),
            only("connector", "kernel", "config").plus("tenant"),    // deviation documented in connector/package-info.java
            only("session",   "kernel", "store"),
            only("event",     "kernel", "config").plus("store"),     // deviation documented in event/package-info.java
            only("hook",      "kernel", "config", "observe"),    // observe: W3C traceparent on hook calls
            only("demo",      "kernel", "config", "tenant"),         // a black-box relying party, like probe
            only("observe",   "kernel", "config"),                   // logs, metrics, traces, health: usable by everyone
            only("ratelimit", "kernel", "config"),                   // the policy; web finds addresses and client ids
            only("probe",     "kernel", "config", "observe").plus("event"), // black-box; event: the shared webhook signer
            only("corpus",    "kernel", "config", "connector", "store"), // the recorder: an UpstreamObserver writing the corpus
            only("drift",     "kernel", "config", "store", "event", "observe"), // the drift watcher: knows no connector kind
            only("replay",    "kernel", "config", "connector", "tenant", "corpus", "keys"), // signet replay: connector code over the corpus
            not("protocol",   "connector", "broker", "web"),
            not("broker",     "protocol", "web"),
            any("web"),
            any("app"),
            any("cli"));

    /** Families that only the listed families may use. */
    static final Map<String, Set<String>> USED_ONLY_BY = Map.of(
            "web", Set.of("app"),
            "app", Set.of("cli"),
            "cli", Set.of());

    /** Libraries (by package prefix) that only the listed families may use. */
    static final Map<String, Set<String>> LIBRARY_ONLY_IN = Map.of(
            "io.helidon.", Set.of("web"));

    /** All the kernel may import. */
    static final List<String> JDK = List.of("java.", "javax.", "jdk.", "org.jspecify.");

    static final int MAX_LINES = 500;

    // ------------------------------------------------------------------------------------------

    enum Kind { ONLY, NOT, ANY }

    record Rule(String family, Kind kind, Set<String> families, Set<String> deviations) {
        Rule plus(String... documentedDeviations) {
            return new Rule(family, kind, families, Set.of(documentedDeviations));
        }

        boolean allows(String target) {
            return switch (kind) {
                case ONLY -> families.contains(target) || deviations.contains(target);
                case NOT -> !families.contains(target);
                case ANY -> true;
            };
        }

        String describe() {
            return switch (kind) {
                case ONLY -> family + " may use only " + new TreeSet<>(union(families, deviations));
                case NOT -> family + " must not use " + new TreeSet<>(families);
                case ANY -> family + " may use anything";
            };
        }
    }

    static Rule only(String family, String... families) {
        return new Rule(family, Kind.ONLY, Set.of(families), Set.of());
    }

    static Rule not(String family, String... families) {
        return new Rule(family, Kind.NOT, Set.of(families), Set.of());
    }

    static Rule any(String family) {
        return new Rule(family, Kind.ANY, Set.of(), Set.of());
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }

    /** One source file: its package, and its text without comments (with and without string literals). */
    record Source(String name, String pkg, String code, String codeWithStrings) {
        static Source of(String name, String text) {
            String code = strip(text, false);
            Matcher m = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;").matcher(code);
            return new Source(name, m.find() ? m.group(1) : "", code, strip(text, true));
        }

        String family() {
            return familyOf(pkg);
        }
    }

    /** A use of another package: where it is and what package it names. */
    record Use(Source from, int line, String pkg) {
        @Override
        public String toString() {
            return from.name() + ":" + line + " (" + from.pkg() + ") uses " + pkg;
        }
    }

    static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?\\s*;");
    static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\\.[A-Z]");
    static final Pattern HEADER_LINE = Pattern.compile("(?m)^\\s*(?:package|import)\\b[^;]*;");
    static final List<Pattern> URL_CONCATENATION = List.of(
            Pattern.compile("\"https?://[^\"\\n]*\"\\s*\\+"),        // "https://" + host
            Pattern.compile("\\+\\s*\"https?://"),                  // prefix + "https://…"
            Pattern.compile("\"https?://[^\"\\n]*%[sd][^\"\\n]*\""), // "https://%s/…".formatted(…)
            Pattern.compile("\\.append\\(\\s*\"https?://"),          // sb.append("https://")
            // URI.create(base + "/x"), new URI(a + b), new URL(a + b): concatenation in the one-string form
            // (the multi-argument URI constructors take typed parts and are fine)
            Pattern.compile("(?:URI\\.create|new\\s+(?:java\\.net\\.)?UR[IL])\\(\\s*[^,()\\n]*(?:\\([^()\\n]*\\)[^,()\\n]*)*\\+"),
            Pattern.compile("\"[?&](?:[A-Za-z_][\\w.-]*=[^\"\\n]*)?\"\\s*\\+"), // "?" + query, "&x=" + value
            Pattern.compile("\\+\\s*\"[?&](?:[A-Za-z_][\\w.-]*=[^\"\\n]*)?\""), // url + "?", url + "?x="
            Pattern.compile("\"[^\"\\n]*%s[/?&#][^\"\\n]*\""),          // String.format("%s/callback", base)
            Pattern.compile("\"[^\"\\n]*://%s[^\"\\n]*\""));             // "%s://%s" scheme-relative formats

    static String familyOf(String pkg) {
        if (pkg.equals("dev.signet")) {
            return "kernel";
        }
        String rest = pkg.substring("dev.signet.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** The package part of a qualified name: the segments before the first capitalised one. */
    static String packageOf(String qualified) {
        List<String> segments = new ArrayList<>();
        for (String s : qualified.split("\\.")) {
            if (Character.isUpperCase(s.charAt(0))) {
                break;
            }
            segments.add(s);
        }
        return String.join(".", segments);
    }

    static List<Use> uses(Source s) {
        List<Use> out = new ArrayList<>();
        Matcher imports = IMPORT.matcher(s.code());
        while (imports.find()) {
            out.add(new Use(s, lineOf(s.code(), imports.start(1)), packageOf(imports.group(1))));
        }
        String body = HEADER_LINE.matcher(s.code()).replaceAll(m -> " ".repeat(m.group().length()));
        Matcher qualified = QUALIFIED.matcher(body);
        while (qualified.find()) {
            out.add(new Use(s, lineOf(body, qualified.start(1)), qualified.group(1)));
        }
        return out;
    }

    /** Every dependency that breaks a rule, described with file, line and the rule. */
    static List<String> dependencyViolations(List<Source> sources) {
        Map<String, Rule> rules = RULES.stream().collect(Collectors.toMap(Rule::family, Function.identity()));
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            String from = s.family();
            for (Use use : uses(s)) {
                String pkg = use.pkg();
                if (pkg.equals("dev.signet") || pkg.startsWith("dev.signet.")) {
                    String to = familyOf(pkg);
                    if (to.equals(from)) {
                        continue;
                    }
                    Rule rule = rules.get(from);
                    if (rule != null && !rule.allows(to)) {
                        out.add(use + ": " + rule.describe());
                    }
                    Set<String> users = USED_ONLY_BY.get(to);
                    if (users != null && !users.contains(from)) {
                        out.add(use + ": only " + new TreeSet<>(users) + " may use " + to);
                    }
                    if (from.equals("kernel")) {
                        out.add(use + ": the kernel uses the JDK only");
                    }
                } else {
                    LIBRARY_ONLY_IN.forEach((prefix, users) -> {
                        if ((pkg + ".").startsWith(prefix) && !users.contains(from)) {
                            out.add(use + ": only " + new TreeSet<>(users) + " may use " + prefix + "*");
                        }
                    });
                    if (from.equals("kernel") && JDK.stream().noneMatch(j -> (pkg + ".").startsWith(j))) {
                        out.add(use + ": the kernel uses the JDK only");
                    }
                }
            }
        }
        return out;
    }

    /** Absolute URLs built by string concatenation outside {@code tenant} (postmortem 002). */
    static List<String> urlViolations(List<Source> sources) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            if (s.family().equals("tenant")) {
                continue;
            }
            java.util.Set<Integer> reported = new java.util.HashSet<>();
            for (Pattern p : URL_CONCATENATION) {
                Matcher m = p.matcher(s.codeWithStrings());
                while (m.find()) {
                    if (!reported.add(lineOf(s.codeWithStrings(), m.start()))) {
                        continue; // one report per line, from the first rule that matched
                    }
                    out.add(s.name() + ":" + lineOf(s.codeWithStrings(), m.start()) + " builds a URL by concatenation: "
                            + m.group().strip() + " (use tenant.Urls or java.net.URI's constructors)");
                }
            }
        }
        return out;
    }

    /**
     * Java source without comments, and without the contents of string, char and text-block
     * literals unless {@code keepStrings}. Newlines are kept, so line numbers still match.
     */
    static String strip(String s, boolean keepStrings) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int end;
            if (s.startsWith("//", i)) {
                end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                i = end;
                continue;
            } else if (s.startsWith("/*", i)) {
                end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(s.substring(i, end).replaceAll("[^\\n]", ""));
                i = end;
                continue;
            } else if (s.startsWith("\"\"\"", i)) {
                end = i + 3;
                while (end < n && !s.startsWith("\"\"\"", end)) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 3, n);
            } else if (c == '"' || c == '\'') {
                end = i + 1;
                while (end < n && s.charAt(end) != c && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, n);
            } else {
                out.append(c);
                i++;
                continue;
            }
            String literal = s.substring(i, end);
            out.append(keepStrings ? literal : c + literal.replaceAll("[^\\n]", "") + c);
            i = end;
        }
        return out.toString();
    }

    static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Source> mainSources() {
        return javaFiles().stream().map(f -> Source.of(MAIN.relativize(f).toString(), read(f))).toList();
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void scanWhenMainSourcesReadThenFindsEveryPackage() {
        List<Source> sources = mainSources();

        assertThat(sources).hasSizeGreaterThan(50);
        assertThat(sources).allSatisfy(s -> assertThat(s.pkg()).as(s.name()).startsWith("dev.signet"));
        assertThat(sources.stream().map(Source::family)).contains("kernel", "config", "protocol", "web");
    }

    @Test
    void dependenciesWhenMainScannedThenFollowStyle2b() {
        assertThat(dependencyViolations(mainSources())).isEmpty();
    }

    @Test
    void rulesWhenMainScannedThenEveryFamilyHasExactlyOneRule() {
        Set<String> families = mainSources().stream().map(Source::family).collect(Collectors.toCollection(TreeSet::new));
        List<String> ruled = RULES.stream().map(Rule::family).toList();

        assertThat(ruled).doesNotHaveDuplicates();
        assertThat(ruled).containsExactlyInAnyOrderElementsOf(families);
    }

    @Test
    void deviationsWhenListedInRulesThenDocumentedInPackageInfo() {
        for (Rule rule : RULES) {
            for (String deviation : rule.deviations()) {
                String info = read(MAIN.resolve("dev/signet/" + rule.family() + "/package-info.java"));

                assertThat(info).as("%s uses %s", rule.family(), deviation)
                        .contains("Deviation from STYLE 2b")
                        .contains(deviation);
            }
        }
    }

    @Test
    void packagesWhenScannedThenEachHasNullMarkedPackageInfo() {
        Set<Path> dirs = javaFiles().stream().map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));

        assertThat(dirs).isNotEmpty().allSatisfy(dir -> {
            Path info = dir.resolve("package-info.java");
            assertThat(info).as("package-info.java in %s", dir).exists();
            assertThat(read(info)).as(info.toString()).contains("@NullMarked");
        });
    }

    @Test
    void filesWhenScannedThenNoneExceeds500Lines() {
        List<String> tooLong = javaFiles().stream()
                .filter(f -> read(f).lines().count() > MAX_LINES)
                .map(f -> f + " has " + read(f).lines().count() + " lines")
                .toList();

        assertThat(tooLong).isEmpty();
    }

    /**
     * README "Upgrades": the store names its columns in every query. A {@code SELECT *} returns a column that a
     * newer version's migration added, and on PostgreSQL a statement prepared before that migration then fails
     * ("cached plan must not change result type") on the older nodes of a rolling upgrade.
     */
    @Test
    void queriesWhenMainScannedThenNoneSelectsStar() {
        java.util.regex.Pattern star = java.util.regex.Pattern.compile("(?i)SELECT\\s+(?:DISTINCT\\s+)?(?:\\w+\\.)?\\*");
        List<String> found = javaFiles().stream()
                .flatMap(f -> read(f).lines().filter(l -> star.matcher(l).find()).map(l -> MAIN.relativize(f) + ": " + l.strip()))
                .toList();

        assertThat(found).as("queries selecting *").isEmpty();
        assertThat(star.matcher("Sql.one(tx, \"SELECT g.* FROM grants g\")").find()).as("the scan sees one").isTrue();
        assertThat(star.matcher("SELECT COUNT(*) FROM outbox").find()).as("a count is no star").isFalse();
    }

    @Test
    void urlsWhenBuiltOutsideTenantThenNeverByConcatenatingSchemeStrings() {
        assertThat(urlViolations(mainSources())).isEmpty();
    }

    /**
     * Issue 12: what other code needs of a connection kind comes from the kind through the optional
     * capability interfaces next to {@code Connector} ({@code Preflighted}, {@code ProbeHints},
     * {@code Unsafe}, {@code HostedUpstream}), so knowledge of a kind cannot leak into {@code cli},
     * {@code app}, {@code web} or {@code broker} again: outside {@code connector} no code names a
     * kind's package ({@code connector.dev}, {@code connector.oidc}, ...) or tests a value with
     * {@code instanceof}/{@code case} against a {@code …Settings} type.
     */
    static List<String> connectorBoundaryViolations(List<Source> sources) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            if (s.family().equals("connector")) {
                continue;
            }
            for (Use use : uses(s)) {
                if (use.pkg().startsWith("dev.signet.connector.")) {
                    out.add(use + ": only connector may use a kind's package; use a capability interface of dev.signet.connector");
                }
            }
            Matcher m = SETTINGS_TEST.matcher(s.code());
            while (m.find()) {
                out.add(s.name() + ":" + lineOf(s.code(), m.start()) + " tests a value against " + m.group(1)
                        + ": ask the connector for a capability instead");
            }
        }
        return out;
    }

    static final Pattern SETTINGS_TEST = Pattern.compile("(?:\\binstanceof\\s+|\\bcase\\s+)(?:[\\w.]+\\.)?([A-Z]\\w*Settings)\\b");

    @Test
    void connectorKindsWhenMainScannedThenKnownOnlyInsideConnector() {
        assertThat(connectorBoundaryViolations(mainSources())).isEmpty();
    }

    @Test
    void scanWhenWebImportsAKindOrSwitchesOnSettingsThenViolation() {
        Source s = Source.of("R.java", """
                package dev.signet.web;
                import dev.signet.connector.dev.DevSettings;
                import dev.signet.connector.Connector;
                class R {
                    boolean dev(Object o) { return o instanceof DevSettings; }
                    String k(Object o) { return switch (o) { case dev.signet.connector.oidc.OidcSettings x -> "oidc"; default -> ""; }; }
                }
                """);

        assertThat(connectorBoundaryViolations(List.of(s))).hasSize(4)
                .anySatisfy(v -> assertThat(v).startsWith("R.java:2 (dev.signet.web) uses dev.signet.connector.dev"))
                .anySatisfy(v -> assertThat(v).startsWith("R.java:5 tests a value against DevSettings"))
                .anySatisfy(v -> assertThat(v).startsWith("R.java:6 tests a value against OidcSettings"))
                .anySatisfy(v -> assertThat(v).startsWith("R.java:6 (dev.signet.web) uses dev.signet.connector.oidc"));
    }

    /** Names only test code may use: switches that point Signet at fakes are registered by the harness, never configured. */
    static final List<String> TEST_ONLY = List.of("unsafe_endpoint_base");

    static List<String> testSeamViolations(List<Source> sources) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            for (String name : TEST_ONLY) {
                int at = s.codeWithStrings().indexOf(name);
                if (at >= 0) {
                    out.add(s.name() + ":" + lineOf(s.codeWithStrings(), at) + " names the test-only " + name
                            + ": register a test variant in the harness (connector.TestKinds) instead");
                }
            }
        }
        return out;
    }

    @Test
    void testSeamsWhenMainScannedThenNoneInProductionCode() {
        assertThat(testSeamViolations(mainSources())).isEmpty();
    }

    @Test
    void scanWhenMainReadsATestOnlyKeyThenViolationButNotInAComment() {
        Source s = Source.of("G.java", """
                package dev.signet.connector.google;
                // unsafe_endpoint_base was here
                class G { Object base(Object n) { return n.toString() + "unsafe_endpoint_base"; } }
                """);

        assertThat(testSeamViolations(List.of(s))).singleElement().satisfies(v -> assertThat(v).startsWith("G.java:3 names the test-only"));
    }

    static final Pattern MOUNT = Pattern.compile("\\bclass\\s+(\\w+)\\s+implements\\s+[^{]*\\bMount\\b");
    static final String ROOT = "dev/signet/app/Signet.java";

    /**
     * Routes mount themselves (web/package-info.java): every {@code Mount} is built by the composition
     * root (else its routes silently do not exist), only the two listeners touch Helidon's routing,
     * and the sign-in policy (email routing) is decided in broker, never in web.
     */
    static List<String> routeViolations(List<Source> sources) {
        List<String> out = new ArrayList<>();
        String root = sources.stream().filter(s -> s.name().equals(ROOT)).map(Source::code).findFirst().orElse("");
        for (Source s : sources) {
            Matcher m = MOUNT.matcher(s.code());
            while (m.find()) {
                if (!Pattern.compile("\\bnew\\s+" + m.group(1) + "\\s*\\(").matcher(root).find()) {
                    out.add(s.name() + ":" + lineOf(s.code(), m.start(1)) + " " + m.group(1) + " is a Mount the composition root ("
                            + ROOT + ") never builds: its routes are not served");
                }
            }
            if (s.code().contains("HttpRouting") && !s.name().endsWith("/SignetHttp.java") && !s.name().endsWith("/ManagementHttp.java")) {
                out.add(s.name() + ":" + lineOf(s.code(), s.code().indexOf("HttpRouting"))
                        + " uses HttpRouting: declare Routes in a Mount, SignetHttp mounts them");
            }
            if (s.family().equals("web") && s.code().contains("emailDomains(")) {
                out.add(s.name() + ":" + lineOf(s.code(), s.code().indexOf("emailDomains("))
                        + " routes by email domain in web: the sign-in policy is broker.SignInPolicy's, web renders its Step");
            }
        }
        return out;
    }

    @Test
    void routesWhenMainScannedThenEveryMountBuiltByTheRootAndNoRoutingOrSignInPolicyElsewhere() {
        List<Source> sources = mainSources();

        assertThat(sources.stream().filter(s -> MOUNT.matcher(s.code()).find())).hasSizeGreaterThanOrEqualTo(8);
        assertThat(routeViolations(sources)).isEmpty();
    }

    @Test
    void scanWhenMountNotBuiltOrRoutingOrEmailRoutingInWebThenViolations() {
        Source root = Source.of(ROOT, "package dev.signet.app;\nclass Signet { Object m = new TokenRoutes(null); }\n");
        Source token = Source.of("dev/signet/web/TokenRoutes.java", "package dev.signet.web;\npublic final class TokenRoutes implements Mount {}\n");
        Source lost = Source.of("dev/signet/web/LostRoutes.java", """
                package dev.signet.web;
                public final class LostRoutes implements Mount {
                    void r(io.helidon.webserver.http.HttpRouting.Builder b) {}
                    boolean routed(Object c) { return ((dev.signet.config.ConnectionSettings) c).emailDomains().isEmpty(); }
                }
                """);

        assertThat(routeViolations(List.of(root, token, lost))).hasSize(3)
                .anySatisfy(v -> assertThat(v).startsWith("dev/signet/web/LostRoutes.java:2 LostRoutes is a Mount"))
                .anySatisfy(v -> assertThat(v).startsWith("dev/signet/web/LostRoutes.java:3 uses HttpRouting"))
                .anySatisfy(v -> assertThat(v).startsWith("dev/signet/web/LostRoutes.java:4 routes by email domain"));
    }

    // The scanner itself, on made-up sources: a broken pattern must not make the checks above pass.

    @Test
    void scanWhenProtocolImportsBrokerThenViolation() {
        Source s = Source.of("P.java", "package dev.signet.protocol.token;\nimport dev.signet.broker.Broker;\nclass P {}\n");

        assertThat(dependencyViolations(List.of(s)))
                .containsExactly("P.java:2 (dev.signet.protocol.token) uses dev.signet.broker: protocol must not use [broker, connector, web]");
    }

    @Test
    void scanWhenQualifiedNameUsedInCodeThenViolation() {
        Source s = Source.of("C.java", """
                package dev.signet.config;
                class C {
                    Object urls = new dev.signet.tenant.Urls(java.net.URI.create("x"));
                }
                """);

        assertThat(dependencyViolations(List.of(s)))
                .containsExactly("C.java:3 (dev.signet.config) uses dev.signet.tenant: config may use only [kernel]");
    }

    @Test
    void scanWhenStaticImportOfKernelOrSameFamilyThenAllowed() {
        Source s = Source.of("S.java", """
                package dev.signet.store.jdbc;
                import static dev.signet.Reason.CONFIG_INVALID;
                import dev.signet.store.*;
                import dev.signet.config.ConfigLoader.Nested;
                class S {}
                """);

        assertThat(dependencyViolations(List.of(s))).isEmpty();
    }

    @Test
    void scanWhenDependencyOnlyInCommentOrStringThenIgnored() {
        Source s = Source.of("K.java", """
                package dev.signet;
                // import dev.signet.web.Routes;
                /* dev.signet.web.Routes.x() */
                class K {
                    String a = "dev.signet.web.Routes";
                    char q = '"';
                    String b = \"""
                        io.helidon.webserver.WebServer
                        \""";
                }
                """);

        assertThat(dependencyViolations(List.of(s))).isEmpty();
    }

    @Test
    void scanWhenKernelOrBrokerUsesLibrariesThenViolations() {
        Source kernel = Source.of("K.java", "package dev.signet;\nimport tools.jackson.databind.JsonNode;\nimport java.util.List;\nclass K {}\n");
        Source broker = Source.of("B.java", "package dev.signet.broker;\nclass B { io.helidon.http.Status s; }\n");
        Source app = Source.of("A.java", "package dev.signet.app;\nimport dev.signet.web.SignetHttp;\nimport dev.signet.cli.Main;\nclass A {}\n");

        assertThat(dependencyViolations(List.of(kernel, broker, app))).containsExactly(
                "K.java:2 (dev.signet) uses tools.jackson.databind: the kernel uses the JDK only",
                "B.java:2 (dev.signet.broker) uses io.helidon.http: only [web] may use io.helidon.*",
                "A.java:3 (dev.signet.app) uses dev.signet.cli: only [] may use cli");
    }

    @Test
    void scanWhenUrlConcatenatedOutsideTenantThenViolationButNotInCommentsOrTenant() {
        Source config = Source.of("dev/signet/config/X.java", """
                package dev.signet.config;
                /** Reached at "https://" + host, see https://example.com. */
                class X {
                    // "http://" + host
                    URI a = URI.create("http://localhost:" + port);
                    URI b = URI.create("https://invalid.invalid");
                    String c = "https://%s/cb".formatted(host);
                }
                """);
        Source tenant = Source.of("dev/signet/tenant/Y.java", "package dev.signet.tenant;\nclass Y { String u = \"https://\" + host; }\n");

        assertThat(urlViolations(List.of(config, tenant))).containsExactly(
                "dev/signet/config/X.java:5 builds a URL by concatenation: \"http://localhost:\" + (use tenant.Urls or java.net.URI's constructors)",
                "dev/signet/config/X.java:7 builds a URL by concatenation: \"https://%s/cb\" (use tenant.Urls or java.net.URI's constructors)");
    }

    @Test
    void scanWhenUrlBuiltByOtherMeansOutsideTenantThenViolation() {
        Source broker = Source.of("dev/signet/broker/Z.java", """
                package dev.signet.broker;
                class Z {
                    URI a = URI.create(issuer + "/callback/" + id);
                    URI b = new URI(base.toString() + path);
                    String c = redirect + "?code=" + code;
                    String d = "&state=" + state;
                    String e = String.format("%s/authorize", issuer);
                    String f = "%s://%s".formatted(scheme, host);
                    URI ok1 = new URI(scheme, null, host, port, path + "/x", null, null);
                    String ok2 = "SELECT * FROM t WHERE a IN (?)" + more;
                    String ok3 = "%s failed".formatted(name);
                }
                """);
        assertThat(urlViolations(List.of(broker))).extracting(v -> v.substring(0, v.indexOf(" builds"))).containsExactly(
                "dev/signet/broker/Z.java:3", "dev/signet/broker/Z.java:4", "dev/signet/broker/Z.java:5",
                "dev/signet/broker/Z.java:6", "dev/signet/broker/Z.java:7", "dev/signet/broker/Z.java:8");
    }
}
