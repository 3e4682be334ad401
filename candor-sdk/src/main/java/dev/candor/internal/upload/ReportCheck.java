package dev.candor.internal.upload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decides whether the bytes of an outbox file are a report of this app that the uploader may send:
 * UTF-8 JSON whose {@code v} is 1, whose {@code app} is this app, and whose {@code period} and
 * {@code report_id} match the file name. Anything else (a truncated write, a file another app or a
 * future SDK left, garbage) is not sent; the outbox removes it.
 */
final class ReportCheck {
    private ReportCheck() {
    }

    /** {@code null} when {@code bytes} are a sendable report of {@code app} named {@code name}, else why not. */
    static String problem(ReportName name, byte[] bytes, String app) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "not UTF-8 text";
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "empty";
        }
        if (trimmed.charAt(0) != '{' || trimmed.charAt(trimmed.length() - 1) != '}') {
            return "not a JSON object (truncated or foreign)";
        }
        return null;
    }
}
