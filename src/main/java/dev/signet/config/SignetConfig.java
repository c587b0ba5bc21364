package dev.signet.config;

import java.util.List;

/**
 * The whole configuration, immutable once loaded. A reload builds a new one (convention 2). One
 * record per top-level YAML section, each read by its own {@code read} ({@link ConfigLoader#SECTIONS}):
 * {@code server} {@link ServerSettings}, {@code data} {@link DataSettings}, {@code tenants}
 * {@link TenantSettings} (read by the loader, which knows the connection kinds), {@code sessions},
 * {@code events}, {@code hooks} in {@link ContainmentSettings}, {@code management}, {@code logging},
 * {@code tracing}, {@code probes} in {@link ObserveSettings}, {@code rate_limits}
 * {@link RateLimitSettings}. Change is a {@code with…} copy.
 */
public record SignetConfig(ServerSettings server, DataSettings data, List<TenantSettings> tenants, ContainmentSettings containment,
        ObserveSettings observe, RateLimitSettings rateLimits, KeySettings keys) {
    public SignetConfig {
        tenants = List.copyOf(tenants);
    }

    public SignetConfig withTenants(List<TenantSettings> list) {
        return new SignetConfig(server, data, list, containment, observe, rateLimits, keys);
    }
}
