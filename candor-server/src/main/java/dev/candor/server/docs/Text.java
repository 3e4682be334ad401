package dev.candor.server.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * A run of inline text in a generated document: plain words, code, links and emphasis. The
 * Markdown and HTML writers each escape it for their format, so catalog strings are shown as
 * written and can never inject markup.
 */
public final class Text {

    /** One piece of inline text. */
    public sealed interface Span permits Plain, Code, Link, Strong {
    }

    public record Plain(String text) implements Span {
    }

    public record Code(String text) implements Span {
    }

    public record Link(String text, String url) implements Span {
    }

    public record Strong(String text) implements Span {
    }

    private final List<Span> spans = new ArrayList<>();

    private Text() {
    }

    public static Text of(String plain) {
        return new Text().plain(plain);
    }

    public static Text empty() {
        return new Text();
    }

    public Text plain(String s) {
        if (!s.isEmpty()) {
            spans.add(new Plain(s));
        }
        return this;
    }

    public Text code(String s) {
        spans.add(new Code(s));
        return this;
    }

    /** A link; a URL that is not http(s) or site-relative is shown as code, never made clickable. */
    public Text link(String text, String url) {
        if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("/") && !url.startsWith("//")) {
            spans.add(new Link(text, url));
        } else {
            spans.add(new Code(url));
        }
        return this;
    }

    public Text strong(String s) {
        spans.add(new Strong(s));
        return this;
    }

    /** The words of one span, without markup. */
    public static String content(Span s) {
        if (s instanceof Plain p) {
            return p.text();
        } else if (s instanceof Code c) {
            return c.text();
        } else if (s instanceof Link l) {
            return l.text();
        }
        return ((Strong) s).text();
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The words without any markup, as a reader sees them. */
    public String plainText() {
        StringBuilder b = new StringBuilder();
        for (Span s : spans) {
            b.append(content(s));
        }
        return b.toString();
    }
}
