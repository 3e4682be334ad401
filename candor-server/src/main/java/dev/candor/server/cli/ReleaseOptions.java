package dev.candor.server.cli;

import dev.candor.server.release.ReleaseMechanism;
import dev.candor.server.release.ReleasePolicy;
import dev.candor.server.rollup.Breakdown;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The options that decide how releases are made, shared by {@code serve} and {@code release}. */
final class ReleaseOptions {

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "" + ReleaseMechanism.DEFAULT_EPSILON,
            description = "Privacy parameter ε of each breakdown's release (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--epsilon-for", paramLabel = "BREAKDOWN=E",
            description = "ε of one breakdown (repeatable), e.g. --epsilon-for os=0.25; breakdowns: overall, app_version, os, "
                    + "arch, runtime, memory_tier, install_method, ci.")
    Map<String, Double> epsilonFor = new LinkedHashMap<>();

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2d", converter = GraceConverter.class,
            description = "How long after a period closes its release waits for late reports (default: ${DEFAULT-VALUE}; e.g. 36h, 2d).")
    Duration grace;

    /** The policy these options describe; a bad value is an IllegalArgumentException naming the option. */
    ReleasePolicy policy() {
        for (String by : epsilonFor.keySet()) {
            try {
                Breakdown.named(by);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--epsilon-for: " + e.getMessage());
            }
        }
        // each option checked on its own, so that the message names the one that is wrong
        ReleasePolicy defaults = ReleasePolicy.defaults();
        check("--epsilon", () -> new ReleasePolicy(epsilon, Map.of(), defaults.grace()));
        epsilonFor.forEach((by, e) -> check("--epsilon-for " + by + "=" + e,
                () -> new ReleasePolicy(defaults.defaultEpsilon(), Map.of(by, e), defaults.grace())));
        check("--grace", () -> new ReleasePolicy(defaults.defaultEpsilon(), Map.of(), grace));
        return new ReleasePolicy(epsilon, epsilonFor, grace);
    }

    private static void check(String option, Runnable build) {
        try {
            build.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Reads {@code 2d}, {@code 36h}, {@code 90m}, {@code 30s}, {@code 0} or an ISO-8601 duration. */
    static final class GraceConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            try {
                if (v.equals("0")) {
                    return Duration.ZERO;
                }
                if (v.startsWith("P") || v.startsWith("p")) {
                    return Duration.parse(v);
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                switch (v.charAt(v.length() - 1)) {
                    case 'd':
                        return Duration.ofDays(n);
                    case 'h':
                        return Duration.ofHours(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    case 's':
                        return Duration.ofSeconds(n);
                    default:
                        break;
                }
            } catch (RuntimeException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("\"" + value + "\" is not a duration; write it like 2d, 36h, 90m or 30s");
        }
    }
}
