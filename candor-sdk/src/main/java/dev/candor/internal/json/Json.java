package dev.candor.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), so the SDK needs no JSON dependency.
 *
 * <p>Reading gives plain Java values: an object is a {@code LinkedHashMap<String, Object>} in
 * document order, an array an {@code ArrayList<Object>}, a string a {@code String}, {@code true}
 * and {@code false} a {@code Boolean}, and JSON {@code null} is Java {@code null} (use
 * {@code containsKey} to tell a null member from a missing one). A number without fraction or
 * exponent that fits a {@code long} is a {@code Long}; every other number is a {@code BigDecimal},
 * exactly as written (no rounding through {@code double}).
 *
 * <p>Strict means that everything RFC 8259 leaves open is refused, with a {@link JsonException}
 * naming the position and the problem: duplicate keys, anything after the value, nesting deeper
 * than {@value #MAX_DEPTH}, unescaped control characters, lone surrogates (raw or escaped),
 * leading zeros, {@code NaN}/{@code Infinity}, a byte order mark and invalid UTF-8. No input makes
 * the reader throw anything else.
 *
 * <p>Writing accepts the same shapes (any {@code Map} with {@code String} keys, any
 * {@code List}, {@code String}, {@code Boolean}, null, and the integer types, {@code BigInteger},
 * {@code BigDecimal} and finite {@code double}/{@code float}); keys are written in the map's
 * iteration order. Thread-safe: everything is static and stateless.
 */
public final class Json {
    /** The deepest nesting of arrays and objects that {@link #parse} accepts. */
    public static final int MAX_DEPTH = 64;

    // A Json instance is the reader of one document: recursive descent over a string.
    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses UTF-8 bytes; invalid UTF-8 is a {@link JsonException} whose offset is a byte index. */
    public static Object parse(byte[] utf8) {
        if (utf8 == null) {
            throw new JsonException("no input (null)", 0, 1, 1, true);
        }
        String text = decodeStrict(utf8);
        try {
            return new Json(text).readDocument();
        } catch (JsonException e) {
            // Report the position as a byte index, since the caller holds bytes.
            long byteOffset = e.offset() < 0 ? e.offset()
                    : text.substring(0, (int) Math.min(e.offset(), text.length()))
                            .getBytes(StandardCharsets.UTF_8).length;
            throw new JsonException(e.reason(), byteOffset, e.line(), e.column(), true);
        }
    }

    /** Parses a string; the offset of a {@link JsonException} is a char index. */
    public static Object parse(String text) {
        if (text == null) {
            throw new JsonException("no input (null)", 0, 1, 1, false);
        }
        return new Json(text).readDocument();
    }

    /** Writes {@code value} as compact JSON (no whitespace). */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        value(out, null, value, 0);
        return out.toString();
    }

    /** Writes {@code value} as JSON indented by two spaces per level, {@code "key": value}. */
    public static String writePretty(Object value) {
        StringBuilder out = new StringBuilder();
        value(out, "  ", value, 0);
        return out.toString();
    }

    /** {@link #write} as UTF-8 bytes. */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static String decodeStrict(byte[] utf8) {
        if (utf8.length >= 3 && (utf8[0] & 0xFF) == 0xEF && (utf8[1] & 0xFF) == 0xBB && (utf8[2] & 0xFF) == 0xBF) {
            throw new JsonException("the text starts with a UTF-8 byte order mark; save it as UTF-8 without BOM",
                    0, 1, 1, true);
        }
        int bad = firstMalformedUtf8(utf8);
        if (bad >= 0) {
            String before = new String(utf8, 0, bad, StandardCharsets.UTF_8);
            int[] lineColumn = lineColumn(before, before.length());
            throw new JsonException("invalid UTF-8 (byte 0x" + String.format("%02X", utf8[bad] & 0xFF)
                    + "); the text must be UTF-8", bad, lineColumn[0], lineColumn[1], true);
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * The index of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
     * overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence), or -1 when all is
     * well: what a {@code CharsetDecoder} set to REPORT says, without loading one (this runs at every
     * app start, on the catalog).
     */
    static int firstMalformedUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length;
            int low = 0x80;
            int high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                if (lead == 0xE0) {
                    low = 0xA0;
                } else if (lead == 0xED) {
                    high = 0x9F;
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                if (lead == 0xF0) {
                    low = 0x90;
                } else if (lead == 0xF4) {
                    high = 0x8F;
                }
            } else {
                return i;
            }
            for (int k = 1; k < length; k++) {
                if (i + k >= b.length) {
                    return i;
                }
                int next = b[i + k] & 0xFF;
                if (k == 1 ? next < low || next > high : next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }

    static int[] lineColumn(String text, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private Object readDocument() {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw error("the text starts with a byte order mark; remove it", 0);
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("no JSON value (empty input)", pos);
        }
        Object value = readValue(0);
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(pos) + " after the JSON value; only one value is allowed", pos);
        }
        return value;
    }

    private Object readValue(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of input; expected a value", pos);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject(depth + 1);
            case '[':
                return readArray(depth + 1);
            case '"':
                return readString();
            case 't':
                return readLiteral("true", Boolean.TRUE);
            case 'f':
                return readLiteral("false", Boolean.FALSE);
            case 'n':
                return readLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                if (c == 'N' || c == 'I') {
                    throw error("NaN and Infinity are not JSON numbers", pos);
                }
                throw error("unexpected " + describe(pos) + "; expected a value", pos);
        }
    }

    private Map<String, Object> readObject(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
        pos++; // '{'
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describe(pos) + "; expected a member name in double quotes", pos);
            }
            int keyStart = pos;
            String key = readString();
            if (map.containsKey(key)) {
                throw error("duplicate key \"" + key + "\"", keyStart);
            }
            skipWhitespace();
            if (peek() != ':') {
                throw error("unexpected " + describe(pos) + "; expected ':' after the member name", pos);
            }
            pos++;
            skipWhitespace();
            map.put(key, readValue(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return map;
            } else {
                throw error("unexpected " + describe(pos) + "; expected ',' or '}'", pos);
            }
        }
    }

    private List<Object> readArray(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
        pos++; // '['
        ArrayList<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(readValue(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return list;
            } else {
                throw error("unexpected " + describe(pos) + "; expected ',' or ']'", pos);
            }
        }
    }

    private String readString() {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string (started here)", start);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(runStart, pos) : sb.append(text, runStart, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character U+" + hex4(c) + " in a string; escape it", pos);
            }
            if (Character.isHighSurrogate(c)) {
                if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                    throw error("lone surrogate U+" + hex4(c) + " in a string", pos);
                }
                pos += 2;
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw error("lone surrogate U+" + hex4(c) + " in a string", pos);
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(text, runStart, pos);
            int escapeStart = pos;
            pos++;
            if (pos >= text.length()) {
                throw error("unterminated escape sequence", escapeStart);
            }
            char e = text.charAt(pos);
            pos++;
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': {
                    char u = readHex4(escapeStart);
                    if (Character.isHighSurrogate(u)) {
                        int lowStart = pos;
                        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char low = readHex4(lowStart);
                            if (!Character.isLowSurrogate(low)) {
                                throw error("escaped high surrogate \\u" + hex4(u)
                                        + " is not followed by an escaped low surrogate", escapeStart);
                            }
                            sb.append(u).append(low);
                        } else {
                            throw error("lone surrogate \\u" + hex4(u) + " in a string", escapeStart);
                        }
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("lone surrogate \\u" + hex4(u) + " in a string", escapeStart);
                    } else {
                        sb.append(u);
                    }
                    break;
                }
                default:
                    throw error("invalid escape sequence \\" + printable(e), escapeStart);
            }
            runStart = pos;
        }
    }

    private char readHex4(int escapeStart) {
        if (pos + 4 > text.length()) {
            throw error("a \\u escape needs four hex digits", escapeStart);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw error("a \\u escape needs four hex digits", escapeStart);
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            if (pos < text.length() && text.charAt(pos) == 'I') {
                throw error("NaN and Infinity are not JSON numbers", start);
            }
            throw error("a number needs digits after '-'", start);
        }
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            throw error("leading zeros are not allowed in numbers", start);
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        boolean integral = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw error("a number needs digits after the decimal point", start);
            }
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw error("a number needs digits in its exponent", start);
            }
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        String literal = text.substring(start, pos);
        if (integral && literal.length() <= 20) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException outOfLongRange) {
                // falls through to BigDecimal
            }
        }
        try {
            return new BigDecimal(literal);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error("number out of range (its exponent is too large)", start);
        }
    }

    private Object readLiteral(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe(pos) + "; expected a value", pos);
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uFFFF';
    }

    private String describe(int at) {
        if (at >= text.length()) {
            return "end of input";
        }
        return "character " + printable(text.charAt(at));
    }

    private JsonException error(String reason, int at) {
        int[] lc = lineColumn(text, at);
        return new JsonException(reason, at, lc[0], lc[1], false);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    private static String printable(char c) {
        if (c >= 0x20 && c < 0x7F) {
            return "'" + c + "'";
        }
        return "U+" + hex4(c);
    }

    // ---- writing: appends JSON for a value tree to out; indent == null means compact ----

    private static void value(StringBuilder out, String indent, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException("cannot write: nesting deeper than " + MAX_DEPTH + " levels (or a cycle)");
        }
        if (v == null) {
            out.append("null");
        } else if (v instanceof String) {
            string(out, (String) v);
        } else if (v instanceof Boolean) {
            out.append(((Boolean) v).booleanValue());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof BigDecimal) {
            out.append(v.toString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new JsonException("cannot write " + d + ": JSON has no NaN or Infinity");
            }
            out.append(v.toString());
        } else if (v instanceof Map) {
            map(out, indent, (Map<?, ?>) v, depth);
        } else if (v instanceof List) {
            list(out, indent, (List<?>) v, depth);
        } else {
            throw new JsonException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static void map(StringBuilder out, String indent, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> entry = it.next();
            if (!(entry.getKey() instanceof String)) {
                throw new JsonException("cannot write a map key that is not a String: " + entry.getKey());
            }
            newline(out, indent, depth + 1);
            string(out, (String) entry.getKey());
            out.append(indent == null ? ":" : ": ");
            value(out, indent, entry.getValue(), depth + 1);
            if (it.hasNext()) {
                out.append(',');
            }
        }
        newline(out, indent, depth);
        out.append('}');
    }

    private static void list(StringBuilder out, String indent, List<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            newline(out, indent, depth + 1);
            value(out, indent, list.get(i), depth + 1);
            if (i + 1 < list.size()) {
                out.append(',');
            }
        }
        newline(out, indent, depth);
        out.append(']');
    }

    private static void newline(StringBuilder out, String indent, int depth) {
        if (indent != null) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append(indent);
            }
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        out.append("\\u").append(hex4(c).toLowerCase(java.util.Locale.ROOT));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(i + 1));
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        throw new JsonException("cannot write a string with a lone surrogate U+" + hex4(c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
