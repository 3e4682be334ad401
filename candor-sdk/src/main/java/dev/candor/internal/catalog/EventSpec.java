package dev.candor.internal.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One catalog event: what it means, where its collection was agreed, its fields and whether it
 * gets local noise. Immutable.
 *
 * <p>The event's cells are the combinations of its fields' values, numbered in mixed radix with
 * the first field most significant (so the last field varies fastest). An {@code error_type} field
 * has no closed set of values, so it is left out of that numbering: for an event with one, the
 * index covers the other fields only ({@link #closedCellCount()}), and the recorder keeps one such
 * index space per error type.
 */
public final class EventSpec {
    private final String name;
    private final String description;
    private final String review;
    private final List<FieldSpec> fields;
    private final BigDecimal noiseEpsilon;
    private final int errorTypeField;
    private final int[] radix;

    public EventSpec(String name, String description, String review, List<FieldSpec> fields, BigDecimal noiseEpsilon) {
        this.name = name;
        this.description = description;
        this.review = review;
        this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
        this.noiseEpsilon = noiseEpsilon;
        int errorField = -1;
        this.radix = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec f = fields.get(i);
            if (f.type() == FieldType.ERROR_TYPE) {
                errorField = i;
                radix[i] = 1;
            } else {
                radix[i] = f.values().size();
            }
        }
        this.errorTypeField = errorField;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The URL of the public discussion that agreed to collect this event, or null. */
    public String review() {
        return review;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    /** The field with this name, or null. */
    public FieldSpec field(String fieldName) {
        for (FieldSpec f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        return null;
    }

    /** The local noise ε of this event, or null when it is sent exact. */
    public BigDecimal noiseEpsilon() {
        return noiseEpsilon;
    }

    public boolean noised() {
        return noiseEpsilon != null;
    }

    /** The position of the event's {@code error_type} field, or -1 when it has none. */
    public int errorTypeField() {
        return errorTypeField;
    }

    /** How many cells this event counts for in the catalog's limit (an error type counts 21 values). */
    public long cellCount() {
        long n = 1;
        for (FieldSpec f : fields) {
            n = Math.min(n * f.cardinality(), Integer.MAX_VALUE);
        }
        return n;
    }

    /** How many cells the closed fields (every field but an {@code error_type}) span. */
    public int closedCellCount() {
        long n = 1;
        for (int r : radix) {
            n = Math.min(n * r, Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /**
     * The cell index of one value per field, in field order (the {@code error_type} value, if any,
     * does not take part and may be anything but null).
     *
     * @throws IllegalArgumentException naming the field when a value is missing or not allowed
     */
    public int cellIndex(String... values) {
        if (values == null || values.length != fields.size()) {
            throw new IllegalArgumentException("event " + name + " has " + fields.size() + " fields "
                    + fields + "; got " + (values == null ? 0 : values.length) + " values");
        }
        int index = 0;
        for (int i = 0; i < values.length; i++) {
            FieldSpec f = fields.get(i);
            if (values[i] == null) {
                throw new IllegalArgumentException("event " + name + ": field " + f.name() + " has no value");
            }
            if (i == errorTypeField) {
                continue;
            }
            int v = f.indexOf(values[i]);
            if (v < 0) {
                throw new IllegalArgumentException("event " + name + ": field " + f.name() + " does not allow \""
                        + values[i] + "\"; allowed: " + f.values());
            }
            index = index * radix[i] + v;
        }
        return index;
    }

    /**
     * The values of the cell with this index, in field order; the {@code error_type} position, if
     * any, is null.
     */
    public String[] cellValues(int index) {
        if (index < 0 || index >= closedCellCount()) {
            throw new IllegalArgumentException("event " + name + " has no cell " + index);
        }
        String[] values = new String[fields.size()];
        int rest = index;
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (i == errorTypeField) {
                continue;
            }
            values[i] = fields.get(i).values().get(rest % radix[i]);
            rest /= radix[i];
        }
        return values;
    }

    @Override
    public String toString() {
        return name + fields;
    }
}
