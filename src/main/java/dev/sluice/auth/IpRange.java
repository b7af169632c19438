package dev.sluice.auth;

import com.google.common.net.InetAddresses;

/**
 * An address range of the {@code IpAddress}/{@code NotIpAddress} conditions: CIDR notation, IPv4 or IPv6, a bare
 * address meaning that address alone (IAM User Guide, "Condition operators": IP address). An IPv4 request never falls
 * in an IPv6 range, nor the reverse.
 *
 * <p>Addresses are parsed by Guava's {@code InetAddresses}, which reads literals only: {@code InetAddress.getByName}
 * would look a host name up in DNS.
 */
final class IpRange {
    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Reads {@code address[/prefix]}; refuses anything else. */
    static IpRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes;
        try {
            bytes = InetAddresses.forString(address).getAddress();
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException("\"" + text + "\" is not an IP address or CIDR range.");
        }
        if (bytes.length == 4 && address.indexOf(':') >= 0) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address, whose prefix would then count differently.
            throw new InvalidPolicyException("\"" + text + "\" is an IPv4-mapped IPv6 range: write it as IPv4.");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || (prefix = Integer.parseInt(digits)) > bits) {
                throw new InvalidPolicyException("\"" + text + "\" is not an IP address or CIDR range.");
            }
        }
        for (int bit = prefix; bit < bits; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new IpRange(bytes, prefix);
    }

    /** The bytes of an address literal (IPv6 zone and brackets allowed), or null if it is none. */
    static byte[] addressBytes(String text) {
        if (text == null) {
            return null;
        }
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        try {
            return InetAddresses.forString(address).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & 0xff);
    }
}
