package dev.candor.server.release;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a report can "use" (DESIGN §7): an event, one value of one of its fields, or a full
 * cell (a value for every field of the event). A report marks an item as used when its count for
 * it is at least 1; releases count, per item, the installs that used it.
 *
 * <p>Full cells are only separate items for events with two fields or more: for a one-field event
 * the cell and the field value are the same thing, and {@link #fieldValue} is used for it.
 *
 * @param event the event's name, never null
 * @param field the field's name for a field-value item, else null
 * @param value the field's value for a field-value item, else null
 * @param cell  every field's value, in the catalog's field order, for a full-cell item, else null
 */
public record Item(String event, String field, String value, Map<String, String> cell) {

    /** What an item is about. */
    public enum Kind { EVENT, FIELD_VALUE, CELL }

    public Item {
        Objects.requireNonNull(event, "event");
        if ((field == null) != (value == null)) {
            throw new IllegalArgumentException("an item has both a field and a value, or neither: " + field + "=" + value);
        }
        if (field != null && cell != null) {
            throw new IllegalArgumentException("an item is a field value or a full cell, not both");
        }
        if (cell != null) {
            cell = Collections.unmodifiableMap(new LinkedHashMap<>(cell));
        }
    }

    /** The event itself: an install used it when it recorded it at least once. */
    public static Item event(String event) {
        return new Item(event, null, null, null);
    }

    /** One value of one field of an event. */
    public static Item fieldValue(String event, String field, String value) {
        return new Item(event, field, value, null);
    }

    /** A full cell of an event with several fields; {@code cell} is in the catalog's field order. */
    public static Item cell(String event, Map<String, String> cell) {
        return new Item(event, null, null, Objects.requireNonNull(cell, "cell"));
    }

    public Kind kind() {
        if (cell != null) {
            return Kind.CELL;
        }
        return field != null ? Kind.FIELD_VALUE : Kind.EVENT;
    }

    @Override
    public String toString() {
        switch (kind()) {
            case EVENT:
                return event;
            case FIELD_VALUE:
                return event + "." + field + "=" + value;
            default:
                return event + cell;
        }
    }
}
