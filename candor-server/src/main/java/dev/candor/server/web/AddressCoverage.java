package dev.candor.server.web;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether blocks of addresses together cover a whole address space. Trusting every address is the same
 * mistake whether it is written as one block ({@code 0.0.0.0/0}) or as several ({@code 0.0.0.0/1} and
 * {@code 128.0.0.0/1}): any sender may then name the address it counts against. So {@link ClientAddress}
 * merges the blocks of each family, the way they are matched, rather than looking for a {@code /0}.
 */
final class AddressCoverage {
    private AddressCoverage() {
    }

    /** The addresses {@code first} to {@code last}, both included, of an address space. */
    record Range(BigInteger first, BigInteger last) {
        /** The block {@code network}/{@code prefix} of a space of {@code bits}-bit addresses; host bits are ignored. */
        static Range ofBlock(BigInteger network, int prefix, int bits) {
            BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
            BigInteger first = network.subtract(network.mod(size));
            return new Range(first, first.add(size).subtract(BigInteger.ONE));
        }
    }

    /** Whether {@code ranges} together hold every address of a space of {@code bits}-bit addresses. */
    static boolean coversAll(List<Range> ranges, int bits) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(Range::first));
        BigInteger end = BigInteger.ONE.shiftLeft(bits); // one past the last address
        BigInteger next = BigInteger.ZERO; // the first address no range so far holds
        for (Range range : sorted) {
            if (range.first().compareTo(next) > 0) {
                return false; // a gap before this range, and every later range starts later still
            }
            next = next.max(range.last().add(BigInteger.ONE));
            if (next.compareTo(end) >= 0) {
                return true;
            }
        }
        return next.compareTo(end) >= 0;
    }
}
