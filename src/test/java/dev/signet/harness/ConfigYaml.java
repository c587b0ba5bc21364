package dev.signet.harness;

import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import java.util.Map;

/** A configuration parsed from YAML text as {@code signet serve} reads a file (no environment), for tests of its sections. */
public final class ConfigYaml {

    /** One tenant with the dev connection: the least a configuration needs beside the section under test. */
    public static final String DEV_TENANT = """
            tenants:
              - name: default
                connections: [{id: dev, kind: dev-unsafe}]
            """;

    private ConfigYaml() {}

    public static SignetConfig parse(String yaml) {
        return Signet.configLoader(Map.of()).parse(yaml, "test.yaml");
    }
}
