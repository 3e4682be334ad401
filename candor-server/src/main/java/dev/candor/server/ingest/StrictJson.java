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
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ProblemException(Problem.malformed("the body is not valid JSON" + where + ": "
                    + firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed("the body could not be read as JSON: " + e.getMessage()));
        }
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
