package dev.candor.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a validated report's canonical tree as compact JSON text, the exact text the store keeps.
 * It exists because ingest writes one such text per report it accepts, and Jackson's general tree
 * serializer cost several times more than this walk over the few node kinds a report holds (objects,
 * arrays, strings, whole numbers, doubles, booleans, null). The output is what Jackson writes for
 * the same tree: no spaces, strings escaped as JSON requires ({@code "}, {@code \}, and control
 * characters), everything else as is; a double as {@link Double#toString(double)}.
 */
final class CompactJson {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CompactJson() {}

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(1024);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(field.getKey(), out);
                    out.append(':');
                    write(field.getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> {
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    out.append(node.longValue());
                } else if (node.isDouble() || node.isFloat()) {
                    out.append(node.doubleValue());
                } else {
                    out.append(node.asText());
                }
            }
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("a report holds no " + node.getNodeType() + " node");
        }
    }

    static void string(String text, StringBuilder out) {
        out.append('"');
        int length = text.length();
        int plain = 0;
        while (plain < length && !needsEscape(text.charAt(plain))) {
            plain++;
        }
        if (plain == length) {
            out.append(text).append('"');
            return;
        }
        out.append(text, 0, plain);
        for (int i = plain; i < length; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }
}
