package dev.candor.server.docs;

import java.util.List;

/** One block of a generated document, rendered alike by {@link MarkdownWriter} and {@link HtmlWriter}. */
public sealed interface Block {

    /** A heading; {@code id} is the anchor other documents link to. */
    record Heading(int level, String text, String id) implements Block {
    }

    record Paragraph(Text text) implements Block {
    }

    record Bullets(List<Text> items) implements Block {
    }

    record Numbered(List<Text> items) implements Block {
    }

    record Table(List<String> headers, List<List<Text>> rows) implements Block {
    }

    /** Literal text shown as is: a command, a file, or text to copy. */
    record Preformatted(String language, String text) implements Block {
    }
}
