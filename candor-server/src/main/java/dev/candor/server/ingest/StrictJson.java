package dev.candor.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON parsing that gives hostile input nothing to work with: duplicate keys are an error (so no
 * two readers can disagree on a value), nesting, strings, names and numbers are bounded, nothing
 * may follow the document, and only standard JSON is read (no comments, NaN or single quotes).
 */
public final class StrictJson {
    /** Deepest nesting accepted; a batch of reports needs 5. */
    public static final int MAX_DEPTH = 10;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(4096)
                            .maxNameLength(256)
                            .maxNumberLength(32)
                            .maxDocumentLength(RequestBody.MAX_BYTES)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {}

    /** The same strict settings for a streaming parser ({@link ValidBatchReader}); trailing tokens are the caller's to refuse. */
    static JsonFactory factory() {
        return MAPPER.getFactory();
    }

    /** @throws ProblemException 400 naming the line, column and reason of the first error */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ProblemException(Problem.malformed("the body holds no JSON value"));
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ProblemException(Problem.malformed("the body is not valid JSON" + where + ": " + reason(e)));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed("the body could not be read as JSON: " + e.getMessage()));
        }
    }

    private static final Pattern LIMIT = Pattern.compile(
            "^(Number value length|String value length|Name length|Document nesting depth|Document length)"
                    + " \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");
    private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '([^']*)'");

    /**
     * Jackson's reason in plain words. Its messages name its own settings ("enable
     * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", "from
     * `StreamReadConstraints.getMaxNumberLength()`"), which mean nothing to a sender and tell
     * them to change a setting they do not have; the common ones are reworded here, and any other
     * loses its parts that name Jackson.
     */
    static String reason(JsonProcessingException e) {
        String message = firstLine(e.getOriginalMessage());
        Matcher limit = LIMIT.matcher(message);
        if (limit.find()) {
            String found = limit.group(2);
            String most = limit.group(3);
            return switch (limit.group(1)) {
                case "Number value length" -> "a number is " + found + " characters long; at most " + most
                        + " are accepted";
                // Jackson stops counting a long string or key where it notices, so only the limit is exact
                case "String value length" -> "a string is longer than the " + most + " characters accepted";
                case "Name length" -> "a key is longer than the " + most + " characters accepted";
                case "Document nesting depth" -> "objects and arrays are nested more than " + most
                        + " deep; a batch of reports needs 5";
                default -> "the JSON is longer than " + most + " bytes";
            };
        }
        if (message.startsWith("Trailing token")) {
            return "something follows the JSON value; send exactly one value (one report, or {\"reports\": [...]})";
        }
        Matcher nonStandard = NON_STANDARD.matcher(message);
        if (nonStandard.find()) {
            return nonStandard.group(1) + " is not a JSON value; JSON has no NaN or Infinity";
        }
        if (message.contains("numbers to have plus signs")) {
            return "a number starts with +, which JSON does not allow; write it without the sign";
        }
        if (message.contains("maybe a (non-standard) comment")) {
            return "JSON has no comments; remove the comment";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return message.contains("close marker for Object") ? "the body ends before an object's closing }"
                    : message.contains("close marker for Array") ? "the body ends before an array's closing ]"
                    : "the body ends in the middle of a JSON value";
        }
        String plain = message.replaceAll(":? ?enable `[^`]*` to allow", "")
                .replaceAll(" ?\\([^()]*`[^()]*\\)", "")
                .replaceAll(" ?\\(not recognized as one since Feature '[^']*' not enabled for parser\\)", "");
        return plain.contains("`") || plain.isBlank() ? "the text here is not JSON" : plain;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
