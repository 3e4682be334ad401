package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The rule for {@code --trusted-proxy} blocks, the same in both families: a block is accepted exactly when it is
 * written as its network, and then trusts exactly its addresses; a refused one names a block that is accepted and
 * holds the address written. An IPv4-mapped block of /96 or longer is the IPv4 block it maps; a mapped address
 * under /96 is always refused. Addresses are drawn near block edges (all-zero and all-one host bits) as well as at
 * random, since that is where an off-by-one in masking would show.
 */
class ClientAddressProperties {

    @Provide
    Arbitrary<byte[]> ipv4() {
        return address(4);
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        return address(16);
    }

    /** Random bytes, often with a long run of zero or one bits at the end (a block's first or last address). */
    private static Arbitrary<byte[]> address(int length) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofSize(length);
        return Arbitraries.oneOf(random, random.flatMap(b -> Arbitraries.integers().between(0, length * 8).map(keep -> {
            return ClientAddress.masked(b, keep);
        })), random.flatMap(b -> Arbitraries.integers().between(0, length * 8).map(keep -> {
            byte[] ones = b.clone();
            for (int bit = keep; bit < length * 8; bit++) {
                ones[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            return ones;
        })));
    }

    @Property(tries = 1000)
    void anIpv4BlockIsAcceptedExactlyWhenWrittenAsItsNetwork(@ForAll("ipv4") byte[] address, @ForAll @IntRange(max = 32) int bits,
            @ForAll("ipv4") byte[] probe) {
        blockRule(address, bits, probe);
    }

    @Property(tries = 1000)
    void anIpv6BlockIsAcceptedExactlyWhenWrittenAsItsNetwork(@ForAll("ipv6") byte[] address, @ForAll @IntRange(max = 128) int bits,
            @ForAll("ipv6") byte[] probe) {
        if (isMapped(address) || isMapped(probe)) {
            return; // those are IPv4 addresses to the JDK: the properties below
        }
        blockRule(address, bits, probe);
    }

    private static void blockRule(byte[] address, int bits, byte[] probe) {
        String written = ClientAddress.text(address) + "/" + bits;
        byte[] network = ClientAddress.masked(address, bits);
        if (java.util.Arrays.equals(address, network)) {
            ClientAddress trusting = ClientAddress.trusting(List.of(written));
            assertThat(trusting.trusts(ClientAddress.text(probe))).as("%s trusts %s", written, ClientAddress.text(probe))
                    .isEqualTo(inBlock(probe, network, bits));
            assertThat(trusting.trusts(ClientAddress.text(address))).isTrue();
        } else {
            String meant = ClientAddress.text(network) + "/" + bits;
            assertThatThrownBy(() -> ClientAddress.trusting(List.of(written)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has host bits set")
                    .hasMessageContaining("write " + meant + " to trust the block that holds it");
            ClientAddress suggested = ClientAddress.trusting(List.of(meant));
            assertThat(suggested.trusts(ClientAddress.text(address))).as("%s holds %s", meant, written).isTrue();
            assertThat(ClientAddress.trusting(List.of(ClientAddress.text(address))).trusts(ClientAddress.text(address))).isTrue();
        }
    }

    /** {@code ::ffff:a.b.c.d/(96 + n)} is {@code a.b.c.d/n}: accepted or refused alike, trusting the same IPv4 addresses. */
    @Property(tries = 1000)
    void anIpv4BlockWrittenAsIpv6IsThatIpv4Block(@ForAll("ipv4") byte[] address, @ForAll @IntRange(max = 32) int bits,
            @ForAll("ipv4") byte[] probe) {
        String ipv4 = ClientAddress.text(address) + "/" + bits;
        String mapped = "::ffff:" + ipv4.replace("/" + bits, "/" + (96 + bits));
        boolean hostBits = !java.util.Arrays.equals(address, ClientAddress.masked(address, bits));
        if (hostBits) {
            assertThatThrownBy(() -> ClientAddress.trusting(List.of(ipv4))).hasMessageContaining("has host bits set");
            assertThatThrownBy(() -> ClientAddress.trusting(List.of(mapped))).hasMessageContaining("has host bits set")
                    .hasMessageContaining("(" + ClientAddress.text(ClientAddress.masked(address, bits)) + "/" + bits + ")");
            return;
        }
        String target = ClientAddress.text(probe);
        assertThat(ClientAddress.trusting(List.of(mapped)).trusts(target))
                .isEqualTo(ClientAddress.trusting(List.of(ipv4)).trusts(target))
                .isEqualTo(ClientAddress.trusting(List.of(mapped)).trusts("::ffff:" + target));
        assertThat(ClientAddress.trusting(List.of(mapped)).trustingEveryone().isEmpty()).isEqualTo(bits > 0);
    }

    /** A mapped address under /96 has host bits (its ffff), so it is refused, naming an IPv6 block that trusts no IPv4 sender. */
    @Property(tries = 300)
    void aMappedAddressUnderSlash96IsRefused(@ForAll("ipv4") byte[] address, @ForAll @IntRange(max = 95) int bits,
            @ForAll("ipv4") byte[] probe) {
        String written = "::ffff:" + ClientAddress.text(address) + "/" + bits;
        String meant = ClientAddress.text(ClientAddress.masked(mappedBytes(address), bits)) + "/" + bits;
        assertThatThrownBy(() -> ClientAddress.trusting(List.of(written))).hasMessageContaining("has host bits set")
                .hasMessageContaining("write " + meant + " to trust the block")
                .hasMessageEndingWith("an IPv4 block written as IPv6 takes a prefix of /96 or more (::ffff:10.0.0.0/104 is 10.0.0.0/8)");
        assertThat(ClientAddress.trusting(List.of(meant)).trusts(ClientAddress.text(probe))).isFalse();
    }

    private static boolean inBlock(byte[] probe, byte[] network, int bits) {
        return new BigInteger(1, ClientAddress.masked(probe, bits)).equals(new BigInteger(1, network));
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] mappedBytes(byte[] ipv4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, b, 12, 4);
        return b;
    }
}
