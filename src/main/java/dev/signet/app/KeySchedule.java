package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.config.SignetConfig;
import dev.signet.keys.TenantKeys;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** When signing keys rotate and how long a retired key stays published (issue 13/14), for the composition root. */
final class KeySchedule {

    private static final Logger LOG = LoggerFactory.getLogger(KeySchedule.class);

    private KeySchedule() {}

    /**
     * How long a tenant's key stays published after its successor started signing: the longest
     * lifetime of a token it signs (access and ID tokens live as long as the client's
     * access_token_ttl), plus the clock skew accepted on them and the age a node's loaded keys can
     * reach ({@link Signet#KEY_CHECK_EVERY}: a node that missed the announcement signs with the old key
     * that much longer).
     */
    static Duration retainKeys(SignetConfig config, String tenant) {
        Duration longest = config.tenants().stream().filter(t -> t.name().equals(tenant)).flatMap(t -> t.clients().stream())
                .map(c -> c.accessTokenTtl()).max(Duration::compareTo).orElse(Duration.ofHours(1));
        return longest.plus(config.server().clockSkew()).plus(Signet.KEY_CHECK_EVERY);
    }

    /** The scheduled key check: rotate what is due, then reload every tenant's keys (bounded staleness). */
    static void checkKeys(TenantKeys keys, List<String> tenants) {
        try {
            keys.rotate(tenants, false);
            keys.reloadAll();
            keys.prepare(tenants);
        } catch (RuntimeException e) {
            LOG.warn("key check failed; will retry", kv("detail", e.getMessage()));
        }
    }

}
