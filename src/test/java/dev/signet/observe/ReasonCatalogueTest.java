package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's "Reason codes" section is the catalogue operators read: every {@link Reason} must
 * have a row there with its status, a cause and a fix, and the section lists no code that does not
 * exist. Adding a Reason without documenting it fails the build here.
 */
class ReasonCatalogueTest {

    /** Rows of the README section: code → cells (status, cause, fix). */
    static Map<String, List<String>> catalogue() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Reason codes\n");
        assertThat(start).as("README.md has a '## Reason codes' section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            if (line.startsWith("| `")) {
                List<String> cells = Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|")).map(String::strip).toList();
                rows.put(cells.getFirst().replace("`", ""), cells.subList(1, cells.size()));
            }
        }
        return rows;
    }

    @Test
    void catalogueWhenReadmeReadThenEveryReasonHasStatusCauseAndFix() throws IOException {
        Map<String, List<String>> rows = catalogue();

        for (Reason r : Reason.values()) {
            assertThat(rows).as("README.md '## Reason codes' needs a row | `%s` | status | cause | fix | for Reason.%s", r.code(), r.name())
                    .containsKey(r.code());
            List<String> cells = rows.get(r.code());
            assertThat(cells).as("row for %s: status, cause, fix", r.code()).hasSize(3);
            assertThat(cells.get(0)).as("status of %s", r.code()).isEqualTo(String.valueOf(r.status()));
            assertThat(cells.get(1)).as("cause of %s", r.code()).hasSizeGreaterThan(10);
            assertThat(cells.get(2)).as("fix of %s", r.code()).hasSizeGreaterThan(10);
        }
    }

    @Test
    void catalogueWhenReadmeReadThenListsNoUnknownCode() throws IOException {
        List<String> known = Arrays.stream(Reason.values()).map(Reason::code).toList();

        assertThat(catalogue().keySet()).allSatisfy(code -> assertThat(known).as("README lists %s", code).contains(code));
    }

    @Test
    void codesWhenListedThenUniqueAndStableShape() {
        List<String> codes = Arrays.stream(Reason.values()).map(Reason::code).toList();

        assertThat(codes).doesNotHaveDuplicates().allSatisfy(c -> assertThat(c).matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?"));
    }
}
