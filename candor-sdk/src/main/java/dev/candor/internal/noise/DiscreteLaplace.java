package dev.candor.internal.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

/**
 * The discrete Laplace (two-sided geometric) distribution: {@code P(Z = z) ∝ exp(-|z| / t)} on the
 * integers, for a rational scale {@code t}. Both the SDK (local noise on sensitive events) and the
 * collector (noise on published numbers) draw from it through {@link #sample}.
 *
 * <p>Sampling is exact: only integer arithmetic and uniformly random integers, never a
 * floating-point logarithm, so the output has exactly the intended distribution and no
 * least-significant-bit leaks (Mironov 2012). The method follows Canonne, Kamath and Steinke
 * (2020), "The Discrete Gaussian for Differential Privacy": Bernoulli(exp(-γ)) for rational γ by
 * a series of rational coin flips, a geometric number of whole scale steps plus a uniform remainder
 * kept with probability exp(-U/t), then a random sign (rejecting "-0" so zero is not counted
 * twice). Production callers pass a {@code SecureRandom}; tests pass a seeded {@code Random}.
 * Stateless; thread-safe when the {@code Random} is.
 */
public final class DiscreteLaplace {
    private DiscreteLaplace() {
    }

    /**
     * Draws one sample of scale {@code scaleNumerator / scaleDenominator}.
     *
     * @throws IllegalArgumentException when either part is not positive
     */
    public static long sample(Random random, long scaleNumerator, long scaleDenominator) {
        if (scaleNumerator <= 0 || scaleDenominator <= 0) {
            throw new IllegalArgumentException("the scale must be a positive fraction, not "
                    + scaleNumerator + "/" + scaleDenominator);
        }
        long t = scaleNumerator;
        long s = scaleDenominator;
        while (true) {
            long u = uniformBelow(random, t);
            if (!bernoulliExpMinus(random, u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExpMinus(random, 1, 1)) {
                v++;
            }
            // X = U + t·V is geometric-with-remainder of scale t; dividing by s gives scale t/s.
            long y = floorOfSum(u, t, v, s);
            boolean negative = random.nextBoolean();
            if (negative && y == 0) {
                continue;
            }
            return negative ? -y : y;
        }
    }

    /**
     * The scale {@code 1/ε} as an exact fraction {@code {numerator, denominator}} in lowest terms,
     * e.g. ε = 0.3 gives {@code {10, 3}}.
     *
     * @throws IllegalArgumentException when ε is not positive or its fraction does not fit a long
     */
    public static long[] scaleForEpsilon(BigDecimal epsilon) {
        if (epsilon == null || epsilon.signum() <= 0) {
            throw new IllegalArgumentException("epsilon must be positive, not " + epsilon);
        }
        BigDecimal e = epsilon.stripTrailingZeros();
        BigInteger num;
        BigInteger den;
        if (e.scale() >= 0) {
            // ε = unscaled / 10^scale, so 1/ε = 10^scale / unscaled
            num = BigInteger.TEN.pow(e.scale());
            den = e.unscaledValue();
        } else {
            num = BigInteger.ONE;
            den = e.unscaledValue().multiply(BigInteger.TEN.pow(-e.scale()));
        }
        BigInteger gcd = num.gcd(den);
        num = num.divide(gcd);
        den = den.divide(gcd);
        if (num.bitLength() > 62 || den.bitLength() > 62) {
            throw new IllegalArgumentException("epsilon " + epsilon + " has too many digits for an exact scale");
        }
        return new long[] {num.longValue(), den.longValue()};
    }

    /** The exact probability {@code P(Z = z)} for this scale, as a double. */
    public static double pmf(long z, double scale) {
        checkScale(scale);
        // normalising constant: (1 - q) / (1 + q) with q = exp(-1/t), which is tanh(1/(2t))
        return Math.tanh(1.0 / (2.0 * scale)) * Math.exp(-Math.abs((double) z) / scale);
    }

    /**
     * The smallest {@code h ≥ 0} with {@code P(|Z| > h) ≤ 1 - confidence}, from the closed form
     * {@code P(|Z| > h) = 2 q^(h+1) / (1 + q)}, {@code q = exp(-1/scale)}; so
     * {@code [x - h, x + h]} holds the true value with at least that confidence.
     *
     * @throws IllegalArgumentException unless {@code 0 ≤ confidence < 1} and the scale is positive
     */
    public static long tailBound(double scale, double confidence) {
        checkScale(scale);
        if (!(confidence >= 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1), not " + confidence);
        }
        double logAlpha = Math.log1p(-confidence);
        double logQ = -1.0 / scale;
        double log1pQ = Math.log1p(Math.exp(logQ));
        // Solve log(2) + (h+1)·log(q) - log(1+q) ≤ log(alpha) for the smallest whole h, then settle
        // the rounding by checking the neighbours against the closed form itself.
        double estimate = Math.ceil((logAlpha - Math.log(2) + log1pQ) / logQ) - 1;
        long h = (long) Math.max(0, Math.min(estimate, Long.MAX_VALUE / 2.0));
        while (h > 0 && logTail(h - 1, logQ, log1pQ) <= logAlpha) {
            h--;
        }
        while (logTail(h, logQ, log1pQ) > logAlpha) {
            h++;
        }
        return h;
    }

    /** {@code log P(|Z| > h)}. */
    private static double logTail(long h, double logQ, double log1pQ) {
        return Math.log(2) + (h + 1) * logQ - log1pQ;
    }

    private static void checkScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the scale must be a positive finite number, not " + scale);
        }
    }

    /**
     * {@code floor((u + t·v) / s)}, exactly; the sum only exceeds a long for huge fractions, then
     * BigInteger takes over. A result beyond a long (a scale near 2^63) is an ArithmeticException.
     */
    private static long floorOfSum(long u, long t, long v, long s) {
        long high = Math.multiplyHigh(t, v);
        long product = t * v;
        if (high == 0 && product >= 0 && product + u >= 0) {
            return (product + u) / s;
        }
        return BigInteger.valueOf(t).multiply(BigInteger.valueOf(v)).add(BigInteger.valueOf(u))
                .divide(BigInteger.valueOf(s)).longValueExact();
    }

    /** True with probability {@code exp(-num/den)}, for {@code num ≥ 0}, {@code den > 0}. */
    static boolean bernoulliExpMinus(Random random, long num, long den) {
        if (num <= den) {
            // γ = num/den ≤ 1: flip coins of γ/1, γ/2, γ/3, … until one fails; odd count → true.
            long k = 1;
            while (bernoulli(random, num, den, k)) {
                k++;
            }
            return (k & 1) == 1;
        }
        long whole = num / den;
        for (long i = 0; i < whole; i++) {
            if (!bernoulliExpMinus(random, 1, 1)) {
                return false;
            }
        }
        return bernoulliExpMinus(random, num % den, den);
    }

    /** True with probability {@code num / (den·k)}, exactly. */
    private static boolean bernoulli(Random random, long num, long den, long k) {
        long high = Math.multiplyHigh(den, k);
        long bound = den * k;
        if (high == 0 && bound > 0) {
            return uniformBelow(random, bound) < num;
        }
        BigInteger big = BigInteger.valueOf(den).multiply(BigInteger.valueOf(k));
        return uniformBelow(random, big).compareTo(BigInteger.valueOf(num)) < 0;
    }

    /** A uniformly random long in {@code [0, bound)}, by rejection, so no value is favoured. */
    static long uniformBelow(Random random, long bound) {
        if ((bound & (bound - 1)) == 0) {
            return random.nextLong() & (bound - 1);
        }
        long bits;
        long value;
        do {
            bits = random.nextLong() >>> 1;
            value = bits % bound;
        } while (bits - value + (bound - 1) < 0);
        return value;
    }

    private static BigInteger uniformBelow(Random random, BigInteger bound) {
        BigInteger value;
        do {
            value = new BigInteger(bound.bitLength(), random);
        } while (value.compareTo(bound) >= 0);
        return value;
    }
}
