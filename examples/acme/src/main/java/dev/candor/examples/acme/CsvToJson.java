package dev.candor.examples.acme;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code acme convert}: CSV (RFC 4180: commas, double quotes, doubled quotes inside quotes, line breaks
 * inside quotes, CRLF or LF) with a header row, to a JSON array with one object per row. Values stay
 * strings. Bad input is refused with the line it is on and what to fix.
 */
final class CsvToJson {

    /** A CSV file that cannot be converted; the message names the line and the problem. */
    static final class CsvException extends Exception {
        private static final long serialVersionUID = 1L;

        CsvException(String message) {
            super(message);
        }
    }

    private CsvToJson() {
    }

    /** The JSON text for {@code csv}; {@code name} is used in error messages. */
    static String convert(String csv, String name) throws CsvException {
        List<List<String>> rows = new ArrayList<>();
        List<Integer> lineOfRow = new ArrayList<>();
        parse(stripBom(csv), name, rows, lineOfRow);
        StringBuilder json = new StringBuilder(csv.length() * 2 + 4);
        if (rows.isEmpty()) {
            return "[]\n";
        }
        List<String> header = rows.get(0);
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!seen.add(column)) {
                throw new CsvException(name + ": line " + lineOfRow.get(0) + ": the header names the column \""
                        + column + "\" twice; give every column its own name");
            }
        }
        json.append('[');
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new CsvException(name + ": line " + lineOfRow.get(r) + ": " + row.size()
                        + (row.size() == 1 ? " field" : " fields") + ", but the header has " + header.size()
                        + "; every row needs one value per column (quote values that contain commas)");
            }
            json.append(r == 1 ? "\n  {" : ",\n  {");
            for (int c = 0; c < header.size(); c++) {
                if (c > 0) {
                    json.append(", ");
                }
                appendString(json, header.get(c));
                json.append(": ");
                appendString(json, row.get(c));
            }
            json.append('}');
        }
        return json.append(rows.size() == 1 ? "]\n" : "\n]\n").toString();
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static void parse(String s, String name, List<List<String>> rows, List<Integer> lineOfRow)
            throws CsvException {
        int line = 1;
        int i = 0;
        int n = s.length();
        while (i < n) {
            // Skip lines that are completely empty.
            if (s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                i += s.startsWith("\r\n", i) ? 2 : 1;
                line++;
                continue;
            }
            int rowLine = line;
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean endOfRow = false;
            while (!endOfRow) {
                field.setLength(0);
                if (i < n && s.charAt(i) == '"') {
                    int quoteLine = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new CsvException(name + ": line " + quoteLine + ": a quoted field is never closed;"
                                    + " add the closing \" (write \"\" for a quote inside a field)");
                        }
                        char c = s.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && s.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                        i++;
                    }
                    if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        throw new CsvException(name + ": line " + line + ": unexpected '" + s.charAt(i)
                                + "' after a closing quote; a quoted field must end at a comma or the end of the line");
                    }
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        field.append(s.charAt(i));
                        i++;
                    }
                }
                row.add(field.toString());
                if (i < n && s.charAt(i) == ',') {
                    i++;
                } else {
                    endOfRow = true;
                    if (i < n) {
                        i += s.startsWith("\r\n", i) ? 2 : 1;
                        line++;
                    }
                }
            }
            rows.add(row);
            lineOfRow.add(rowLine);
        }
    }

    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
