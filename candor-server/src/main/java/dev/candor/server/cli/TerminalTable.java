package dev.candor.server.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns, for terminals and logs. Columns are left- or
 * right-aligned; widths count characters (every character used here is one column wide).
 */
final class TerminalTable {

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TerminalTable(List<String> headers, boolean... rightAligned) {
        this.headers = headers;
        this.rightAligned = rightAligned;
    }

    TerminalTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    String render(String indent) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> r : rows) {
                widths[c] = Math.max(widths[c], r.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, indent, headers, widths);
        for (List<String> r : rows) {
            line(out, indent, r, widths);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String indent, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder(indent);
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            boolean right = c < rightAligned.length && rightAligned[c];
            b.append(right ? pad + cell : cell + pad);
            if (c < cells.size() - 1) {
                b.append("  ");
            }
        }
        out.append(b.toString().stripTrailing()).append('\n');
    }

    /** A bar of {@code width} characters filled to {@code fraction}, in eighths of a block. */
    static String bar(double fraction, int width) {
        double f = Math.max(0, Math.min(1, fraction));
        int eighths = (int) Math.round(f * width * 8);
        StringBuilder b = new StringBuilder();
        b.append("█".repeat(eighths / 8));
        if (eighths % 8 != 0) {
            b.append("▏▎▍▌▋▊▉".charAt(eighths % 8 - 1));
        }
        return b.toString() + " ".repeat(width - b.length());
    }
}
