package dev.signet.config;

import java.util.List;

/** The whole configuration, immutable once loaded. A reload builds a new one (convention 2). */
public record SignetConfig(ServerSettings server, DataSettings data, List<TenantSettings> tenants, ContainmentSettings containment,
        ObserveSettings observe, RateLimitSettings rateLimits, KeySettings keys) {
    public SignetConfig {
        tenants = List.copyOf(tenants);
    }

    public SignetConfig withTenants(List<TenantSettings> list) {
        return new SignetConfig(server, data, list, containment, observe, rateLimits, keys);
    }
}
