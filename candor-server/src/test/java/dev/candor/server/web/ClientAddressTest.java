package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Which address a request counts against, behind trusted proxies and without them. */
class ClientAddressTest {
    private static final ClientAddress BEHIND_PROXIES = ClientAddress.trusting(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));
    private static final String PROXY = "10.1.2.3";

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(ClientAddress.peerOnly().of("127.0.0.1", List.of("203.0.113.7"))).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.trusting(List.of()).of("127.0.0.1", List.of("203.0.113.7"))).isEqualTo("127.0.0.1");
    }

    @Test
    void aTrustedProxyNamesTheSender() {
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of(" 203.0.113.7 "))).isEqualTo("203.0.113.7");
        assertThat(BEHIND_PROXIES.of("fd00::1", List.of("2001:db8::5"))).isEqualTo("2001:db8:0:0::/64");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("[2001:db8::5]"))).isEqualTo("2001:db8:0:0::/64");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("203.0.113.7:51234"))).as("with its port").isEqualTo("203.0.113.7");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of())).as("no header: the proxy itself").isEqualTo(PROXY);
    }

    @Test
    void theWalkGoesFromTheRightPastEveryTrustedProxyAndNoFurther() {
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("198.51.100.1, 203.0.113.7, 10.9.9.9"))).isEqualTo("203.0.113.7");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("198.51.100.1", "203.0.113.7"))).as("several headers, in order")
                .isEqualTo("203.0.113.7");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("10.9.9.9, 10.8.8.8"))).as("only proxies: the first of them")
                .isEqualTo("10.9.9.9");
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsTheSenderWhateverItClaims() {
        assertThat(BEHIND_PROXIES.of("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalkAtTheLastAddressAProxyVouchedFor() {
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("localhost"))).isEqualTo(PROXY);
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("203.0.113.7, unknown, 10.9.9.9"))).isEqualTo("10.9.9.9");
        assertThat(BEHIND_PROXIES.of(PROXY, List.of("999.1.1.1"))).isEqualTo(PROXY);
        assertThat(BEHIND_PROXIES.of(PROXY, List.of(""))).isEqualTo(PROXY);
    }

    @Test
    void anIpv6SenderCountsAsItsSlash64SoFreshAddressesGiveNoFreshLimit() {
        assertThat(ClientAddress.peerOnly().of("2001:db8:1:2:aaaa::1", List.of()))
                .isEqualTo(ClientAddress.peerOnly().of("2001:db8:1:2:bbbb::77", List.of()))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.peerOnly().of("2001:db8:1:3::1", List.of())).isEqualTo("2001:db8:1:3::/64");
        assertThat(ClientAddress.peerOnly().of("0:0:0:0:0:0:0:1", List.of())).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddress.peerOnly().of("::ffff:192.0.2.1", List.of())).as("IPv4, mapped").isEqualTo("::ffff:192.0.2.1");
        assertThat(ClientAddress.peerOnly().of("192.0.2.1", List.of())).isEqualTo("192.0.2.1");
    }

    @Test
    void onlyLiteralsAreRead() {
        assertThat(ClientAddress.literal("192.0.2.1")).isNotNull();
        assertThat(ClientAddress.literal("::1")).isNotNull();
        assertThat(ClientAddress.literal("192.0.2.1:4711")).as("with the port some proxies add")
                .isEqualTo(ClientAddress.literal("192.0.2.1"));
        assertThat(ClientAddress.literal("[2001:db8::1]:4711")).isEqualTo(ClientAddress.literal("2001:db8::1"));
        assertThat(ClientAddress.literal("fe80::1%eth0")).as("with a zone").isEqualTo(ClientAddress.literal("fe80::1"));
        for (String notALiteral : List.of("localhost", "example.org", "1.2.3", "256.1.1.1", "1.2.3.4:port",
                "1.2.3.4:123456", "[::1", "[::1]x", "localhost:80", "12345", "")) {
            assertThat(ClientAddress.literal(notALiteral)).as(notALiteral).isNull();
        }
    }

    /**
     * A block with host bits set is refused in both families, naming the block and the address it may have meant:
     * 10.0.0.1/8 trusts 16 million addresses or one, depending on what its writer meant, and this is the setting
     * that decides whose X-Forwarded-For is believed.
     */
    @Test
    void aBlockWrittenWithHostBitsIsRefusedNamingWhatItMayHaveMeant() {
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("10.0.0.1/8")))
                .hasMessage("--trusted-proxy \"10.0.0.1/8\" has host bits set: 10.0.0.1 is not the first address of a /8 "
                        + "block; write 10.0.0.0/8 to trust the block that holds it, or 10.0.0.1 alone to trust that one address");
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("10.0.0.0/8", " 2001:db8::1/32")))
                .hasMessage("--trusted-proxy \"2001:db8::1/32\" has host bits set: 2001:db8::1 is not the first address of "
                        + "a /32 block; write 2001:db8::/32 to trust the block that holds it, or 2001:db8::1 alone to trust "
                        + "that one address");
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("::ffff:10.0.0.1/104")))
                .hasMessageContaining("write ::ffff:10.0.0.0/104 (10.0.0.0/8) to trust the block that holds it");

        ClientAddress trusting = ClientAddress.trusting(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32", "2001:db8::1/128"));
        assertThat(trusting.of("10.200.0.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(trusting.of("2001:db8:ffff::9", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(trusting.of("11.0.0.1", List.of("203.0.113.7"))).isEqualTo("11.0.0.1");
        assertThat(trusting.trusts("192.0.2.1")).isTrue();
        assertThat(trusting.trusts("192.0.2.2")).isFalse();
    }

    @Test
    void anIpv4BlockWrittenAsIpv6CoversThoseIpv4Addresses() {
        ClientAddress trusting = ClientAddress.trusting(List.of("::ffff:10.0.0.0/104"));
        assertThat(trusting.of("10.200.0.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(trusting.of("11.0.0.1", List.of("203.0.113.7"))).isEqualTo("11.0.0.1");
        assertThat(trusting.trustingEveryone()).isEmpty();
        assertThat(ClientAddress.trusting(List.of("::ffff:10.0.0.1")).trusts("10.0.0.1")).isTrue();
    }

    /**
     * A mapped address with a prefix under /96 has host bits set (its ffff lies in bits 80 to 95), so it is refused
     * as 10.0.0.1/8 is, naming the IPv6 block it would be; that block, and every IPv6 block shorter than /96, is IPv6
     * only: IPv4 senders (which the JDK gives unmapped) never match it.
     */
    @Test
    void aMappedAddressUnderSlash96IsAnIpv6BlockWithHostBits() {
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("::ffff:0:0/95")))
                .hasMessage("--trusted-proxy \"::ffff:0:0/95\" has host bits set: ::ffff:0:0 is not the first address of a "
                        + "/95 block; write ::fffe:0:0/95 to trust the block that holds it, or ::ffff:0:0 alone to trust "
                        + "that one address; an IPv4 block written as IPv6 takes a prefix of /96 or more "
                        + "(::ffff:10.0.0.0/104 is 10.0.0.0/8)");
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("::ffff:10.0.0.0/95")))
                .hasMessageContaining("write ::fffe:0:0/95 to trust");
        ClientAddress wide = ClientAddress.trusting(List.of("::fffe:0:0/95"));
        assertThat(wide.trusts("::fffe:1:2")).isTrue();
        assertThat(wide.trusts("10.0.0.1")).isFalse();
        assertThat(wide.trusts("::ffff:10.0.0.1")).as("read as the IPv4 address it maps").isFalse();
        assertThat(ClientAddress.trusting(List.of("::/0")).trusts("10.0.0.1")).isFalse();
    }

    @Test
    void aBlockOfEveryAddressIsNamedSoThatServeCanWarnOfIt() {
        assertThat(ClientAddress.trusting(List.of("10.0.0.1", "0.0.0.0/0", " ::/0", "::ffff:0.0.0.0/96")).trustingEveryone())
                .containsExactly(List.of("0.0.0.0/0"), List.of("::/0"), List.of("::ffff:0.0.0.0/96"));
        assertThat(BEHIND_PROXIES.trustingEveryone()).isEmpty();
        assertThat(ClientAddress.peerOnly().trustingEveryone()).isEmpty();
    }

    /** Blocks that together hold every address of a family trust everyone as much as one /0 does. */
    @Test
    void blocksThatTogetherCoverAFamilyAreNamedToo() {
        assertThat(ClientAddress.trusting(List.of("0.0.0.0/1", "128.0.0.0/1")).trustingEveryone())
                .containsExactly(List.of("0.0.0.0/1", "128.0.0.0/1"));
        assertThat(ClientAddress.trusting(List.of("fd00::/8", "8000::/1", "::/2", "10.0.0.1", "4000::/2")).trustingEveryone())
                .containsExactly(List.of("fd00::/8", "8000::/1", "::/2", "4000::/2"));
        // overlapping blocks, an IPv4 block written as IPv6
        assertThat(ClientAddress.trusting(List.of("128.0.0.0/1", "0.0.0.0/2", "::ffff:64.0.0.0/98", "10.0.0.0/8"))
                .trustingEveryone()).containsExactly(List.of("128.0.0.0/1", "0.0.0.0/2", "::ffff:64.0.0.0/98", "10.0.0.0/8"));
        // a block of every address is named alone, not again with the rest of its family
        assertThat(ClientAddress.trusting(List.of("0.0.0.0/1", "0.0.0.0/0", "128.0.0.0/1")).trustingEveryone())
                .containsExactly(List.of("0.0.0.0/0"));

        assertThat(ClientAddress.trusting(List.of("0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/4",
                "240.0.0.0/5", "248.0.0.0/6", "252.0.0.0/7", "254.0.0.0/8", "255.0.0.0/9")).trustingEveryone())
                .as("all but 255.128.0.0/9").isEmpty();
        assertThat(ClientAddress.trusting(List.of("0.0.0.0/1", "::/1", "128.0.0.0/2")).trustingEveryone()).isEmpty();
        assertThat(ClientAddress.trusting(List.of("0.0.0.0/1", "8000::/1")).trustingEveryone())
                .as("halves of two families").isEmpty();
    }

    @Test
    void theProtocolIsTheOneTheNearestProxyWrote() {
        assertThat(BEHIND_PROXIES.forwardedOverHttps(PROXY, "http, https")).isTrue();
        assertThat(BEHIND_PROXIES.forwardedOverHttps(PROXY, "https, http")).isFalse();
        assertThat(BEHIND_PROXIES.forwardedOverHttps("203.0.113.7", "https")).isFalse();
    }

    @Test
    void aTrustedProxyThatIsNeitherAnAddressNorABlockIsRefusedByName() {
        for (String bad : List.of("proxy.example", "10.0.0.0/33", "fd00::/129", "10.0.0.1/", "", "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> ClientAddress.trusting(List.of("10.0.0.1", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--trusted-proxy \"" + bad + "\" is not an IP address or a CIDR block");
        }
    }

    /** Whatever a sender writes into the header, the address the trusted proxy appended is the one counted. */
    @Property
    void whatASenderPrependsNeverChangesTheAddressCounted(@ForAll("headerText") List<String> spoofed,
                                                          @ForAll("ipv4") String sender) {
        List<String> header = new ArrayList<>(spoofed);
        header.add(sender); // what the proxy appends: the address it saw
        assertThat(BEHIND_PROXIES.of(PROXY, List.of(String.join(",", header)))).isEqualTo(sender);
        assertThat(ClientAddress.peerOnly().of(PROXY, List.of(String.join(",", header)))).isEqualTo(PROXY);
    }

    @Provide
    Arbitrary<String> ipv4() {
        // outside 10/8 and 127.0.0.1, which are trusted above
        return Arbitraries.integers().between(11, 126).flatMap(first -> Arbitraries.integers().between(0, 255).list()
                .ofSize(3).map(rest -> first + "." + rest.get(0) + "." + rest.get(1) + "." + rest.get(2)));
    }

    @Provide
    Arbitrary<List<String>> headerText() {
        return Arbitraries.oneOf(ipv4(), Arbitraries.strings().ofMaxLength(20).excludeChars(','),
                Arbitraries.of("10.0.0.1", "127.0.0.1", "fd00::1", "localhost", "[::1]")).list().ofMaxSize(5);
    }
}
