package dev.signet.cli;

import java.util.Optional;

/**
 * One row of {@code signet check}: what was checked ({@code target}: a connection as
 * {@code tenant/connection}, a domain as its issuer, or a config path), which check, the outcome,
 * and for a problem the expected and the actual value.
 */
record CheckResult(String target, String check, Status status, String detail, Optional<String> expected, Optional<String> actual) {

    enum Status {
        OK("ok"), NOTE("note"), PROBLEM("PROBLEM"), SKIPPED("skipped");

        final String label;

        Status(String label) {
            this.label = label;
        }
    }

    static CheckResult ok(String target, String check, String detail) {
        return new CheckResult(target, check, Status.OK, detail, Optional.empty(), Optional.empty());
    }

    static CheckResult note(String target, String check, String detail) {
        return new CheckResult(target, check, Status.NOTE, detail, Optional.empty(), Optional.empty());
    }

    static CheckResult skipped(String target, String check, String detail) {
        return new CheckResult(target, check, Status.SKIPPED, detail, Optional.empty(), Optional.empty());
    }

    static CheckResult problem(String target, String check, String detail) {
        return new CheckResult(target, check, Status.PROBLEM, detail, Optional.empty(), Optional.empty());
    }

    static CheckResult mismatch(String target, String check, String detail, String expected, String actual) {
        return new CheckResult(target, check, Status.PROBLEM, detail, Optional.of(expected), Optional.of(actual));
    }
}
