package dev.signet.harness;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Test-only name resolution (JEP 418): every name under the reserved {@code .test} TLD (RFC 2606),
 * including punycode IDN names, resolves to 127.0.0.1, so tests reach Signet's custom domains with
 * real host names, real Host headers and real per-host cookies. Every other name goes to the
 * system resolver unchanged.
 */
public final class TestHostsResolver extends InetAddressResolverProvider {

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver system = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                String h = host.toLowerCase(Locale.ROOT);
                if (h.endsWith(".test") || h.endsWith(".test.")) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return system.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return system.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "signet-test-hosts";
    }
}
