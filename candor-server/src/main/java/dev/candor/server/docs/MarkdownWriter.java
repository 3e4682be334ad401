package dev.candor.server.docs;

import java.util.List;

/**
 * Writes a generated document as GitHub-flavoured Markdown. Plain text is escaped so that catalog
 * strings read as written; code spans pick a fence longer than any backtick run inside them.
 */
public final class MarkdownWriter {

    private MarkdownWriter() {
    }

    public static String write(List<Block> blocks) {
        StringBuilder out = new StringBuilder();
        for (Block b : blocks) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (b instanceof Block.Heading h) {
                out.append("#".repeat(h.level())).append(' ').append(escape(h.text())).append('\n');
            } else if (b instanceof Block.Paragraph p) {
                out.append(inline(p.text(), false)).append('\n');
            } else if (b instanceof Block.Bullets l) {
                for (Text t : l.items()) {
                    out.append("- ").append(inline(t, false)).append('\n');
                }
            } else if (b instanceof Block.Numbered l) {
                int n = 1;
                for (Text t : l.items()) {
                    out.append(n++).append(". ").append(inline(t, false)).append('\n');
                }
            } else if (b instanceof Block.Table t) {
                out.append("| ").append(String.join(" | ", t.headers().stream().map(MarkdownWriter::escape).toList()))
                        .append(" |\n");
                out.append("|").append(" --- |".repeat(t.headers().size())).append('\n');
                for (List<Text> row : t.rows()) {
                    out.append("| ").append(String.join(" | ", row.stream().map(c -> inline(c, true)).toList()))
                            .append(" |\n");
                }
            } else if (b instanceof Block.Preformatted p) {
                String fence = p.text().contains("```") ? "~~~~" : "```";
                out.append(fence).append(p.language()).append('\n').append(p.text());
                if (!p.text().endsWith("\n")) {
                    out.append('\n');
                }
                out.append(fence).append('\n');
            }
        }
        return out.toString();
    }

    static String inline(Text text, boolean inTable) {
        StringBuilder b = new StringBuilder();
        for (Text.Span s : text.spans()) {
            if (s instanceof Text.Plain p) {
                b.append(escape(p.text()));
            } else if (s instanceof Text.Code c) {
                // in a table cell even a code span's pipe ends the cell unless escaped (GFM)
                String code = codeSpan(c.text());
                b.append(inTable ? code.replace("|", "\\|") : code);
            } else if (s instanceof Text.Link l) {
                b.append('[').append(escape(l.text())).append("](").append(l.url().replace(" ", "%20")
                        .replace("(", "%28").replace(")", "%29").replace("|", "%7C")).append(')');
            } else {
                b.append("**").append(escape(((Text.Strong) s).text())).append("**");
            }
        }
        return b.toString();
    }

    private static String codeSpan(String s) {
        int longest = 0;
        int run = 0;
        for (char c : s.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        boolean pad = s.startsWith("`") || s.endsWith("`");
        return fence + (pad ? " " : "") + s + (pad ? " " : "") + fence;
    }

    /** Escapes the characters that would otherwise start Markdown or HTML markup. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if ("\\`*_[]<>#|~".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
