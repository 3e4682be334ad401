package dev.candor.server.ingest;

/** Thrown wherever a request turns out to be unacceptable; the web layer writes its {@link Problem}. */
public final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
