package dev.candor.internal.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a newer catalog asks beyond the one the user agreed to, item by item, and the part of it
 * that may be recorded meanwhile ({@link #agreedPart}). Pure functions of two catalogs; immutable.
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

        @Override
        public boolean equals(Object o) {
            return o instanceof Change && toString().equals(o.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
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
}
