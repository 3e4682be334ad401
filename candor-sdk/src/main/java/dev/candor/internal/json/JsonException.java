package dev.candor.internal.json;

/**
 * Why a text is not the JSON this package accepts, or why a value cannot be written as JSON.
 * For parse errors, {@link #offset()} is where the problem was found: a char index when the input
 * was a {@code String}, a byte index when it was UTF-8 bytes; {@link #line()} and
 * {@link #column()} say the same for humans (both 1-based). Writer errors have offset -1.
 */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final long offset;
    private final int line;
    private final int column;

    JsonException(String reason, long offset, int line, int column, boolean bytes) {
        super(describe(reason, offset, line, column, bytes));
        this.reason = reason;
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    JsonException(String reason) {
        super(reason);
        this.reason = reason;
        this.offset = -1;
        this.line = 0;
        this.column = 0;
    }

    private static String describe(String reason, long offset, int line, int column, boolean bytes) {
        return "line " + line + ", column " + column + " (" + (bytes ? "byte " : "char ") + offset + "): "
                + reason;
    }

    /** The problem alone, without its position. */
    public String reason() {
        return reason;
    }

    /** Where the problem was found (char or byte index), or -1 for a writer error. */
    public long offset() {
        return offset;
    }

    /** 1-based line of the problem, or 0 for a writer error. */
    public int line() {
        return line;
    }

    /** 1-based column (in characters) of the problem, or 0 for a writer error. */
    public int column() {
        return column;
    }
}
