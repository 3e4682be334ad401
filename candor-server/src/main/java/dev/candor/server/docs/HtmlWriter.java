package dev.candor.server.docs;

import java.util.List;

/**
 * Writes a generated document as HTML: a fragment for the collector's pages, or a complete page
 * with its own small stylesheet for {@code catalog docs --format html}. Every string is escaped.
 */
public final class HtmlWriter {

    private HtmlWriter() {
    }

    /** The blocks as an HTML fragment (no {@code <html>} or {@code <body>}). */
    public static String fragment(List<Block> blocks) {
        StringBuilder out = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Block.Heading h) {
                out.append("<h").append(h.level()).append(" id=\"").append(esc(h.id())).append("\">")
                        .append(esc(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (b instanceof Block.Paragraph p) {
                out.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (b instanceof Block.Bullets l) {
                list(out, "ul", l.items());
            } else if (b instanceof Block.Numbered l) {
                list(out, "ol", l.items());
            } else if (b instanceof Block.Table t) {
                out.append("<div class=\"table-scroll\"><table>\n<thead><tr>");
                for (String h : t.headers()) {
                    out.append("<th scope=\"col\">").append(esc(h)).append("</th>");
                }
                out.append("</tr></thead>\n<tbody>\n");
                for (List<Text> row : t.rows()) {
                    out.append("<tr>");
                    for (Text cell : row) {
                        out.append("<td>").append(inline(cell)).append("</td>");
                    }
                    out.append("</tr>\n");
                }
                out.append("</tbody></table></div>\n");
            } else if (b instanceof Block.Preformatted p) {
                out.append("<pre><code>").append(esc(p.text())).append("</code></pre>\n");
            }
        }
        return out.toString();
    }

    /** A complete, self-contained page: no script, no external stylesheet, nothing fetched. */
    public static String page(String title, List<Block> blocks) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<main>\n"
                + fragment(blocks) + "</main>\n</body>\n</html>\n";
    }

    /**
     * The look of a standalone document page; the dashboard uses its own stylesheet. Inline code (a SHA-256, a
     * path) breaks where it would stick out of a phone's screen.
     */
    static final String STYLE = """
            body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#fff}
            main{max-width:60rem;margin:0 auto;padding:1rem}
            code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
            code{background:#f1f3f6;padding:.1em .3em;border-radius:3px;overflow-wrap:break-word}
            pre{background:#f1f3f6;padding:.8rem;overflow-x:auto;border-radius:4px}
            pre code{background:none;padding:0}
            .table-scroll{overflow-x:auto}
            table{border-collapse:collapse;margin:.5rem 0}
            th,td{border:1px solid #d5dae1;padding:.3rem .5rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa}
            """;

    private static void list(StringBuilder out, String tag, List<Text> items) {
        out.append('<').append(tag).append(">\n");
        for (Text t : items) {
            out.append("<li>").append(inline(t)).append("</li>\n");
        }
        out.append("</").append(tag).append(">\n");
    }

    static String inline(Text text) {
        StringBuilder b = new StringBuilder();
        for (Text.Span s : text.spans()) {
            if (s instanceof Text.Plain p) {
                b.append(esc(p.text()));
            } else if (s instanceof Text.Code c) {
                b.append("<code>").append(esc(c.text())).append("</code>");
            } else if (s instanceof Text.Link l) {
                b.append("<a href=\"").append(esc(l.url())).append("\">").append(esc(l.text())).append("</a>");
            } else {
                b.append("<strong>").append(esc(((Text.Strong) s).text())).append("</strong>");
            }
        }
        return b.toString();
    }

    static String esc(String s) {
        return dev.candor.server.web.dashboard.Html.esc(s);
    }
}
