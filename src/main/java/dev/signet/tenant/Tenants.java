package dev.signet.tenant;

import dev.signet.config.Cidr;
import dev.signet.config.ConnectionSettings;
import dev.signet.config.SignetConfig;
import dev.signet.config.TenantSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every tenant on every domain, and the lookup from a request's Host to one of them. Immutable:
 * a configuration reload builds a new one.
 *
 * <p>Rules (README "Tenants and domains", "Reverse proxies"):
 * <ul>
 *   <li>The Host header (or, from a trusted proxy only, the first {@code X-Forwarded-Host} value)
 *       is looked up by host name; the port is not part of the key, since a proxy may forward
 *       {@code Host: login.acme.com} to Signet's own port. Unknown or malformed → refused.
 *   <li>The domain's configured base URL is authoritative for every URL Signet builds; no request
 *       value ever becomes part of a URL. From a trusted proxy, {@code X-Forwarded-Proto} and
 *       {@code X-Forwarded-Prefix} are checked against it and a disagreement is refused (421), so a
 *       misconfigured proxy fails loudly instead of yielding cookies or links for the wrong origin.
 *   <li>From any other peer, {@code X-Forwarded-Host} naming another host is refused (a host header
 *       injection attempt, or a proxy missing from {@code server.trusted_proxies}); the other
 *       forwarded headers are ignored.
 * </ul>
 */
public final class Tenants {

    /** What a request says about where it was sent. Values are raw header values, never trusted. */
    public record Incoming(String peerAddress, Optional<String> host, Optional<String> forwardedHost,
            Optional<String> forwardedProto, Optional<String> forwardedPrefix) {}

    /** The outcome of a Host lookup. {@code why} is for the log only and never echoes the request. */
    public sealed interface Resolution {
        record Found(Tenant tenant) implements Resolution {}

        /**
         * {@code servedHere}: for a browser on this machine that typed a loopback IP literal (e.g.
         * {@code http://127.0.0.1:8080} while the issuer is {@code http://localhost:8080}), the configured
         * loopback address to open instead. It comes from the configuration, never from the request.
         */
        record Refused(String why, Optional<URI> servedHere) implements Resolution {
            public Refused(String why) {
                this(why, Optional.empty());
            }
        }
    }

    /** One connection of one tenant on one domain: what probes and {@code signet check} iterate. */
    public record Target(Tenant tenant, ConnectionSettings connection) {}

    private final List<Tenant> everyDomain;
    private final Map<String, Tenant> byHost;
    private final Map<String, Tenant> byName;
    private final List<Cidr> trustedProxies;

    private Tenants(List<TenantSettings> tenants, List<Cidr> trustedProxies) {
        List<Tenant> all = new ArrayList<>();
        Map<String, Tenant> hosts = new HashMap<>();
        Map<String, Tenant> names = new HashMap<>();
        for (TenantSettings t : tenants) {
            List<Tenant> views = Tenant.onEveryDomain(t);
            names.put(t.name(), views.getFirst());
            for (Tenant v : views) {
                all.add(v);
                if (hosts.putIfAbsent(v.domain().host(), v) != null) {
                    throw new IllegalArgumentException("host " + v.domain().host() + " serves two domains (config validation missed it)");
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no tenant");
        }
        this.everyDomain = List.copyOf(all);
        this.byHost = Map.copyOf(hosts);
        this.byName = Map.copyOf(names);
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public static Tenants of(SignetConfig config) {
        return new Tenants(config.tenants(), config.server().trustedProxies());
    }

    /** The first tenant on its default domain (what a single-tenant setup has). */
    public Tenant first() {
        return everyDomain.getFirst();
    }

    /** Each tenant on its default domain. */
    public Optional<Tenant> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every tenant on every domain, in configuration order (default domain first). */
    public List<Tenant> onEveryDomain() {
        return everyDomain;
    }

    /** Every connection of every tenant on every domain (issue 7's probes, {@code signet check}). */
    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (Tenant t : everyDomain) {
            t.settings().connections().forEach(c -> out.add(new Target(t, c)));
        }
        return List.copyOf(out);
    }

    /** The tenant for a host name (already canonical, see {@link Hosts}). */
    public Optional<Tenant> byHost(String host) {
        return Hosts.canonicalHost(host).map(byHost::get);
    }

    public Resolution resolve(Incoming in) {
        boolean trusted = isTrusted(in.peerAddress());
        Optional<String> claimed = trusted ? in.forwardedHost().map(Tenants::firstValue).or(in::host) : in.host();
        if (claimed.isEmpty()) {
            return new Resolution.Refused("no Host header");
        }
        Optional<Tenant> tenant = Hosts.key(claimed.get()).map(byHost::get);
        if (tenant.isEmpty()) {
            String why = trusted && in.forwardedHost().isPresent() ? "unknown X-Forwarded-Host" : "unknown Host";
            boolean local = isLoopbackLiteral(in.peerAddress()) && Hosts.key(claimed.get()).filter(Tenants::isLoopbackLiteral).isPresent();
            return new Resolution.Refused(why, local ? loopbackIssuer() : Optional.empty());
        }
        Domain d = tenant.get().domain();
        if (trusted) {
            Optional<String> proto = in.forwardedProto().map(Tenants::firstValue);
            if (proto.isPresent() && !proto.get().equalsIgnoreCase(d.issuer().getScheme())) {
                return new Resolution.Refused("X-Forwarded-Proto disagrees with the domain's configured scheme " + d.issuer().getScheme());
            }
            Optional<String> prefix = in.forwardedPrefix().map(Tenants::firstValue).map(Tenants::stripSlashes);
            if (prefix.isPresent() && !prefix.get().equals(stripSlashes(d.pathPrefix()))) {
                return new Resolution.Refused("X-Forwarded-Prefix disagrees with the domain's configured path prefix '"
                        + d.pathPrefix() + "'");
            }
        } else if (in.forwardedHost().isPresent()
                && !Hosts.key(firstValue(in.forwardedHost().get())).map(d.host()::equals).orElse(false)) {
            return new Resolution.Refused("X-Forwarded-Host from a peer not in server.trusted_proxies");
        }
        return new Resolution.Found(tenant.get());
    }

    /** The issuer of the first default domain on a loopback name ({@code localhost}, {@code 127.x}, {@code ::1}). */
    private Optional<URI> loopbackIssuer() {
        return everyDomain.stream().map(t -> t.domain().issuer())
                .filter(u -> "localhost".equalsIgnoreCase(u.getHost()) || isLoopbackLiteral(u.getHost())).findFirst();
    }

    /** {@code 127.0.0.0/8} or {@code ::1}, as an IP literal (no name lookup). */
    private static boolean isLoopbackLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || (h.startsWith("127.") && h.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }

    /** Whether {@code peerAddress} (an IP literal) is in {@code server.trusted_proxies} (e.g. may set {@code X-Request-Id}). */
    public boolean trusts(String peerAddress) {
        return isTrusted(peerAddress);
    }

    /**
     * The address a request comes from, for rate limits: the TCP peer; when the peer is in {@code
     * server.trusted_proxies}, the {@code X-Forwarded-For} hops are walked from the right (each
     * proxy appends the address it received from) past every trusted proxy, and the first other
     * hop is the client. A hop that is not an IP literal ends the walk at the last trusted address,
     * so a client cannot choose its address by sending the header itself.
     */
    public String clientAddress(String peerAddress, List<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !isTrusted(peerAddress)) {
            return peerAddress;
        }
        String[] hops = String.join(",", forwardedFor).split(",");
        String last = peerAddress;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (Cidr.parse(hop).filter(c -> !c.text().contains("/")).isEmpty()) {
                return last;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
            last = hop;
        }
        return last;
    }

    private boolean isTrusted(String peer) {
        for (Cidr c : trustedProxies) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    private static String firstValue(String header) {
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
    }

    private static String stripSlashes(String p) {
        String s = p.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
