package dev.signet;

import java.util.List;

/** The configuration is invalid. Carries every problem found, each with its path in the file. */
public final class ConfigException extends SignetException {

    /** One problem at one place in the configuration, e.g. {@code tenants[0].clients[1].redirect_uris}. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(Reason.CONFIG_INVALID, "The configuration is invalid.", summary(problems), null);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        StringBuilder sb = new StringBuilder(problems.size() + " configuration problem(s):");
        for (Problem p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
