package dev.signet.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jar of the previous schema version, built from the git history: the commit before the newest
 * migration arrived on the first-parent line ({@code git log --first-parent -1 -- db/migration},
 * then its first parent). Checked out with {@code git worktree add} into a temporary directory and
 * built with the same {@code scripts/jdk25 ./mvnw package -DskipTests}; the jar is kept under
 * {@code target/cluster-jars/signet-<sha>.jar}, so reruns do not build it again.
 */
public final class OldBuild {

    static final String MIGRATIONS = "src/main/resources/db/migration";

    /** The commit built, the commit that brought the newest migration, and the jar. */
    public record Jar(String sha, String newestMigrationCommit, Path jar) {}

    private OldBuild() {}

    /** The previous schema version's jar for the repository at {@code repo} (built once, then cached). */
    public static Jar previousSchema(Path repo) {
        if (!Files.exists(repo.resolve(".git"))) {
            throw new AssertionError("the rolling upgrade test builds the previous version from git history, but " + repo
                    + " is not a git checkout");
        }
        if (git(repo, "rev-parse", "--is-shallow-repository").equals("true")) {
            throw new AssertionError("this clone is shallow, so the previous schema version cannot be built from its history:"
                    + " run `git fetch --unshallow` (CI: fetch with full depth) and run the test again");
        }
        String newest = git(repo, "log", "--first-parent", "-1", "--format=%H", "--", MIGRATIONS);
        if (newest.isEmpty()) {
            throw new AssertionError("no commit on the first-parent line touches " + MIGRATIONS);
        }
        String previous = git(repo, "rev-parse", newest + "^1");
        Path cache = repo.resolve("target/cluster-jars/signet-" + previous + ".jar");
        if (!Files.exists(cache)) {
            build(repo, previous, cache);
        }
        return new Jar(previous, newest, cache);
    }

    private static void build(Path repo, String sha, Path cache) {
        Path tree = null;
        try {
            tree = Files.createTempDirectory("signet-old-");
            Files.delete(tree); // git worktree add wants to create it
            git(repo, "worktree", "add", "--detach", tree.toString(), sha);
            Path log = Files.createTempFile("signet-old-build", ".log");
            List<String> mvn = new ArrayList<>(List.of("scripts/jdk25", "./mvnw", "-B", "-ntp", "-q", "-o", "package", "-DskipTests"));
            int status = run(tree, mvn, log);
            if (status != 0) {
                mvn.remove("-o"); // a dependency the old version needs is not in the local repository yet
                status = run(tree, mvn, log);
            }
            if (status != 0) {
                throw new AssertionError("building the previous version " + sha + " failed (exit " + status + "):\n"
                        + Cluster.tail(Files.readString(log)));
            }
            Files.createDirectories(cache.getParent());
            Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
            Files.copy(tree.resolve("target/signet.jar"), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tree != null) {
                git(repo, "worktree", "remove", "--force", tree.toString());
            }
        }
    }

    private static int run(Path dir, List<String> command, Path log) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // the build's own JDK: the one running these tests (scripts/jdk25 takes $JAVA_HOME when it is 25+)
            Path javaHome = Path.of(Cluster.Launch.java()).getParent().getParent();
            pb.environment().put("JAVA_HOME", javaHome.toString());
            Process p = pb.start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String git(Path repo, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
