package dev.candor.server.web.dashboard;

/** Escaping for text and attribute values placed into HTML and SVG. */
public final class Html {

    private Html() {
    }

    /** Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '}; {@code null} becomes empty. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
