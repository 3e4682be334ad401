package dev.candor.internal.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One field of a catalog event: its name, its type and the values it may take. Immutable. */
public final class FieldSpec {
    private final String name;
    private final FieldType type;
    private final List<String> values;

    /** {@code values} is used for {@link FieldType#ENUM} only; the other types have fixed values. */
    public FieldSpec(String name, FieldType type, List<String> values) {
        this.name = name;
        this.type = type;
        this.values = type == FieldType.ENUM
                ? Collections.unmodifiableList(new ArrayList<>(values)) : type.fixedValues();
    }

    public String name() {
        return name;
    }

    public FieldType type() {
        return type;
    }

    /** The allowed values in declared order; empty for {@link FieldType#ERROR_TYPE}, whose set is open. */
    public List<String> values() {
        return values;
    }

    /** How many values this field counts for in the cell limit ({@code 21} for an error type). */
    public int cardinality() {
        return type == FieldType.ERROR_TYPE ? FieldType.ERROR_TYPE_LIMIT + 1 : values.size();
    }

    /** The position of {@code value} among {@link #values()}, or -1 when it is not allowed. */
    public int indexOf(String value) {
        return values.indexOf(value);
    }

    @Override
    public String toString() {
        return name + ":" + type.jsonName();
    }
}
