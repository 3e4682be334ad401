package dev.candor.internal.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A catalog that breaks the rules. Holds every problem found, not just the first, each a line
 * naming the file, the JSON path and the rule, e.g.
 * {@code catalog.json: events.command_run.fields.who: type "string" is not allowed (free text
 * could carry personal data); use "enum"}.
 */
public final class CatalogException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    CatalogException(List<String> problems) {
        super(summary(problems));
        this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
    }

    private static String summary(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        return problems.size() + " problems in the catalog:\n  " + String.join("\n  ", problems);
    }

    /** Every problem, one line each, in document order. */
    public List<String> problems() {
        return problems;
    }
}
