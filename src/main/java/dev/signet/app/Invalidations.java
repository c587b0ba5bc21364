package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.keys.JwtVerifier;
import dev.signet.keys.TenantKeys;
import dev.signet.observe.SignetMetrics;
import dev.signet.session.Sessions;
import dev.signet.store.Change;
import dev.signet.store.Changes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node drops when any node announces a change (issue 13). Every per-node cache of store data
 * is listed here: the session outage cache ({@link Sessions}), the signing keys with the JWKS
 * built from them ({@link TenantKeys}) and the access tokens verified with those keys ({@link
 * JwtVerifier}'s cache: it also misses by itself once the tenant's published keys differ). Grants and refresh tokens are not cached (every use reads
 * the store), so a revoked family is refused at every node at once; their announcement is counted
 * only. Upstream discovery and JWKS caches hold no Signet data and follow their upstream, not
 * these announcements. Configuration stays per node: a reload elsewhere only drops caches here.
 */
final class Invalidations implements Changes.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Invalidations.class);

    private final Sessions sessions;
    private final TenantKeys keys;
    private final JwtVerifier accessTokens;
    private final SignetMetrics metrics;

    Invalidations(Sessions sessions, TenantKeys keys, JwtVerifier accessTokens, SignetMetrics metrics) {
        this.sessions = sessions;
        this.keys = keys;
        this.accessTokens = accessTokens;
        this.metrics = metrics;
    }

    @Override
    public void changed(Change change) {
        metrics.count("signet.changes.received", "Changes announced by any node (this one included)", "kind",
                change.kind().name().toLowerCase(java.util.Locale.ROOT));
        switch (change.kind()) {
            case SESSION_REVOKED -> sessions.revoked(change.id());
            case GRANT_REVOKED -> { } // not cached anywhere: nothing to drop
            case KEYS_CHANGED -> {
                keys.reload(change.tenant());
                accessTokens.forget(change.tenant());
            }
            case CONFIG_RELOADED -> resyncCaches();
        }
    }

    @Override
    public void resync() {
        metrics.count("signet.changes.resyncs", "Times this node dropped every cache after missing announcements");
        LOG.info("caches dropped: announcements may have been missed", kv("caches", "sessions,keys,verified_tokens"));
        resyncCaches();
    }

    private void resyncCaches() {
        sessions.forgetAll();
        keys.reloadAll();
        accessTokens.forgetAll();
    }
}
