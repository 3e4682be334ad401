package dev.candor.server.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;

/** Reading {@code --period} and {@code --app} for the offline commands, with messages that say what to write. */
final class Periods {
    private Periods() {
    }

    static LocalDate parse(String period) {
        try {
            return LocalDate.parse(period);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--period: \"" + period + "\" is not a period; write its first day as "
                    + "YYYY-MM-DD, for example 2026-11-24");
        }
    }

    static List<String> apps(String app, Collection<String> known) {
        if (known.isEmpty()) {
            throw new IllegalArgumentException("no app has a catalog in this collector yet; start it with --catalog FILE");
        }
        if (app == null) {
            return List.copyOf(known);
        }
        if (!known.contains(app)) {
            throw new IllegalArgumentException("--app: no catalog for \"" + app + "\" here; known apps: " + String.join(", ", known));
        }
        return List.of(app);
    }
}
