package dev.candor.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.store.Report;
import dev.candor.server.store.ReportStore;
import dev.candor.server.store.ReportStore.StoreOutcome;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The whole of {@code POST /v1/reports} apart from HTTP: takes the decoded JSON body (one report
 * or {@code {"reports": [...]}}), validates every report, and stores the batch all-or-nothing.
 * The HTTP layer only reads the body ({@link RequestBody}, {@link StrictJson}) and writes the
 * answer. Thread-safe.
 */
public final class ReportIngest {
    /** Most reports in one request. */
    public static final int MAX_BATCH = 100;

    private final ReportValidator validator;
    private final ValidBatchReader fastPath;
    private final ReportStore store;

    public ReportIngest(ReportValidator validator, ReportStore store) {
        this.validator = validator;
        this.fastPath = validator.validBatchReader();
        this.store = store;
    }

    /**
     * Parses, validates and stores the reports of one request body (as {@link RequestBody} read it). A body
     * that is valid throughout takes one streaming pass ({@link ValidBatchReader}); any other is parsed by
     * {@link StrictJson} and checked by {@link #validate}, which explains every problem.
     *
     * @throws ProblemException 400 for a body that is not strict JSON, otherwise as {@link #ingest(JsonNode)}
     */
    public StoreOutcome ingest(byte[] body) {
        List<Report> reports = fastPath.read(body).orElseGet(() -> validate(StrictJson.parse(body)));
        return store.storeAll(reports);
    }

    /**
     * Validates and stores the reports of one request.
     *
     * @return reports newly stored and duplicates, once the batch is durably committed
     * @throws ProblemException 413 for more than {@value #MAX_BATCH} reports, 422 listing every
     *     problem of every report (nothing is stored then)
     * @throws dev.candor.server.store.StoreUnavailableException if storage cannot commit
     */
    public StoreOutcome ingest(JsonNode body) {
        List<Report> reports = validate(body);
        return store.storeAll(reports);
    }

    /** The validated reports of a request body; see {@link #ingest}. */
    public List<Report> validate(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        List<Report> reports = new ArrayList<>();
        if (body.isObject() && body.has("reports")) {
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("reports")) {
                    errors.add(new FieldError("$" + ReportValidator.key(name),
                            "unknown key; a batch holds only \"reports\""));
                }
            }
            JsonNode list = body.get("reports");
            if (!list.isArray()) {
                errors.add(new FieldError("$.reports", "must be a list of reports"));
            } else if (list.isEmpty()) {
                errors.add(new FieldError("$.reports", "is empty; send at least one report"));
            } else if (list.size() > MAX_BATCH) {
                throw new ProblemException(Problem.tooLarge(list.size() + " reports in one request; send at most "
                        + MAX_BATCH + " per request"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    validator.validate(list.get(i), "$.reports[" + i + "]", errors).ifPresent(reports::add);
                }
            }
        } else if (body.isObject()) {
            Optional<Report> report = validator.validate(body, "$", errors);
            report.ifPresent(reports::add);
        } else {
            errors.add(new FieldError("$", "must be one report (an object) or {\"reports\": [...]}"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalidReports(errors));
        }
        return reports;
    }
}
