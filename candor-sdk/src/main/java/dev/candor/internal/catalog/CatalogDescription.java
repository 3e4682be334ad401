package dev.candor.internal.catalog;

import java.math.BigDecimal;
import java.util.List;

/**
 * A catalog as plain text a user reads at a terminal or in a dialog ({@code acme telemetry what}, the
 * Swing panel's "What is collected?"): each event, what it means, its fields with every allowed value,
 * and whether it gets local noise, in the same words as the generated TELEMETRY.md. Pure function of the
 * catalog; lines end with {@code \n}.
 */
public final class CatalogDescription {
    private CatalogDescription() {
    }

    /** The whole description, ending with a line break. */
    public static String of(Catalog catalog) {
        String unit = catalog.period().jsonName();
        StringBuilder s = new StringBuilder(1024);
        s.append(catalog.title()).append(" (").append(catalog.app()).append(") can count the ")
                .append(catalog.events().size()).append(catalog.events().size() == 1 ? " event" : " events")
                .append(" below and nothing else.\n");
        s.append("Once per ").append(unit).append(" (UTC) it makes one report: how many times each combination of"
                + " values happened, each count capped at ").append(catalog.maxPerCell()).append(".\n");
        for (EventSpec event : catalog.events()) {
            s.append('\n').append(event.name()).append(": ").append(event.description()).append('\n');
            int width = 0;
            for (FieldSpec f : event.fields()) {
                width = Math.max(width, f.name().length());
            }
            for (FieldSpec f : event.fields()) {
                s.append("  ").append(f.name());
                for (int i = f.name().length(); i < width + 2; i++) {
                    s.append(' ');
                }
                s.append(values(f, catalog.packages(), unit)).append('\n');
            }
            s.append("  local noise: ").append(noise(event.noiseEpsilon())).append('\n');
            if (event.review() != null) {
                s.append("  agreed in: ").append(event.review()).append('\n');
            }
        }
        s.append('\n').append(catalog.events().size()).append(catalog.events().size() == 1 ? " event, " : " events, ")
                .append(catalog.totalCells()).append(" possible combinations in all.\n");
        s.append("Every report also says, coarsely, what it ran on: app version (major.minor), os, arch,"
                + " Java version, memory tier, install method, whether on a build server (CI).\n");
        s.append("Never collected: who you are, addresses, paths, file names, anything you typed, messages.\n");
        s.append("Policy: ").append(catalog.policyUrl()).append('\n');
        return s.toString();
    }

    /** One field's allowed values, as the TELEMETRY.md table words them. */
    static String values(FieldSpec f, List<String> packages, String unit) {
        if (f.type() == FieldType.ERROR_TYPE) {
            StringBuilder s = new StringBuilder("the error's class name if it is in java.*, javax.*");
            for (String pkg : packages) {
                s.append(", ").append(pkg).append(".*");
            }
            return s.append("; any other error is ").append(ErrorTypes.OTHER).append(". Never the message. At most ")
                    .append(FieldType.ERROR_TYPE_LIMIT).append(" names per install per ").append(unit).append('.')
                    .toString();
        }
        String list = String.join(", ", f.values());
        if (f.type() == FieldType.DURATION) {
            return list + " (how long it took, in buckets)";
        }
        if (f.type() == FieldType.COUNT) {
            return list + " (a quantity, in buckets)";
        }
        return list;
    }

    private static String noise(BigDecimal epsilon) {
        if (epsilon == null) {
            return "no (exact counts)";
        }
        return "yes, ε = " + epsilon.stripTrailingZeros().toPlainString() + " (every value is sent, with noise)";
    }
}
