package dev.signet.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1/128}), parsed
 * from an IP literal only: never from a name, so parsing does no DNS lookup.
 */
public record Cidr(byte[] network, int prefixLength, String text) {

    public Cidr {
        network = network.clone();
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Parses {@code address[/prefix]}; empty when it is not an IP literal block. */
    public static Optional<Cidr> parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        Optional<byte[]> bytes = literal(addr);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int max = bytes.get().length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > max) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(mask(bytes.get(), prefix), prefix, t));
    }

    /** True when {@code address} (an IP literal, as a socket reports it) is inside this block. */
    public boolean contains(String address) {
        String a = address.startsWith("/") ? address.substring(1) : address;
        return literal(a).filter(b -> b.length == network.length).map(b -> Arrays.equals(mask(b, prefixLength), network)).orElse(false);
    }

    /** The bytes of an IPv4 dotted quad or an IPv6 literal (brackets allowed); empty for anything else. */
    static Optional<byte[]> literal(String s) {
        String a = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = a.contains(":") && a.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return Optional.empty(); // never hand a name to InetAddress: that would be a DNS lookup
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress();
            if (v4 && b.length != 4) {
                return Optional.empty();
            }
            return Optional.of(b);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - bits)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
