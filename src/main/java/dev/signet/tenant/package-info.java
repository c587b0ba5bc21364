/**
 * Tenants and URLs. {@link dev.signet.tenant.Urls} is the one URL builder: every absolute URL
 * Signet emits comes from it. Multi-tenant Host routing and custom domains build on this package.
 */
@NullMarked
package dev.signet.tenant;

import org.jspecify.annotations.NullMarked;
