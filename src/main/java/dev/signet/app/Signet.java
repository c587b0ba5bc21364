package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.Ids;
import dev.signet.broker.Accounts;
import dev.signet.broker.Broker;
import dev.signet.broker.SignInPolicy;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.UpstreamObserver;
import dev.signet.corpus.Recorder;
import dev.signet.drift.DriftWatcher;
import dev.signet.demo.DemoApp;
import dev.signet.keys.FirstKeys;
import dev.signet.keys.JwtVerifier;
import dev.signet.keys.KeyRotation;
import dev.signet.keys.MasterKey;
import dev.signet.keys.SignatureProvider;
import dev.signet.keys.TenantKeys;
import dev.signet.protocol.UserinfoEndpoint;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.device.DeviceAuthorizationEndpoint;
import dev.signet.protocol.introspect.IntrospectionEndpoint;
import dev.signet.protocol.introspect.RevocationEndpoint;
import dev.signet.protocol.token.ClientAssertions;
import dev.signet.protocol.token.ClientAuthentication;
import dev.signet.protocol.logout.BackchannelLogoutSink;
import dev.signet.protocol.logout.EndSessionEndpoint;
import dev.signet.protocol.logout.Logouts;
import dev.signet.protocol.logout.SessionAdmin;
import dev.signet.protocol.token.TokenEndpoint;
import dev.signet.protocol.token.Tokens;
import dev.signet.session.Sessions;
import dev.signet.store.jdbc.*; // Database and one Jdbc… store per aggregate
import dev.signet.config.ContainmentSettings.WebhookSettings;
import dev.signet.event.AuditSink;
import dev.signet.config.ContainmentSettings.HookSettings;
import dev.signet.hook.Hooks;
import dev.signet.store.SessionClaimsStore;
import dev.signet.event.EventAdmin;
import dev.signet.event.Outbox;
import dev.signet.event.OutboxRelay;
import dev.signet.event.Sink;
import dev.signet.event.WebhookSink;
import java.util.ArrayList;
import java.util.List;
import dev.signet.store.jdbc.ConnectionGate;
import java.util.function.UnaryOperator;
import dev.signet.tenant.Tenant;
import dev.signet.observe.Health;
import dev.signet.observe.LogFormat;
import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.Transactions;
import dev.signet.config.Secret;
import dev.signet.probe.ProbeAlerts;
import dev.signet.probe.ProbeClient;
import dev.signet.probe.ProbeRunner;
import dev.signet.ratelimit.RateLimits;
import dev.signet.web.*; // the mounts, SignetHttp, ManagementHttp
import dev.signet.web.pages.Pages;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only place implementations are named and the object graph is built,
 * with {@code new}, in dependency order (dex server/server.go: mount).
 */
public final class Signet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Signet.class);

    /**
     * What the process gives Signet: environment, time and randomness (injected for tests), and
     * {@code storeGate}, called before every JDBC connection is borrowed ({@link ConnectionGate#OPEN}
     * in production; the test harness passes its fault switch here), and {@code kinds}, the
     * connector kinds that open the configuration's connections ({@link ConnectorKinds#production()};
     * the harness passes preset variants whose endpoints are its fakes').
     */
    public record Options(Map<String, String> env, Clock clock, Ids ids, ConnectionGate storeGate, List<SpanExporter> spanExporters,
            ConnectorKinds kinds) {
        public Options(Map<String, String> env, Clock clock, Ids ids) {
            this(env, clock, ids, ConnectionGate.OPEN, List.of(), ConnectorKinds.production());
        }

        /** With a gate before every store connection borrow (tests: a fault switch). */
        public Options withStoreGate(ConnectionGate gate) {
            return new Options(env, clock, ids, gate, spanExporters, kinds);
        }

        /** With span exporters that receive every span (tests pass an in-memory one). */
        public Options withSpanExporters(List<SpanExporter> exporters) {
            return new Options(env, clock, ids, storeGate, List.copyOf(exporters), kinds);
        }

        /** With another registry of connector kinds; load the configuration with the same one ({@link Signet#configLoader(Map, ConnectorKinds)}). */
        public Options withKinds(ConnectorKinds registry) {
            return new Options(env, clock, ids, storeGate, spanExporters, registry);
        }

        public static Options system() {
            return new Options(System.getenv(), Clock.systemUTC(), Ids.secure());
        }
    }

    /** How often expired rows are removed (off the sign-in path). */
    static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(15);
    /**
     * How often each node rotates the keys that are due and reloads every tenant's keys from the
     * store (so a node that missed an announcement is never more than this behind).
     */
    static final Duration KEY_CHECK_EVERY = Duration.ofMinutes(1);
    /** How long shutdown waits for the relay's in-flight deliveries. */
    static final Duration RELAY_GRACE = Duration.ofSeconds(10);

    private final Database database;
    private final SignetHttp http;
    private final AtomicReference<Snapshot> current;
    private final UpstreamHttp upstream;
    private final ConfigReloader reloader;
    private volatile @org.jspecify.annotations.Nullable ReloadTriggers triggers;
    private final ScheduledExecutorService background;
    private final Observability observability;
    private final Optional<ManagementHttp> management;
    private final ProbeRunner probes;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final EventAdmin events;
    private final TenantKeys keys;
    private final Optional<PgChanges> pgChanges;
    private final Sessions sessions;
    private final java.util.concurrent.atomic.AtomicBoolean stopping;
    private final Duration drain;

    private Signet(Database database, SignetHttp http, AtomicReference<Snapshot> current, UpstreamHttp upstream,
            ScheduledExecutorService background, Observability observability, Optional<ManagementHttp> management, ProbeRunner probes,
            Outbox outbox, OutboxRelay relay, EventAdmin events, ConfigReloader reloader, TenantKeys keys,
            Optional<PgChanges> pgChanges, Sessions sessions, java.util.concurrent.atomic.AtomicBoolean stopping, Duration drain) {
        this.stopping = stopping;
        this.drain = drain;
        this.sessions = sessions;
        this.keys = keys;
        this.pgChanges = pgChanges;
        this.observability = observability;
        this.probes = probes;
        this.management = management;
        this.database = database;
        this.http = http;
        this.current = current;
        this.upstream = upstream;
        this.reloader = reloader;
        this.background = background;
        this.outbox = outbox;
        this.relay = relay;
        this.events = events;
    }

    /** The event admin over a configuration's store, without starting a server (CLI). Close it when done. */
    public record Offline(EventAdmin events, SessionAdmin sessions, Database database, Outbox outbox) implements AutoCloseable {
        @Override
        public void close() {
            outbox.close();
            database.close();
        }
    }

    /** On PostgreSQL, the announcements to and from the other nodes (LISTEN/NOTIFY); empty on the embedded store. */
    private static Optional<PgChanges> pgChanges(SignetConfig config) {
        return config.data().postgres().map(pg -> new PgChanges(pg.url(), pg.user(), pg.password().map(Secret::value).orElse(null)));
    }

    /**
     * {@code signet keys rotate}: creates the next signing keys of every tenant (or of {@code tenant})
     * now, published at once and signing after {@code keys.publish_ahead}; running nodes hear of it
     * at once on PostgreSQL, within {@link #KEY_CHECK_EVERY} on the embedded store.
     */
    public static List<KeyRotation.Created> rotateKeysOffline(SignetConfig config, Map<String, String> env, Optional<String> tenant,
            Clock clock) {
        List<String> tenants = tenantNames(config).stream().filter(t -> tenant.isEmpty() || tenant.get().equals(t)).toList();
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("no tenant named " + tenant.orElse(""));
        }
        Optional<PgChanges> pg = pgChanges(config);
        try (Database db = Database.open(config.data(), ConnectionGate.OPEN)) {
            TenantKeys keys = new TenantKeys(db, new JdbcKeys(), pg.<Changes>map(c -> c).orElse(Changes.LOCAL),
                    MasterKey.fromEnvironment(env), Ids.secure(), clock, config.keys(), t -> KeySchedule.retainKeys(config, t),
                    SignatureProvider.JDK); // creates keys, signs nothing
            return keys.rotate(tenants, true);
        } finally {
            pg.ifPresent(PgChanges::close);
        }
    }

    public static Offline offline(SignetConfig config, Clock clock) {
        Database db = Database.open(config.data(), ConnectionGate.OPEN);
        // On PostgreSQL a revocation from the command line is announced to the running nodes (publish only, never listens).
        JdbcSessions sessionStore = new JdbcSessions(pgChanges(config).<Changes>map(c -> c).orElse(Changes.LOCAL));
        Outbox outbox = new Outbox(db, new JdbcOutbox(), Ids.secure(), clock);
        SessionAdmin sessions = new SessionAdmin(db, sessionStore, new Logouts(sessionStore, new JdbcGrants(), new JdbcConsents(), outbox), clock);
        return new Offline(new EventAdmin(db, new JdbcOutbox(), new JdbcAudit(), clock), sessions, db, outbox);
    }

    /** Operator actions on events (redeliver, audit log, outbox gauges). */
    public EventAdmin events() {
        return events;
    }

    /** Asks the outbox relay to deliver now rather than at its next poll. */
    public void wakeRelay() {
        relay.wake();
    }

    /** A configuration loader with the connector kinds Signet ships. */
    public static ConfigLoader configLoader(Map<String, String> env) {
        return configLoader(env, ConnectorKinds.production());
    }

    /** A configuration loader whose connections are read by {@code kinds} (start with the same ones: {@link Options#withKinds}). */
    public static ConfigLoader configLoader(Map<String, String> env, ConnectorKinds kinds) {
        return new ConfigLoader(kinds, env);
    }

    public static Signet start(SignetConfig config, Options o) {
        long started = System.nanoTime();
        MemoryBudget memory = MemoryBudget.checked(config, Runtime.getRuntime().maxMemory());
        Clock clock = o.clock();
        Ids ids = o.ids();
        LogFormat.apply(config.observe().logging().format(), o.env());
        // Off the main thread while the store opens (issue 16, start-up): loading the signature provider
        // (Conscrypt's native library) and, on a new embedded database, generating the first keys.
        Supplier<SignatureProvider> cryptoReady = SignatureProvider.chooseAhead(config.server().cryptoProvider(), o.env());
        FirstKeys firstKeys = Database.isNew(config.data()) ? FirstKeys.generate(tenantNames(config), cryptoReady, ids) : FirstKeys.NONE;
        Database db = Database.open(config.data(), o.storeGate());
        Observability obs = new Observability(config.observe(), o.spanExporters());
        Transactions store = obs.store(db);
        long dbReady = System.nanoTime();
        Optional<PgChanges> pgChanges = pgChanges(config);
        try {
            Changes changes = pgChanges.<Changes>map(c -> c).orElse(Changes.LOCAL); // LOCAL: one node on the embedded store
            AtomicReference<Snapshot> current = new AtomicReference<>();
            SignatureProvider crypto = cryptoReady.get();
            TenantKeys keys = new TenantKeys(store, new JdbcKeys(), changes, MasterKey.fromEnvironment(o.env()), ids, clock, config.keys(),
                    tenant -> KeySchedule.retainKeys(current.get() == null ? config : current.get().config(), tenant), crypto);
            keys.prepare(tenantNames(config), firstKeys); // each tenant its own keys (issue 11); reloads prepare the tenants they add
            long keysReady = System.nanoTime();
            JdbcUsers users = new JdbcUsers();
            JdbcGrants grants = new JdbcGrants(changes);
            Tokens tokens = new Tokens(keys, ids, clock);
            JdbcSessions sessionStore = new JdbcSessions(changes);
            Sessions sessions = new Sessions(store, sessionStore, ids, clock, config.containment().sessions().outageCacheTtl(),
                    memory.sessionCache());
            JwtVerifier accessTokens = new JwtVerifier(keys, Tokens.AT_JWT, clock, config.server().clockSkew(),
                    memory.verifiedTokens(), crypto);
            Observability.verifiedTokens(obs.metrics, accessTokens);
            Invalidations invalidations = new Invalidations(sessions, keys, accessTokens, obs.metrics);
            pgChanges.ifPresent(c -> {
                c.start(invalidations);
                obs.metrics.gauge("signet.changes.reconnects", "Times the LISTEN connection was re-established (each dropped every cache)",
                        c::reconnects);
            });
            JdbcDeviceCodes deviceCodes = new JdbcDeviceCodes();
            JdbcOutbox outboxStore = new JdbcOutbox();
            Outbox outbox = new Outbox(db, outboxStore, ids, clock);
            JdbcConsents consents = new JdbcConsents();
            AuthorizeEndpoint authorize = new AuthorizeEndpoint(store, new JdbcPending(), grants, deviceCodes, consents, outbox, ids, clock);
            EndSessionEndpoint endSession = new EndSessionEndpoint(store, sessionStore,
                    new Logouts(sessionStore, grants, consents, outbox), keys, clock);
            List<HookSettings> hookSettings = config.containment().hooks();
            SessionClaimsStore sessionClaims = hookSettings.isEmpty() ? SessionClaimsStore.NONE : new JdbcSessionClaims();
            ClientAuthentication clientAuth = new ClientAuthentication(new ClientAssertions(store, new JdbcClientAssertions(), clock, crypto));
            TokenEndpoint token = new TokenEndpoint(store, outbox, sessionClaims, grants, users, deviceCodes, tokens, clientAuth, ids, clock,
                    obs.metrics::tokenIssued);
            JdbcTokenRevocations revocations = new JdbcTokenRevocations();
            UserinfoEndpoint userinfo = new UserinfoEndpoint(store, users, accessTokens);
            IntrospectionEndpoint introspect = new IntrospectionEndpoint(store, grants, revocations, accessTokens, clientAuth, clock);
            RevocationEndpoint revoke = new RevocationEndpoint(store, grants, revocations, outbox, accessTokens, clientAuth);
            DeviceAuthorizationEndpoint device = new DeviceAuthorizationEndpoint(store, deviceCodes, clientAuth, ids, clock);

            LazyHttpClient client = new LazyHttpClient(() -> HttpClient.newBuilder() // built after the listener is up (below)
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build());
            Recorder recorder = new Recorder(new JdbcCorpus(), ids, clock);
            UpstreamHttp upstream = new UpstreamHttp(client, clock, UpstreamObserver.both(obs.upstream(clock), recorder));
            String probeSecret = config.observe().probes().clientSecret().map(Secret::value).orElseGet(ids::secret);
            current.set(Snapshot.build(withProbeClient(config, probeSecret), o.kinds(), upstream, null));
            current.get().tenants().targets().forEach(t -> obs.metrics.connection(t.tenant().name(), t.connection().id()));
            Hooks hooks = new Hooks(hookSettings, client, obs.metrics);
            DriftWatcher drift = new DriftWatcher(store, new JdbcPublished(), new JdbcCorpus(), outbox, obs.metrics,
                    Probes.hints(current::get), clock);
            ProbeRunner probes = new ProbeRunner(() -> Probes.targets(current.get(), upstream,
                    config.observe().probes().timeout(), drift), config.observe().probes(), probeSecret,
                    obs.metrics, new ProbeAlerts(config.observe().probes(), client, clock), ids, clock, Probes.lastDrifts(drift));
            Broker broker = new Broker(store, new JdbcUpstreamLogins(), new Accounts(users, sessions, outbox, sessionClaims, ids, clock), outbox,
                    hooks, (tenant, id) -> current.get().connector(tenant, id), ids, clock, recorder);
            SignInPolicy signInPolicy = new SignInPolicy(Probes.availability(upstream, probes));
            JdbcAudit audit = new JdbcAudit();
            List<Sink> sinks = new ArrayList<>();
            sinks.add(new AuditSink(db, audit));
            for (WebhookSettings w : config.containment().events().webhooks()) {
                sinks.add(new WebhookSink(w, client, clock));
            }
            sinks.add(new BackchannelLogoutSink(name -> current.get().tenants().byName(name), keys, client, ids, clock));
            OutboxRelay relay = new OutboxRelay(db, outboxStore, sinks, config.containment().events().relay(), ids.id(), clock,
                    new DeliveryReporting(obs.metrics, clock)).start();
            EventAdmin events = new EventAdmin(db, outboxStore, audit, clock);
            DeliveryReporting.gauges(obs.metrics, events, sinks.stream().map(Sink::id).toList(), clock);
            obs.metrics.gauge("signet.outbox.backlog", "Events waiting for delivery", () -> NodeTasks.gauge(events::backlog));
            obs.metrics.gauge("signet.outbox.dead_letters", "Events that exhausted their retries", () -> NodeTasks.gauge(events::deadLetters));
            Function<Tenant, Optional<DemoApp>> demo = t -> t.client(ConfigLoader.DEMO_CLIENT_ID).map(x -> new DemoApp(t.urls(), client, ids));

            Pages pages = new Pages();
            // every capability mounts its own routes (web.Mount); order as listed, the 404 catch-all last
            List<Mount> mounts = List.of(new SiteRoutes(broker, pages), new DiscoveryRoutes(keys),
                    new AuthorizeRoutes(authorize, sessions, signInPolicy, pages), new TokenRoutes(token), new UserinfoRoutes(userinfo),
                    new SignInRoutes(broker, signInPolicy, authorize, sessions, pages), new DevUpstreamRoutes(broker, authorize, sessions, pages),
                    new DemoRoutes(demo, pages), new IntrospectionRoutes(introspect), new RevocationRoutes(revoke), new ParRoutes(authorize, clientAuth),
                    new DeviceRoutes(device, authorize, sessions, signInPolicy, pages), new LogoutRoutes(endSession, sessions, pages));
            SignetHttp http = SignetHttp.start(config.server().withMaxConnections(memory.maxConnections()), () -> current.get().tenants(),
                    new RateLimits(config.rateLimits().withMaxKeys(memory.rateLimitKeys()), clock),
                    pages, mounts, new SignetHttp.Observers(obs.http, obs.metrics));
            ConfigReloader reloader = new ConfigReloader(current, o.kinds(), upstream, c -> withProbeClient(c, probeSecret), next -> {
                keys.prepare(tenantNames(next));
                NodeTasks.announce(store, changes, new Change(Change.Kind.CONFIG_RELOADED, "-", ""));
            }, clock);
            Observability.config(obs.metrics, reloader);
            java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
            Health health = Observability.health(stopping, db, current::get, keys, reloader);
            Optional<ManagementHttp> management = Optional.empty();
            if (config.observe().management().enabled()) {
                try {
                    management = Optional.of(ManagementHttp.start(config.observe().management(), memory.managementConnections(),
                            new ManagementHttp.Endpoints(obs.metrics::scrape, health, probes::json, probes::html), ids, obs.metrics::error));
                } catch (RuntimeException e) {
                    http.close();
                    throw e;
                }
            }
            if (config.observe().probes().enabled()) {
                probes.start();
            }
            LOG.info("Signet started", kv("issuer", current.get().tenants().first().issuer()), kv("port", http.port()),
                    kv("max_connections", http.maxConnections()),
                    kv("startup_ms", (System.nanoTime() - started) / 1_000_000), kv("store_ms", (dbReady - started) / 1_000_000),
                    kv("keys_ms", (keysReady - dbReady) / 1_000_000), kv("http_ms", (System.nanoTime() - keysReady) / 1_000_000));
            Thread.ofVirtual().name("signet-http-client").start(client::get); // off the start's critical path (LazyHttpClient)
            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("signet-housekeeping").daemon().factory());
            JdbcHousekeeping housekeeping = new JdbcHousekeeping();
            background.scheduleWithFixedDelay(() -> NodeTasks.sweep(db, housekeeping, clock), HOUSEKEEPING_EVERY.toMinutes(),
                    HOUSEKEEPING_EVERY.toMinutes(), TimeUnit.MINUTES);
            background.scheduleWithFixedDelay(() -> KeySchedule.checkKeys(keys, tenantNames(current.get().config())), KEY_CHECK_EVERY.toSeconds(),
                    KEY_CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
            return new Signet(db, http, current, upstream, background, obs, management, probes, outbox, relay, events,
                    reloader, keys, pgChanges, sessions, stopping, config.server().drain());
        } catch (RuntimeException e) {
            pgChanges.ifPresent(PgChanges::close);
            db.close();
            obs.close();
            throw e;
        }
    }

    /**
     * The configuration as served: with the built-in probe client in every tenant when probes are on.
     * Reloads go through it too ({@link ConfigReloader}), or the probes would lose their client.
     */
    static SignetConfig withProbeClient(SignetConfig config, String probeSecret) {
        return config.observe().probes().enabled() ? ProbeClient.register(config, probeSecret) : config;
    }

    /**
     * Revokes the tenant's browser session {@code id} (the {@code sid} of its tokens) on every node:
     * here at once, elsewhere within a moment; false when there is no such session. (The admin API
     * and {@code signet sessions} come later, issue 14; tests and operators' tools call this.)
     */
    public boolean revokeSession(String tenant, String id) {
        return sessions.revoke(tenant, id);
    }

    /** On PostgreSQL, this node's link to the others' announcements (tests read its reconnects and backend pid). */
    public Optional<PgChanges> changes() {
        return pgChanges;
    }

    /**
     * Rotates the signing keys of every tenant now ({@code force}, as {@code signet keys rotate}),
     * or those due by {@code keys.rotate_every} (what the node does every {@link #KEY_CHECK_EVERY}).
     */
    public List<KeyRotation.Created> rotateKeys(Optional<String> tenant, boolean force) {
        List<String> tenants = tenantNames(current.get().config()).stream().filter(t -> tenant.isEmpty() || tenant.get().equals(t)).toList();
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("no tenant named " + tenant.orElse(""));
        }
        return keys.rotate(tenants, force);
    }

    private static List<String> tenantNames(SignetConfig config) {
        return config.tenants().stream().map(t -> t.name()).toList();
    }

    /** The latest probe result per target (tenant/domain/connection). */
    public Map<String, ProbeRunner.Status> probes() {
        return probes.status();
    }

    public int port() {
        return http.port();
    }

    /** The management listener's port; empty when {@code management.enabled: false}. */
    public Optional<Integer> managementPort() {
        return management.map(ManagementHttp::port);
    }

    /** The first tenant's issuer on its default domain. */
    public URI issuer() {
        return current.get().tenants().first().urls().issuer();
    }

    /** Reloads the configuration (validated completely; on any problem the configuration in force stays). */
    public ConfigReloader reloader() {
        return reloader;
    }

    /**
     * Reloads from {@code file} on SIGHUP and whenever the file changes, until {@link #close()}.
     * Only for a configuration that came from a file (the built-in default never changes).
     */
    public void reloadOnChange(ConfigLoader loader, java.nio.file.Path file) {
        try {
            reloader.source(file);
            triggers = new ReloadTriggers(reloader, loader, file);
        } catch (java.io.IOException e) {
            LOG.warn("cannot watch the configuration file; reload (file change and SIGHUP) is off", kv("detail", e.getMessage()));
        }
    }

    /** The configuration in force (tenants × domains × connections: {@code snapshot().tenants().targets()}). */
    public Snapshot snapshot() {
        return current.get();
    }

    /**
     * Graceful shutdown: unready for {@code server.drain} while still serving, then stop accepting and
     * drain in-flight requests (sign-ins finish and commit
     * their events), write the pending failure events, let the relay finish and record the batch
     * it holds in memory (everything else is durable in the outbox), then close the store.
     */
    @Override
    public void close() {
        // Readiness first (issue 13): /health/ready answers 503 while the node keeps serving every
        // request for server.drain, so the load balancer stops sending here before the listener closes.
        if (!stopping.getAndSet(true) && !drain.isZero()) {
            LOG.info("shutting down: /health/ready is 503, still serving while the load balancer drains", kv("drain_ms", drain.toMillis()));
            try {
                Thread.sleep(drain);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ReloadTriggers t = triggers;
        if (t != null) {
            t.close();
        }
        background.shutdownNow();
        probes.close();
        management.ifPresent(ManagementHttp::close);
        http.close();
        outbox.close();
        relay.stop(RELAY_GRACE);
        pgChanges.ifPresent(PgChanges::close);
        database.close();
        observability.close();
        LOG.info("Signet stopped");
    }
}
