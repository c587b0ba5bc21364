package dev.signet.config;

import dev.signet.ConfigException;
import dev.signet.ConfigException.Problem;
import java.util.ArrayList;
import java.util.List;

/** Collects every configuration problem of one load, so all of them are reported at once (dex Validate). */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(String path, String message) {
        list.add(new Problem(path, message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }
}
