package dev.candor.internal.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
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
        return of(catalog, CatalogDiff.none());
    }

    /**
     * The whole description with each item that waits for the user's OK marked {@value #NEW_MARK}
     * (or {@value #CHANGED_MARK}, {@value #LESS_NOISE_MARK}), as {@code telemetry what} shows it
     * after a catalog change; with no change, exactly {@link #of(Catalog)}.
     */
    public static String of(Catalog catalog, CatalogDiff diff) {
        String unit = catalog.period().jsonName();
        StringBuilder s = new StringBuilder(1024);
        s.append(catalog.title()).append(" (").append(catalog.app()).append(") can count the ")
                .append(catalog.allEvents().size()).append(catalog.allEvents().size() == 1 ? " event" : " events")
                .append(" below and nothing else.\n");
        s.append("Once per ").append(unit).append(" (UTC) it makes one report: how many times each combination of"
                + " values happened, each count capped at ").append(catalog.maxPerCell()).append(".\n");
        for (EventSpec event : catalog.allEvents()) {
            boolean added = find(diff, CatalogDiff.NEW_EVENT, event, null) != null;
            s.append('\n');
            appendEvent(s, catalog, event, added ? CatalogDiff.none() : diff, unit, added ? "  " + NEW_MARK : "");
        }
        s.append('\n').append(catalog.allEvents().size())
                .append(catalog.allEvents().size() == 1 ? " event, " : " events, ")
                .append(totalCells(catalog)).append(" possible combinations in all.\n");
        s.append("Every report also says, coarsely, what it ran on: app version (major.minor), os, arch,"
                + " Java version, memory tier, install method, whether on a build server (CI).\n");
        s.append("Never collected: who you are, addresses, paths, file names, anything you typed, messages.\n");
        s.append("Policy: ").append(catalog.policyUrl()).append('\n');
        int waiting = diff.waitingCount();
        if (waiting > 0) {
            s.append('\n').append(waiting).append(waiting == 1 ? " item marked " : " items marked ").append(NEW_MARK)
                    .append(", ").append(CHANGED_MARK).append(" or ").append(LESS_NOISE_MARK)
                    .append(waiting == 1 ? " is" : " are").append(" not counted until you agree.\n");
        }
        return s.toString();
    }

    /** The mark of a new event or field that waits for the user's OK. */
    public static final String NEW_MARK = "[new: waits for your OK]";
    /** The mark of a field that allows a value the user did not agree to. */
    public static final String CHANGED_MARK = "[changed: waits for your OK]";
    /** The mark of an event that gets less local noise than the user agreed to. */
    public static final String LESS_NOISE_MARK = "[less noise: waits for your OK]";

    /**
     * Only what waits for the user's OK, in the words of {@link #of(Catalog)}: each new event whole,
     * each new or changed field (with what was agreed), each event with less noise; then the events
     * that are no longer collected. Ends with a line break; empty when nothing changed.
     */
    public static String changes(Catalog catalog, CatalogDiff diff) {
        String unit = catalog.period().jsonName();
        StringBuilder s = new StringBuilder(512);
        for (EventSpec event : catalog.allEvents()) {
            if (find(diff, CatalogDiff.NEW_EVENT, event, null) != null) {
                appendEvent(s, catalog, event, CatalogDiff.none(), unit, "  (new event)");
                continue;
            }
            List<FieldSpec> fields = new ArrayList<>();
            for (FieldSpec f : event.fields()) {
                if (find(diff, CatalogDiff.NEW_FIELD, event, f) != null
                        || find(diff, CatalogDiff.CHANGED_FIELD, event, f) != null) {
                    fields.add(f);
                }
            }
            boolean lessNoise = find(diff, CatalogDiff.LESS_NOISE, event, null) != null;
            if (fields.isEmpty() && !lessNoise) {
                continue;
            }
            s.append(event.name()).append(": ").append(event.description()).append('\n');
            int width = width(fields);
            for (FieldSpec f : fields) {
                appendField(s, f, width, catalog.packages(), unit);
                CatalogDiff.Change changed = find(diff, CatalogDiff.CHANGED_FIELD, event, f);
                if (changed == null) {
                    s.append("  (new field)\n");
                } else {
                    s.append("  (changed; you agreed to: ")
                            .append(values(changed.agreedField(), catalog.packages(), unit)).append(")\n");
                }
            }
            if (lessNoise) {
                s.append("  local noise: ").append(noise(event.noiseEpsilon())).append("  (less noise than you agreed to)\n");
            }
        }
        List<CatalogDiff.Change> removed = diff.ofKind(CatalogDiff.REMOVED_EVENT);
        if (!removed.isEmpty()) {
            s.append("No longer collected (stopped with this version):");
            for (int i = 0; i < removed.size(); i++) {
                s.append(i == 0 ? " " : ", ").append(removed.get(i).event().name());
            }
            s.append('\n');
        }
        return s.toString();
    }

    /**
     * One event: its name and description (then {@code mark}), its fields, its noise and its review, with
     * the marks of the items in {@code diff} that wait for the user's OK.
     */
    private static void appendEvent(StringBuilder s, Catalog catalog, EventSpec event, CatalogDiff diff, String unit,
                                    String mark) {
        s.append(event.name()).append(": ").append(event.description()).append(mark).append('\n');
        appendFields(s, catalog, event, diff, unit);
        s.append("  local noise: ").append(noise(event.noiseEpsilon()));
        s.append(find(diff, CatalogDiff.LESS_NOISE, event, null) != null ? "  " + LESS_NOISE_MARK + "\n" : "\n");
        if (event.review() != null) {
            s.append("  agreed in: ").append(event.review()).append('\n');
        }
    }

    private static void appendFields(StringBuilder s, Catalog catalog, EventSpec event, CatalogDiff diff, String unit) {
        int width = width(event.fields());
        for (FieldSpec f : event.fields()) {
            appendField(s, f, width, catalog.packages(), unit);
            if (find(diff, CatalogDiff.NEW_FIELD, event, f) != null) {
                s.append("  ").append(NEW_MARK);
            } else if (find(diff, CatalogDiff.CHANGED_FIELD, event, f) != null) {
                s.append("  ").append(CHANGED_MARK);
            }
            s.append('\n');
        }
    }

    private static void appendField(StringBuilder s, FieldSpec f, int width, List<String> packages, String unit) {
        s.append("  ").append(f.name());
        for (int i = f.name().length(); i < width + 2; i++) {
            s.append(' ');
        }
        s.append(values(f, packages, unit));
    }

    private static int width(List<FieldSpec> fields) {
        int width = 0;
        for (FieldSpec f : fields) {
            width = Math.max(width, f.name().length());
        }
        return width;
    }

    private static long totalCells(Catalog catalog) {
        long n = 0;
        for (EventSpec e : catalog.allEvents()) {
            n += e.cellCount();
        }
        return n;
    }

    private static CatalogDiff.Change find(CatalogDiff diff, String kind, EventSpec event, FieldSpec field) {
        for (CatalogDiff.Change c : diff.changes()) {
            if (c.kind().equals(kind) && c.event().name().equals(event.name())
                    && (field == null || c.field() != null && c.field().name().equals(field.name()))) {
                return c;
            }
        }
        return null;
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
