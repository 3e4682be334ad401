package dev.candor.internal.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a newer catalog asks beyond the one the user agreed to, item by item, and the part of it
 * that may be recorded meanwhile ({@link #agreedPart}). Pure functions of two catalogs; immutable.
 *
 * <p>Also the catalog as plain text a user reads at a terminal or in a dialog ({@link #describe}: {@code acme
 * telemetry what}, the Swing panel's "What is collected?"): each event, what it means, its fields with every
 * allowed value, and whether it gets local noise, in the same words as the generated TELEMETRY.md, with the
 * items that wait for the user's OK marked; and only those items ({@link #describeChanges}), for the notice
 * of a new version. Lines end with {@code \n}.
 *
 * <p>An item is an event (its name and how much local noise it gets) or one field of an event (its
 * name, its type and, for an enum, its values). Descriptions, titles and the like are words, not
 * items: changing them asks nothing. What needs the user's OK is everything that could reveal
 * more: a new event, a new field on an agreed event, a field with a new type or a new value, an
 * event with less noise (or none). What goes away needs no OK: a removed event stops at once, a
 * removed field or value only makes the counts coarser.
 */
public final class CatalogDiff {

    // The kinds of change, as the words a change's description starts with. A new event, a new field, a changed
    // field and less noise wait for the user's OK; removals need none.
    /** An event the agreed catalog did not have; nothing of it is recorded before the OK. */
    public static final String NEW_EVENT = "new event";
    /** A field added to an agreed event; the event waits, since each of its cells names every field. */
    public static final String NEW_FIELD = "new field";
    /** A field with another type or a value not agreed; cells of agreed values keep counting. */
    public static final String CHANGED_FIELD = "changed field";
    /** An event with less local noise than agreed, or none; it waits. */
    public static final String LESS_NOISE = "less noise on";
    /** An agreed event the catalog no longer has: it stops at once and none of its counts is sent. */
    public static final String REMOVED_EVENT = "removed event";
    /** A field an event no longer has: its counts are coarser, nothing to agree to. */
    public static final String REMOVED_FIELD = "removed field";

    /** One change: its kind, the event and, for field changes, the field (and what was agreed before). */
    public static final class Change {
        private final String kind;
        private final EventSpec event;
        private final FieldSpec field;
        private final FieldSpec agreedField;

        Change(String kind, EventSpec event, FieldSpec field, FieldSpec agreedField) {
            this.kind = kind;
            this.event = event;
            this.field = field;
            this.agreedField = agreedField;
        }

        /** {@link #NEW_EVENT}, {@link #NEW_FIELD}, … (compare with {@code equals}). */
        public String kind() {
            return kind;
        }

        /** True when nothing of this change is recorded before the user agrees to it: anything but a removal. */
        public boolean waitsForConsent() {
            return !kind.equals(REMOVED_EVENT) && !kind.equals(REMOVED_FIELD);
        }

        /** The event as the current catalog has it (as the agreed one had it, for a removed event). */
        public EventSpec event() {
            return event;
        }

        /** The field as the current catalog has it (as agreed, for a removed field); null for event changes. */
        public FieldSpec field() {
            return field;
        }

        /** For {@link #CHANGED_FIELD}: the field as the user agreed to it; else null. */
        public FieldSpec agreedField() {
            return agreedField;
        }

        /** {@code new event file_split}, {@code changed field command_run.command}, … */
        @Override
        public String toString() {
            return kind + " " + event.name() + (field == null ? "" : "." + field.name());
        }
    }

    private static final CatalogDiff NONE = new CatalogDiff(Collections.<Change>emptyList());

    private final List<Change> changes;

    private CatalogDiff(List<Change> changes) {
        this.changes = Collections.unmodifiableList(changes);
    }

    /** No change at all. */
    public static CatalogDiff none() {
        return NONE;
    }

    /**
     * The changes from {@code agreed} to {@code current}: first those of the current catalog's events
     * in its order (each event's own change before its fields'), then the removed events in the agreed
     * catalog's order. Only {@link Catalog#allEvents} of both count. A null {@code agreed} is a user who
     * agreed to nothing: every event is new.
     */
    public static CatalogDiff between(Catalog agreed, Catalog current) {
        List<Change> out = new ArrayList<>();
        for (EventSpec now : current.allEvents()) {
            EventSpec before = eventOf(agreed, now.name());
            if (before == null) {
                out.add(new Change(NEW_EVENT, now, null, null));
                continue;
            }
            if (lessNoise(before, now)) {
                out.add(new Change(LESS_NOISE, now, null, null));
            }
            for (FieldSpec field : now.fields()) {
                FieldSpec was = before.field(field.name());
                if (was == null) {
                    out.add(new Change(NEW_FIELD, now, field, null));
                } else if (allowsMore(was, field)) {
                    out.add(new Change(CHANGED_FIELD, now, field, was));
                }
            }
            for (FieldSpec was : before.fields()) {
                if (now.field(was.name()) == null) {
                    out.add(new Change(REMOVED_FIELD, now, was, null));
                }
            }
        }
        for (EventSpec before : agreed == null ? Collections.<EventSpec>emptyList() : agreed.allEvents()) {
            if (eventOf(current, before.name()) == null) {
                out.add(new Change(REMOVED_EVENT, before, null, null));
            }
        }
        return out.isEmpty() ? NONE : new CatalogDiff(out);
    }

    /** Every change, in the order of {@link #between}. */
    public List<Change> changes() {
        return changes;
    }

    /** The changes that wait for the user's OK (new, changed, less noise), in order. */
    public List<Change> waiting() {
        List<Change> out = new ArrayList<>();
        for (Change c : changes) {
            if (c.waitsForConsent()) {
                out.add(c);
            }
        }
        return out;
    }

    /** How many items wait for the user's OK. */
    public int waitingCount() {
        return waiting().size();
    }

    /** The changes of one kind, in order. */
    public List<Change> ofKind(String kind) {
        List<Change> out = new ArrayList<>();
        for (Change c : changes) {
            if (c.kind.equals(kind)) {
                out.add(c);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /**
     * What may be recorded of {@code current} when the user agreed to {@code agreed} ({@code null}:
     * to nothing): each event whose items were all agreed, as it is; an event whose only waiting items
     * are new values of its fields, with just the agreed values (so that a cell with a new value
     * resolves to nothing); no other event. The result still names the whole current file (its sha256
     * and {@link Catalog#allEvents}), so a report built from it follows the current catalog. Returns
     * {@code current} itself when everything is agreed.
     */
    public static Catalog agreedPart(Catalog current, Catalog agreed) {
        List<EventSpec> recorded = new ArrayList<>();
        boolean all = agreed != null;
        for (EventSpec now : current.allEvents()) {
            EventSpec before = agreed == null ? null : eventOf(agreed, now.name());
            EventSpec part = before == null ? null : agreedEvent(now, before);
            if (part != null) {
                recorded.add(part);
            }
            all &= part == now;
        }
        return all && current.events().size() == current.allEvents().size() ? current : current.recording(recorded);
    }

    /** {@code now} restricted to what {@code before} agreed to; {@code now} itself when all of it was; or null. */
    private static EventSpec agreedEvent(EventSpec now, EventSpec before) {
        if (lessNoise(before, now)) {
            return null;
        }
        List<FieldSpec> fields = null;
        for (int i = 0; i < now.fields().size(); i++) {
            FieldSpec field = now.fields().get(i);
            FieldSpec was = before.field(field.name());
            if (was == null || was.type() != field.type()) {
                return null;
            }
            if (!allowsMore(was, field)) {
                continue;
            }
            List<String> agreedValues = new ArrayList<>();
            for (String v : field.values()) {
                if (was.indexOf(v) >= 0) {
                    agreedValues.add(v);
                }
            }
            if (agreedValues.isEmpty()) {
                return null;
            }
            if (fields == null) {
                fields = new ArrayList<>(now.fields());
            }
            fields.set(i, new FieldSpec(field.name(), field.type(), agreedValues));
        }
        return fields == null ? now : new EventSpec(now.name(), now.description(), now.review(), fields,
                now.noiseEpsilon());
    }

    /** True when {@code now} allows a value {@code was} did not (another type, or a new enum value). */
    private static boolean allowsMore(FieldSpec was, FieldSpec now) {
        if (was.type() != now.type()) {
            return true;
        }
        for (String v : now.values()) {
            if (was.indexOf(v) < 0) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code now} gets less local noise than {@code before}: none where there was some, or a larger ε. */
    private static boolean lessNoise(EventSpec before, EventSpec now) {
        if (!before.noised()) {
            return false;
        }
        return !now.noised() || now.noiseEpsilon().compareTo(before.noiseEpsilon()) > 0;
    }

    private static EventSpec eventOf(Catalog catalog, String name) {
        if (catalog == null) {
            return null;
        }
        for (EventSpec e : catalog.allEvents()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** One change per line, such as {@code new event file_split}; empty when there is none. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Change c : changes) {
            s.append(c).append('\n');
        }
        return s.toString();
    }

    // ---- the catalog in words ----

    /** The whole description of {@code catalog}, ending with a line break. */
    public static String describe(Catalog catalog) {
        return describe(catalog, NONE);
    }

    /**
     * The whole description with each item that waits for the user's OK marked {@value #NEW_MARK}
     * (or {@value #CHANGED_MARK}, {@value #LESS_NOISE_MARK}), as {@code telemetry what} shows it
     * after a catalog change; with no change, exactly {@link #describe(Catalog)}.
     */
    public static String describe(Catalog catalog, CatalogDiff diff) {
        String unit = catalog.period().jsonName();
        StringBuilder s = new StringBuilder(1024);
        s.append(catalog.title()).append(" (").append(catalog.app()).append(") can count the ")
                .append(catalog.allEvents().size()).append(catalog.allEvents().size() == 1 ? " event" : " events")
                .append(" below and nothing else.\n");
        s.append("Once per ").append(unit).append(" (UTC) it makes one report: how many times each combination of"
                + " values happened, each count capped at ").append(catalog.maxPerCell()).append(".\n");
        for (EventSpec event : catalog.allEvents()) {
            boolean added = find(diff, NEW_EVENT, event, null) != null;
            s.append('\n');
            appendEvent(s, catalog, event, added ? NONE : diff, unit, added ? "  " + NEW_MARK : "");
        }
        s.append('\n').append(catalog.allEvents().size())
                .append(catalog.allEvents().size() == 1 ? " event, " : " events, ")
                .append(totalCells(catalog)).append(" possible combinations in all.\n");
        s.append("Every report also says, coarsely, what it ran on: app version (major.minor), os, arch,"
                + " Java version, memory tier, install method, whether on a build server (CI).\n");
        s.append("Never collected: who you are, paths, file names, anything you typed, messages."
                + " Your IP address reaches the collector with each upload and is never stored.\n");
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
     * Only what waits for the user's OK, in the words of {@link #describe(Catalog)}: each new event whole,
     * each new or changed field (with what was agreed), each event with less noise; then the events
     * that are no longer collected. Ends with a line break; empty when nothing changed.
     */
    public static String describeChanges(Catalog catalog, CatalogDiff diff) {
        String unit = catalog.period().jsonName();
        StringBuilder s = new StringBuilder(512);
        for (EventSpec event : catalog.allEvents()) {
            if (find(diff, NEW_EVENT, event, null) != null) {
                appendEvent(s, catalog, event, NONE, unit, "  (new event)");
                continue;
            }
            List<FieldSpec> fields = new ArrayList<>();
            for (FieldSpec f : event.fields()) {
                if (find(diff, NEW_FIELD, event, f) != null
                        || find(diff, CHANGED_FIELD, event, f) != null) {
                    fields.add(f);
                }
            }
            boolean lessNoise = find(diff, LESS_NOISE, event, null) != null;
            if (fields.isEmpty() && !lessNoise) {
                continue;
            }
            s.append(event.name()).append(": ").append(event.description()).append('\n');
            int width = width(fields);
            for (FieldSpec f : fields) {
                appendField(s, f, width, catalog.packages(), unit);
                Change changed = find(diff, CHANGED_FIELD, event, f);
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
        List<Change> removed = diff.ofKind(REMOVED_EVENT);
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
        s.append(find(diff, LESS_NOISE, event, null) != null ? "  " + LESS_NOISE_MARK + "\n" : "\n");
        if (event.review() != null) {
            s.append("  agreed in: ").append(event.review()).append('\n');
        }
    }

    private static void appendFields(StringBuilder s, Catalog catalog, EventSpec event, CatalogDiff diff, String unit) {
        int width = width(event.fields());
        for (FieldSpec f : event.fields()) {
            appendField(s, f, width, catalog.packages(), unit);
            if (find(diff, NEW_FIELD, event, f) != null) {
                s.append("  ").append(NEW_MARK);
            } else if (find(diff, CHANGED_FIELD, event, f) != null) {
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

    private static Change find(CatalogDiff diff, String kind, EventSpec event, FieldSpec field) {
        for (Change c : diff.changes()) {
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
