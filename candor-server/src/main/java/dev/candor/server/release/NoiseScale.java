package dev.candor.server.release;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The scale {@code (1 + m) / ε} of a release's discrete Laplace noise as an exact fraction, so the
 * SDK's integer sampler never sees a rounded floating-point scale (Mironov 2012). ε is read as the
 * decimal it is written as ({@code 0.3} is exactly 3/10).
 *
 * @param numerator   positive
 * @param denominator positive; the fraction is in lowest terms
 */
public record NoiseScale(long numerator, long denominator) {

    public NoiseScale {
        if (numerator <= 0 || denominator <= 0) {
            throw new IllegalArgumentException("a noise scale is a positive fraction, was " + numerator + "/" + denominator);
        }
    }

    /** The scale for contribution bound {@code m} and privacy parameter {@code epsilon}. */
    public static NoiseScale of(int m, double epsilon) {
        if (m < 0) {
            throw new IllegalArgumentException("m must be at least 0, was " + m);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive finite number, was " + epsilon
                    + " (typical values are 0.1 to 1; the default is 0.5)");
        }
        BigDecimal exact = new BigDecimal(Double.toString(epsilon)).stripTrailingZeros();
        BigInteger num = BigInteger.valueOf(1L + m);
        BigInteger den = exact.unscaledValue();
        if (exact.scale() >= 0) {
            num = num.multiply(BigInteger.TEN.pow(exact.scale()));
        } else {
            den = den.multiply(BigInteger.TEN.pow(-exact.scale()));
        }
        BigInteger gcd = num.gcd(den);
        num = num.divide(gcd);
        den = den.divide(gcd);
        if (num.bitLength() > 62 || den.bitLength() > 62) {
            throw new IllegalArgumentException("epsilon " + epsilon + " has too many decimal digits for an exact noise scale; "
                    + "round it to a few digits, such as 0.25");
        }
        return new NoiseScale(num.longValueExact(), den.longValueExact());
    }

    /** The scale as a double, for the pmf and tail computations (not for sampling). */
    public double value() {
        return (double) numerator / denominator;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
