package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.web.AddressCoverage.Range;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link AddressCoverage#coversAll} against what it must agree with: every address counted one by one in
 * a space small enough to count, and, at IPv4's and IPv6's real widths, partitions of the whole space made
 * by splitting blocks in halves, which cover it until any one of their blocks is taken away.
 */
class AddressCoverageProperties {

    record Block(int network, int prefix) {
    }

    /** Random blocks of a 5-bit space (32 addresses): sets large enough that many of them cover it. */
    @Provide
    Arbitrary<List<Block>> smallBlocks() {
        Arbitrary<Block> block = Combinators.combine(Arbitraries.integers().between(0, 31),
                Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(6, 1), Tuple.of(6, 2), Tuple.of(6, 3), Tuple.of(6, 4),
                        Tuple.of(6, 5))).as(Block::new);
        return block.list().ofMaxSize(20);
    }

    @Property(tries = 2000)
    void agreesWithCountingEveryAddressOfASmallSpace(@ForAll("smallBlocks") List<Block> blocks) {
        int bits = 5;
        boolean[] held = new boolean[1 << bits];
        List<Range> ranges = new ArrayList<>();
        for (Block b : blocks) {
            int size = 1 << (bits - b.prefix());
            int first = b.network() / size * size;
            for (int a = first; a < first + size; a++) {
                held[a] = true;
            }
            ranges.add(Range.ofBlock(BigInteger.valueOf(b.network()), b.prefix(), bits));
        }
        boolean counted = true;
        for (boolean h : held) {
            counted &= h;
        }
        Statistics.label("covers").collect(counted);
        Statistics.label("covers").coverage(c -> c.check(true)
                .percentage(p -> p > 10));
        assertThat(AddressCoverage.coversAll(ranges, bits)).isEqualTo(counted);
    }

    /**
     * Splits the whole space of {@code bits}-bit addresses: each choice picks a block and halves it (a block
     * of one address stays whole). The blocks come out in the order the choices left them.
     */
    private static List<Range> partition(int bits, List<Integer> choices) {
        List<Range> blocks = new ArrayList<>(List.of(Range.ofBlock(BigInteger.ZERO, 0, bits)));
        List<Integer> prefixes = new ArrayList<>(List.of(0));
        for (int choice : choices) {
            int i = choice % blocks.size();
            int prefix = prefixes.get(i);
            if (prefix == bits) {
                continue;
            }
            Range whole = blocks.get(i);
            BigInteger half = BigInteger.ONE.shiftLeft(bits - prefix - 1);
            blocks.set(i, Range.ofBlock(whole.first(), prefix + 1, bits));
            prefixes.set(i, prefix + 1);
            blocks.add(Range.ofBlock(whole.first().add(half), prefix + 1, bits));
            prefixes.add(prefix + 1);
        }
        return blocks;
    }

    @Property(tries = 500)
    void aPartitionOfIpv4OrIpv6CoversItAndLosesThatWithAnyOneBlock(
            @ForAll("choices") List<Integer> choices, @ForAll boolean ipv6, @ForAll @IntRange(max = 1000) int dropped) {
        int bits = ipv6 ? 128 : 32;
        List<Range> blocks = partition(bits, choices);
        assertThat(AddressCoverage.coversAll(blocks, bits)).isTrue();
        List<Range> reversed = new ArrayList<>(blocks);
        Collections.reverse(reversed);
        assertThat(AddressCoverage.coversAll(reversed, bits)).isTrue();
        if (blocks.size() > 1) {
            List<Range> fewer = new ArrayList<>(blocks);
            Range gone = fewer.remove(dropped % fewer.size());
            assertThat(AddressCoverage.coversAll(fewer, bits)).as("without %s", gone).isFalse();
            fewer.add(gone);
            fewer.add(gone); // a block twice changes nothing
            assertThat(AddressCoverage.coversAll(fewer, bits)).isTrue();
        }
    }

    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().between(0, 10_000).list().ofMaxSize(60);
    }
}
