package dev.signet.config;

import java.util.List;

/** The whole configuration, immutable once loaded. A reload builds a new one (convention 2). */
public record SignetConfig(ServerSettings server, DataSettings data, List<TenantSettings> tenants, ContainmentSettings containment,
        ObserveSettings observe, RateLimitSettings rateLimits) {
    public SignetConfig withTenants(List<TenantSettings> list) {
        return new SignetConfig(server, data, list, containment, observe, rateLimits);
    }

    public SignetConfig {
        tenants = List.copyOf(tenants);
    }

    /** With the default rate limits ({@link RateLimitSettings#defaults()}). */
    public SignetConfig(ServerSettings server, DataSettings data, List<TenantSettings> tenants, ContainmentSettings containment,
            ObserveSettings observe) {
        this(server, data, tenants, containment, observe, RateLimitSettings.defaults());
    }

    /** Without failure-containment settings: their defaults (no webhooks, no hooks). */
    public SignetConfig(ServerSettings server, DataSettings data, List<TenantSettings> tenants) {
        this(server, data, tenants, ContainmentSettings.defaults());
    }

    /** With default observability settings ({@link ObserveSettings#defaults()}). */
    public SignetConfig(ServerSettings server, DataSettings data, List<TenantSettings> tenants, ContainmentSettings containment) {
        this(server, data, tenants, containment, ObserveSettings.defaults());
    }
}
