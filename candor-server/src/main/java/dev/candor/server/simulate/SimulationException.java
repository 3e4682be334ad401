package dev.candor.server.simulate;

/** A simulation that cannot go on, with a message saying why and what to do. */
public final class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message) {
        super(message);
    }
}
