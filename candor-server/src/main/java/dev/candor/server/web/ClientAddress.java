package dev.candor.server.web;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The address a request counts against, for the rate limiter and the cap on bodies read at once per address.
 *
 * <p>It is the connection's peer, unless the peer is one of the operator's trusted proxies ({@code serve
 * --trusted-proxy}): behind a reverse proxy every request comes from the proxy, and one shared limit would
 * throttle every install at once. Then it is the nearest address in {@code X-Forwarded-For} that is not a
 * trusted proxy, read from the right, where each proxy appends the address it saw. What lies further left
 * was written by the sender and is never believed; an entry that is not an IP address ends the walk at the
 * last address a trusted proxy vouched for.
 *
 * <p>An IPv6 sender counts as its /64 network: one host is usually given a whole /64 and could otherwise
 * take a fresh address, and a fresh limit, for every request.
 *
 * <p>Like the peer address, the result lives only in memory, for the rate limiter's hourly-salted hash and
 * the body cap; nothing here writes or logs it. Names are never looked up: only IP literals are read.
 */
public final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Nothing, or a port after the address. */
    private static final Pattern PORT = Pattern.compile("(:\\d{1,5})?");
    private static final Pattern BLOCK = Pattern.compile("([^/]+)(?:/(\\d{1,3}))?");

    /** The trusted proxies, or null when there are none (the peer is always the client). */
    private final InetAddressSet trusted;
    private final List<List<String>> trustingEveryone;

    private ClientAddress(InetAddressSet trusted, List<List<String>> trustingEveryone) {
        this.trusted = trusted;
        this.trustingEveryone = List.copyOf(trustingEveryone);
    }

    /** No proxy trusted: every request counts against its connection's peer. */
    public static ClientAddress peerOnly() {
        return new ClientAddress(null, List.of());
    }

    /**
     * Trusts the proxies given as IP addresses or CIDR blocks ({@code 10.0.0.5}, {@code 10.0.0.0/8},
     * {@code fd00::/8}, or an IPv4 block written as IPv6, {@code ::ffff:10.0.0.0/104}).
     *
     * <p>The rules, the same in both families:
     * <ul>
     * <li>A block is written as its network: one with host bits set ({@code 10.0.0.1/8}, {@code 2001:db8::1/32})
     *     is refused, with the block it would have been and the one address it may have meant. It is a mistake in
     *     the one setting that decides whose word is believed, and the two readings trust 16 million addresses
     *     or one, so it is not guessed.
     * <li>An IPv4-mapped address ({@code ::ffff:a.b.c.d}, or {@code ::ffff:0:0} in hex) is that IPv4 address,
     *     and a mapped block of /96 or longer is that IPv4 block ({@code ::ffff:10.0.0.0/104} is
     *     {@code 10.0.0.0/8}): the JDK gives an IPv4 sender on a dual-stack socket as its IPv4 address.
     * <li>Any other IPv6 block, shorter ones whose range holds the mapped addresses included ({@code ::/0},
     *     {@code ::fffe:0:0/95}), is IPv6 only and never trusts an IPv4 sender. A mapped address with a prefix
     *     under /96 always has host bits set ({@code ffff} lies in bits 80 to 95), so it is refused by the first
     *     rule, naming the IPv6 block it would have been.
     * </ul>
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or block, or has host bits set
     */
    public static ClientAddress trusting(List<String> proxies) {
        if (proxies.isEmpty()) {
            return peerOnly();
        }
        InetAddressSet set = new InetAddressSet();
        List<List<String>> everyone = new ArrayList<>();
        Family v4 = new Family(32);
        Family v6 = new Family(128);
        for (String proxy : proxies) {
            Matcher m = BLOCK.matcher(proxy.strip());
            InetAddress address = m.matches() ? literal(m.group(1)) : null;
            int bits = address == null || m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            boolean mapped = address instanceof Inet4Address && m.group(1).indexOf(':') >= 0;
            int maxBits = address == null ? 0 : mapped ? 128 : address.getAddress().length * 8;
            if (address == null || bits > maxBits) {
                throw new IllegalArgumentException("--trusted-proxy \"" + proxy + "\" is not an IP address or a CIDR block"
                        + " (such as 10.0.0.5, 10.0.0.0/8 or fd00::/8); host names are not looked up");
            }
            byte[] written = mapped ? mapped(address.getAddress()) : address.getAddress();
            if (bits >= 0 && !Arrays.equals(written, masked(written, bits))) {
                throw hostBits(proxy.strip(), m.group(1), written, bits, mapped);
            }
            if (mapped && bits >= 0) {
                bits -= 96; // ::ffff:10.0.0.0/104: an IPv4 block written as IPv6, which the JDK reads as IPv4
            }
            set.add(bits < 0 ? address.getHostAddress() : address.getHostAddress() + "/" + bits);
            Family family = address instanceof Inet4Address ? v4 : v6;
            family.add(proxy.strip(), new BigInteger(1, address.getAddress()), bits < 0 ? family.bits : bits);
            if (bits == 0) {
                everyone.add(List.of(proxy.strip()));
            }
        }
        for (Family family : List.of(v4, v6)) {
            if (!family.hasWholeBlock && AddressCoverage.coversAll(family.ranges, family.bits)) {
                everyone.add(List.copyOf(family.entries));
            }
        }
        return new ClientAddress(set, everyone);
    }

    /** The entries of one address family, and the ranges they trust. */
    private static final class Family {
        final int bits;
        final List<String> entries = new ArrayList<>();
        final List<AddressCoverage.Range> ranges = new ArrayList<>();
        boolean hasWholeBlock;

        Family(int bits) {
            this.bits = bits;
        }

        void add(String entry, BigInteger network, int prefix) {
            entries.add(entry);
            ranges.add(AddressCoverage.Range.ofBlock(network, prefix, bits));
            hasWholeBlock |= prefix == 0;
        }
    }

    /**
     * The entries that trust every address of a family: each a single block of every address
     * ({@code 0.0.0.0/0}, {@code ::/0}), or every entry of a family whose blocks together cover it
     * ({@code 0.0.0.0/1} and {@code 128.0.0.0/1}). Then any sender may name, in {@code X-Forwarded-For},
     * the address it counts against, and so escape every limit kept per sender. {@code serve} warns of them.
     */
    public List<List<String>> trustingEveryone() {
        return trustingEveryone;
    }

    /** {@code address} with every bit after the first {@code bits} cleared: the network of the block. */
    static byte[] masked(byte[] address, int bits) {
        byte[] b = address.clone();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        return b;
    }

    /** The 16 bytes of the IPv4-mapped IPv6 address of the IPv4 address {@code ipv4}. */
    private static byte[] mapped(byte[] ipv4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, b, 12, 4);
        return b;
    }

    /** The refusal of {@code entry}, the block {@code written}/{@code bits} with host bits set, naming what it may have meant. */
    private static IllegalArgumentException hostBits(String entry, String addressText, byte[] written, int bits, boolean mapped) {
        byte[] network = masked(written, bits);
        String block;
        if (mapped && bits >= 96) {
            String ipv4 = text(Arrays.copyOfRange(network, 12, 16));
            block = "::ffff:" + ipv4 + "/" + bits + " (" + ipv4 + "/" + (bits - 96) + ")";
        } else {
            block = text(network) + "/" + bits;
        }
        String hint = mapped && bits < 96 ? "; an IPv4 block written as IPv6 takes a prefix of /96 or more "
                + "(::ffff:10.0.0.0/104 is 10.0.0.0/8)" : "";
        return new IllegalArgumentException("--trusted-proxy \"" + entry + "\" has host bits set: " + addressText
                + " is not the first address of a /" + bits + " block; write " + block + " to trust the block that holds it, "
                + "or " + addressText + " alone to trust that one address" + hint);
    }

    /** An address's bytes as text: IPv4 dotted, IPv6 in RFC 5952's short form (longest run of zero groups as ::). */
    static String text(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Whether a request whose peer is {@code address} comes from a trusted proxy (for tests). */
    boolean trusts(String address) {
        InetAddress parsed = literal(address);
        return trusted != null && parsed != null && trusted.test(parsed);
    }

    /**
     * Whether a request from {@code peer} came through a trusted proxy that says the sender used https
     * ({@code X-Forwarded-Proto}, its last value: the one the nearest proxy wrote, as for the address).
     */
    boolean forwardedOverHttps(String peer, String forwardedProto) {
        if (trusted == null || forwardedProto == null) {
            return false;
        }
        InetAddress hop = literal(peer);
        String last = forwardedProto.substring(forwardedProto.lastIndexOf(',') + 1).strip();
        return hop != null && trusted.test(hop) && last.equalsIgnoreCase("https");
    }

    /**
     * The address {@code peer}'s request counts against.
     *
     * @param forwardedFor the request's {@code X-Forwarded-For} headers in order (empty when none)
     */
    String of(String peer, List<String> forwardedFor) {
        return network(sender(peer, forwardedFor));
    }

    private String sender(String peer, List<String> forwardedFor) {
        if (trusted == null || forwardedFor.isEmpty()) {
            return peer;
        }
        InetAddress hop = literal(peer);
        if (hop == null || !trusted.test(hop)) {
            return peer;
        }
        String[] entries = String.join(",", forwardedFor).split(",", -1);
        for (int i = entries.length - 1; i >= 0; i--) {
            InetAddress next = literal(entries[i]);
            if (next == null) {
                return hop.getHostAddress();
            }
            hop = next;
            if (!trusted.test(hop)) {
                return hop.getHostAddress();
            }
        }
        return hop.getHostAddress(); // every hop a trusted proxy: the request began at the first of them
    }

    /** An IPv6 address as its /64 network ({@code 2001:db8:0:0::/64}); anything else as it is. */
    static String network(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        InetAddress parsed = literal(address);
        if (!(parsed instanceof Inet6Address)) {
            return address;
        }
        byte[] b = parsed.getAddress();
        StringBuilder prefix = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /**
     * The IP address {@code text} spells, or null: never a name lookup. Some proxies add the sender's port
     * ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}) or an IPv6 zone ({@code fe80::1%eth0}); the
     * address is read without them.
     */
    static InetAddress literal(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !PORT.matcher(s.substring(close + 1)).matches()) {
                return null;
            }
            s = s.substring(1, close);
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) { // one colon: IPv4 and its port
            if (!PORT.matcher(s.substring(s.indexOf(':'))).matches()) {
                return null;
            }
            s = s.substring(0, s.indexOf(':'));
        }
        int zone = s.indexOf('%');
        if (zone > 0 && s.indexOf(':') >= 0) {
            s = s.substring(0, zone);
        }
        Matcher v4 = IPV4.matcher(s);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return address(bytes, null);
        }
        // with a colon, the JDK reads the text as an IPv6 literal and fails rather than looking a name up
        return s.length() <= 45 && IPV6.matcher(s).matches() ? address(null, s) : null;
    }

    private static InetAddress address(byte[] bytes, String ipv6) {
        try {
            return bytes != null ? InetAddress.getByAddress(bytes) : InetAddress.getByName(ipv6);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
